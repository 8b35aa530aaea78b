import pytest

from carte_blanche.messaging import sms
from carte_blanche.referrals.actions import send_referral, transition
from carte_blanche.satisfaction.models import SatisfactionSurvey

QUESTION = "Sébastien n'a plus aucune ressource depuis la fin de l'ASS : peut-il ouvrir un droit au RSA ?"


@pytest.fixture
def closed_referral(bus_agent, caf_referent, sebastien, django_capture_on_commit_callbacks):
    """A CAF referral about Sébastien, answered then closed by the agent."""
    referral = send_referral(sebastien, operator=caf_referent.operator, question=QUESTION, by=bus_agent)
    with django_capture_on_commit_callbacks(execute=True):
        transition(referral, "accept", by=caf_referent)
        transition(referral, "answer", by=caf_referent, text="Droit ouvert au 1er du mois.")
        transition(referral, "close", by=bus_agent)
    sms.outbox.clear()
    # Closing asked the question already (through the hook); the tests ask again under their own conditions.
    SatisfactionSurvey.objects.filter(about_kind="referral", about_id=referral.pk).delete()
    referral.refresh_from_db()
    return referral


@pytest.fixture
def prefers_sms(sebastien):
    sebastien.preferred_channel = "sms"
    sebastien.save()
    return sebastien
