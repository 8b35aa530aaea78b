"""Asking, the deadline, the lifecycle through the actions, who may do what, attachments."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from carte_blanche.employers.models import HrTheme
from carte_blanche.hrdesk.actions import transition
from carte_blanche.hrdesk.models import EventKind, HrAttachment, HrQuestion, MessageKind, ServiceLevel
from carte_blanche.hrdesk.states import IllegalTransition, Status
from carte_blanche.journal.models import JournalEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vault(settings, tmp_path):
    settings.DOCUMENTS_ROOT = str(tmp_path / "vault")
    return tmp_path / "vault"


def test_asking_routes_sets_72_hours_and_tells_the_advisor(ask, hr_advisor, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        question = ask()
    assert question.state is Status.ASKED and question.assigned_to == hr_advisor
    assert before + dt.timedelta(hours=72) <= question.due_at <= timezone.now() + dt.timedelta(hours=72)
    assert question.messages.get().kind == MessageKind.QUESTION
    assert [m.to for m in mail.outbox] == [[hr_advisor.email]]
    assert "Nouvelle question RH" in mail.outbox[0].subject


def test_the_theme_service_level_sets_the_deadline(ask):
    ServiceLevel.objects.create(theme=HrTheme.PAY, first_answer_hours=24)
    question = ask(theme=HrTheme.PAY)
    assert question.due_at - question.asked_at == dt.timedelta(hours=24)


def test_nothing_is_journaled_companies_are_not_persons(ask):
    entries = JournalEntry.objects.count()
    question = ask()
    assert JournalEntry.objects.count() == entries
    assert question.events.filter(kind=EventKind.ASKED).exists()


def test_wrong_fields_save_nothing(ask):
    count = HrQuestion.objects.count()
    with pytest.raises(ValidationError) as error:
        ask(theme="astrologie", subject="?", body="court")
    assert set(error.value.message_dict) == {"theme", "subject", "body"}
    assert HrQuestion.objects.count() == count


def test_only_a_member_asks_for_its_company(company, other_boss, hr_advisor):
    from carte_blanche.hrdesk.actions import ask_question

    for user in (other_boss, hr_advisor):
        with pytest.raises(PermissionDenied):
            ask_question(company, by=user, theme=HrTheme.CONTRACT, subject="Une question", body="x" * 30)


def test_the_whole_lifecycle(question, hr_advisor, employer, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition(question, "take", by=hr_advisor)
        transition(question, "request_info", by=hr_advisor, text="Quel est le motif du CDD ?")
    assert mail.outbox[-1].to == [employer.email] and "précisions" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        transition(question, "provide_info", by=employer, text="Accroissement temporaire d'activité.")
        transition(question, "answer", by=hr_advisor, text="Oui, deux renouvellements dans la limite de 18 mois.")
    question.refresh_from_db()
    assert question.state is Status.ANSWERED and question.first_answer_on_time is True
    assert "Réponse du centre RH" in mail.outbox[-1].subject
    transition(question, "reopen", by=employer, text="Et pour un temps partiel de 20 heures ?")
    question.refresh_from_db()
    assert question.state is Status.TAKEN and question.escalation_level == 0
    transition(question, "answer", by=hr_advisor, text="Voyez votre convention de branche.")
    transition(question, "close", by=employer)
    question.refresh_from_db()
    assert question.state is Status.CLOSED and question.closed_at
    kinds = list(question.messages.values_list("kind", flat=True))
    assert kinds == ["question", "info_request", "info", "answer", "reopen", "answer"]
    transitions = [e.details["transition"] for e in question.events.filter(kind=EventKind.TRANSITION)]
    assert transitions == ["take", "request_info", "provide_info", "answer", "reopen", "answer", "close"]


def test_forbidden_transitions_change_nothing(question, hr_advisor, employer):
    with pytest.raises(IllegalTransition):
        transition(question, "close", by=employer)
    with pytest.raises(PermissionDenied):
        transition(question, "take", by=employer)
    with pytest.raises(ValidationError):
        transition(question, "answer", by=hr_advisor, text="  ")
    question.refresh_from_db()
    assert question.state is Status.ASKED and question.messages.count() == 1


def test_other_companies_and_coordinators_cannot_act(question, other_boss, coordinator, hr_advisor):
    transition(question, "answer", by=hr_advisor, text="Réponse complète.")
    for user in (other_boss, coordinator):
        with pytest.raises(PermissionDenied):
            transition(question, "close", by=user)


def test_the_clock_stops_while_the_employer_owes_information(question, hr_advisor, employer):
    due = question.due_at
    transition(question, "request_info", by=hr_advisor, text="Quelle convention collective ?")
    HrQuestion.objects.filter(pk=question.pk).update(paused_at=timezone.now() - dt.timedelta(hours=10))
    transition(question, "provide_info", by=employer, text="IDCC 2941.")
    question.refresh_from_db()
    assert question.due_at - due >= dt.timedelta(hours=10)


def test_a_late_first_answer_is_counted_late(question, hr_advisor):
    HrQuestion.objects.filter(pk=question.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    transition(question, "answer", by=hr_advisor, text="Réponse en retard.")
    question.refresh_from_db()
    assert question.first_answer_on_time is False


def test_attachments_are_checked_and_kept_in_the_vault(ask, vault):
    pdf = SimpleUploadedFile("contrat.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    question = ask(files=[pdf])
    attachment = question.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.size == 15
    assert (vault / attachment.storage_name).read_bytes().startswith(b"%PDF")
    fake = SimpleUploadedFile("contrat.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    count = HrAttachment.objects.count()
    with pytest.raises(ValidationError, match="ni un PDF"):
        ask(files=[fake])
    assert HrAttachment.objects.count() == count


def test_an_infected_file_is_refused(ask, settings):
    settings.DOCUMENT_SCANNER = "tests.hrdesk.test_questions.refuse_all"
    pdf = SimpleUploadedFile("contrat.pdf", b"%PDF-1.7\n%%EOF\n")
    with pytest.raises(ValidationError, match="virus"):
        ask(files=[pdf])


def refuse_all(content: bytes) -> None:
    raise ValidationError("Fichier infecté par un virus.")


def test_visible_to(question, employer, other_boss, hr_advisor, coordinator, caf_referent, other_company):
    assert question in HrQuestion.objects.visible_to(employer)
    assert question in HrQuestion.objects.visible_to(hr_advisor)
    assert question in HrQuestion.objects.visible_to(coordinator)
    assert not HrQuestion.objects.visible_to(other_boss).exists()
    assert not HrQuestion.objects.visible_to(caf_referent).exists()
