"""The satisfaction link of the SMS, opened without an account: one question, a thank-you page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^/\s]+(/avis/[A-Za-z0-9_-]+/)")


def _closed_referral_link() -> str:
    """Close a CAF referral about Sébastien, who prefers SMS, and read the link the SMS carries."""
    from carte_blanche.accounts.models import User
    from carte_blanche.messaging import sms
    from carte_blanche.people.models import Person
    from carte_blanche.referrals.actions import send_referral, transition

    agent, partner = User.objects.get(username="agent-bus"), User.objects.get(username="referent-caf")
    person = Person.objects.get(first_names="Sébastien")
    person.preferred_channel = "sms"
    person.save()
    referral = send_referral(person, operator=partner.operator, question="Peut-il ouvrir un droit au RSA ?", by=agent)
    transition(referral, "accept", by=partner)
    transition(referral, "answer", by=partner, text="Droit ouvert.")
    sms.outbox.clear()
    # Closing the referral asks the question: Sébastien prefers SMS, so the link leaves by SMS.
    transition(referral, "close", by=agent)
    return LINK.search(sms.outbox[-1].text).group(1)


def test_a_resident_answers_yes_from_the_sms_link(page):
    path = _closed_referral_link()
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande a-t-elle été résolue ?")
    assert_accessible(page, "avis")
    expect(page.get_by_role("main")).not_to_contain_text("Sébastien")
    page.get_by_label("Un mot à ajouter ?").fill("Merci pour l'aide.")
    page.get_by_role("button", name="Oui", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci pour votre réponse")
    assert_accessible(page, "avis, merci")

    from carte_blanche.satisfaction.models import SatisfactionSurvey

    survey = SatisfactionSurvey.objects.get()
    assert survey.resolved is True and survey.comment == "Merci pour l'aide."

    # The link works once: opening it again says so.
    page.goto(path)
    expect(page.get_by_role("main")).to_contain_text("Vous avez déjà répondu")
    assert_accessible(page, "avis, déjà répondu")
