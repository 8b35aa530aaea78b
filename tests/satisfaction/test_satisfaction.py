"""Satisfaction: one question per closed referral or visit, answered once by SMS link or at the counter."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from carte_blanche.messaging import sms
from carte_blanche.satisfaction.actions import answer, ask_after_referral, record_counter_answer, sms_text
from carte_blanche.satisfaction.hooks import after_transition
from carte_blanche.satisfaction.models import AboutKind, SatisfactionSurvey, SurveyChannel, hash_token
from carte_blanche.visits.actions import record_visit

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://127\.0\.0\.1:8000/avis/([A-Za-z0-9_-]{43})/$")


def _ask_by_sms(referral, capture) -> tuple[SatisfactionSurvey, str]:
    with capture(execute=True):
        survey = ask_after_referral(referral)
    token = LINK.search(sms.outbox[-1].text).group(1)
    return survey, token


def _visit(agent, person=None):
    return record_visit(by=agent, person=person, structure=agent.structure, channel="in_person",
                        procedures=[], outcomes=["answered"], minutes=10)  # fmt: skip


def test_a_person_who_prefers_sms_gets_one_short_sms_with_the_link(
    closed_referral, prefers_sms, django_capture_on_commit_callbacks
):
    survey, token = _ask_by_sms(closed_referral, django_capture_on_commit_callbacks)
    message = sms.outbox[-1]
    assert message.to == prefers_sms.phone
    assert message.text == (
        f"Carte Blanche : votre demande à CAF du Lot est-elle résolue ? Répondez ici : http://127.0.0.1:8000/avis/{token}/"
    )
    assert len(message.text) <= 160
    assert survey.channel == SurveyChannel.SMS
    assert (survey.about_kind, survey.about_id) == (AboutKind.REFERRAL, closed_referral.pk)
    assert survey.person == prefers_sms and survey.operator_id == closed_referral.operator_id
    assert survey.structure_id == closed_referral.structure_id
    assert survey.expires_at - survey.created_at == dt.timedelta(days=14)
    # Only the digest of the token is kept.
    assert survey.token_hash == hash_token(token) and token not in str(survey.__dict__)


def test_a_long_operator_name_is_dropped_to_stay_in_one_sms():
    link = "http://127.0.0.1:8000/avis/" + "x" * 43 + "/"
    assert sms_text("CAF du Lot", link).startswith("Carte Blanche : votre demande à CAF du Lot")
    text = sms_text("Direction départementale de l'emploi", link)
    assert text == f"Carte Blanche : votre demande est-elle résolue ? Répondez ici : {link}" and len(text) <= 160


def test_without_sms_the_question_waits_for_the_counter(closed_referral, sebastien, django_capture_on_commit_callbacks):
    sebastien.preferred_channel = "letter"
    sebastien.save()
    with django_capture_on_commit_callbacks(execute=True):
        survey = ask_after_referral(closed_referral)
    assert sms.outbox == []
    assert survey.channel == SurveyChannel.COUNTER
    assert list(SatisfactionSurvey.objects.waiting_at_counter(sebastien)) == [survey]


def test_one_question_per_referral(closed_referral, prefers_sms, django_capture_on_commit_callbacks):
    first, _token = _ask_by_sms(closed_referral, django_capture_on_commit_callbacks)
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert ask_after_referral(closed_referral) == first
    assert sms.outbox == [] and SatisfactionSurvey.objects.count() == 1


def test_the_hook_asks_only_when_the_referral_closes(closed_referral, prefers_sms):
    after_transition(closed_referral, "answer")
    assert not SatisfactionSurvey.objects.exists()
    after_transition(closed_referral, "close")
    assert SatisfactionSurvey.objects.get().about_id == closed_referral.pk


def test_answering_once_only(closed_referral, prefers_sms, django_capture_on_commit_callbacks):
    survey, token = _ask_by_sms(closed_referral, django_capture_on_commit_callbacks)
    answer(token, True, "  Merci   beaucoup ")
    survey.refresh_from_db()
    assert survey.resolved is True and survey.answered_at is not None and survey.comment == "Merci beaucoup"
    with pytest.raises(ValidationError, match="déjà répondu") as error:
        answer(token, False)
    assert error.value.code == "answered"
    survey.refresh_from_db()
    assert survey.resolved is True


def test_no_answer_after_expiry(closed_referral, prefers_sms, django_capture_on_commit_callbacks):
    survey, token = _ask_by_sms(closed_referral, django_capture_on_commit_callbacks)
    SatisfactionSurvey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="expiré"):
        answer(token, True)
    survey.refresh_from_db()
    assert survey.answered_at is None and survey.resolved is None


def test_unknown_token_and_invalid_answers(closed_referral, prefers_sms, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError, match="n'est pas valable"):
        answer("x" * 43, True)
    _survey, token = _ask_by_sms(closed_referral, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Oui"):
        answer(token, None)
    with pytest.raises(ValidationError, match="300 caractères"):
        answer(token, False, "a" * 301)
    assert not SatisfactionSurvey.objects.answered().exists()


def test_a_counter_question_has_no_usable_link(closed_referral, sebastien):
    survey = ask_after_referral(closed_referral)
    assert survey.channel == SurveyChannel.COUNTER
    # Even someone holding the digest cannot answer: there is no link for a counter question.
    with pytest.raises(ValidationError, match="n'est pas valable"):
        answer(survey.token_hash, True)


def test_counter_answer_after_a_visit(agent, sarah, caf_referent):
    visit = _visit(agent, sarah)
    survey = record_counter_answer(visit, False, by=agent)
    assert (survey.about_kind, survey.about_id, survey.channel) == (AboutKind.VISIT, visit.pk, SurveyChannel.COUNTER)
    assert survey.resolved is False and survey.answered_at is not None and survey.person == sarah
    with pytest.raises(ValidationError, match="déjà notée"):
        record_counter_answer(visit, True, by=agent)
    with pytest.raises(PermissionDenied):
        record_counter_answer(_visit(agent), True, by=caf_referent)
    anonymous = record_counter_answer(_visit(agent), True, by=agent)
    assert anonymous.person is None


def test_the_resolution_rate(agent, bus_agent, closed_referral, prefers_sms, django_capture_on_commit_callbacks):
    since = timezone.now() - dt.timedelta(days=90)
    assert SatisfactionSurvey.objects.resolution_rate(since).rate is None
    for resolved in (True, True, False):
        record_counter_answer(_visit(agent), resolved, by=agent)
    _survey, token = _ask_by_sms(closed_referral, django_capture_on_commit_callbacks)
    answer(token, False)
    everything = SatisfactionSurvey.objects.resolution_rate(since)
    assert (everything.answered, everything.resolved, everything.rate, everything.percent) == (4, 2, 0.5, 50)
    by_structure = SatisfactionSurvey.objects.resolution_rate(since.date(), structure=agent.structure)
    assert (by_structure.answered, by_structure.resolved) == (3, 2)
    by_operator = SatisfactionSurvey.objects.resolution_rate(since, operator=closed_referral.operator)
    assert (by_operator.answered, by_operator.resolved) == (1, 0)
    assert SatisfactionSurvey.objects.resolution_rate(timezone.now() + dt.timedelta(days=1)).answered == 0
    [(name, rate)] = SatisfactionSurvey.objects.rates_by_operator(since)
    assert name == "CAF du Lot" and rate.percent == 0


# The public page


def test_the_public_page_asks_one_question_and_shows_nothing_personal(
    client, closed_referral, prefers_sms, django_capture_on_commit_callbacks
):
    _survey, token = _ask_by_sms(closed_referral, django_capture_on_commit_callbacks)
    url = reverse("web:satisfaction_answer", args=[token])
    assert url == f"/avis/{token}/"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Votre demande a-t-elle été résolue ?" in body
    assert 'value="oui"' in body and 'value="non"' in body
    for secret in (prefers_sms.first_names, prefers_sms.last_name, prefers_sms.phone, "CAF"):
        assert secret not in body
    assert "no-cache" in response.headers.get("Cache-Control", "")


def test_answering_on_the_public_page(client, closed_referral, prefers_sms, django_capture_on_commit_callbacks):
    survey, token = _ask_by_sms(closed_referral, django_capture_on_commit_callbacks)
    url = reverse("web:satisfaction_answer", args=[token])
    response = client.post(url, {"resolved": "oui", "comment": "Rapide et clair."})
    assert response.status_code == 302 and response.url == reverse("web:satisfaction_thanks")
    assert "Merci pour votre réponse" in client.get(response.url).content.decode()
    survey.refresh_from_db()
    assert survey.resolved is True and survey.comment == "Rapide et clair."
    # Used: a clear message, nothing changes.
    again = client.post(url, {"resolved": "non"})
    assert again.status_code == 410 and "déjà répondu" in again.content.decode()
    assert client.get(url).status_code == 410
    survey.refresh_from_db()
    assert survey.resolved is True


def test_the_public_page_without_a_choice_asks_again(
    client, closed_referral, prefers_sms, django_capture_on_commit_callbacks
):
    survey, token = _ask_by_sms(closed_referral, django_capture_on_commit_callbacks)
    response = client.post(reverse("web:satisfaction_answer", args=[token]), {"comment": "Je ne sais pas"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Touchez « Oui » ou « Non »." in body and "Je ne sais pas" in body
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_expired_and_unknown_links_on_the_public_page(
    client, closed_referral, prefers_sms, django_capture_on_commit_callbacks
):
    survey, token = _ask_by_sms(closed_referral, django_capture_on_commit_callbacks)
    SatisfactionSurvey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    url = reverse("web:satisfaction_answer", args=[token])
    for response in (client.get(url), client.post(url, {"resolved": "oui"})):
        assert response.status_code == 410 and "Ce lien a expiré" in response.content.decode()
    unknown = client.get(reverse("web:satisfaction_answer", args=["y" * 43]))
    assert unknown.status_code == 404 and "est pas valable" in unknown.content.decode()
    assert client.post(reverse("web:satisfaction_answer", args=["y" * 43]), {"resolved": "oui"}).status_code == 404
    assert not SatisfactionSurvey.objects.answered().exists()


# The visit form and the coordinator's home


def test_the_visit_form_notes_the_answer_at_the_counter(verified_client, agent, sebastien):
    client = verified_client(agent)
    assert "La demande est-elle résolue ?" in client.get("/visites/nouvelle/").content.decode()
    payload = {"channel": "in_person", "outcomes": ["answered"], "duration": "10", "personne": sebastien.pk}
    assert client.post("/visites/nouvelle/", payload | {"resolved": "oui"}).status_code == 302
    survey = SatisfactionSurvey.objects.get()
    assert survey.about_kind == AboutKind.VISIT and survey.resolved is True and survey.person == sebastien
    assert client.post("/visites/nouvelle/", payload | {"resolved": "ne-sait-pas"}).status_code == 302
    assert client.post("/visites/nouvelle/", payload).status_code == 302
    assert SatisfactionSurvey.objects.count() == 1


def test_the_coordinator_sees_the_rate_by_operator(
    verified_client, coordinator, agent, closed_referral, prefers_sms, django_capture_on_commit_callbacks
):
    client = verified_client(coordinator)
    assert "Aucune réponse sur la période." in client.get("/").content.decode()
    record_counter_answer(_visit(agent), True, by=agent)
    _survey, token = _ask_by_sms(closed_referral, django_capture_on_commit_callbacks)
    answer(token, True)
    body = client.get("/").content.decode()
    assert "100 % de demandes résolues" in body and "(2 sur 2 réponses)" in body
    assert "<td>CAF du Lot</td><td>1</td><td>100 %</td>" in body
    assert prefers_sms.last_name not in body
