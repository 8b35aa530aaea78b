"""Late questions: the advisor is reminded once, then the coordinators once."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from carte_blanche.accounts.models import User
from carte_blanche.employers.models import AdvisorProfile
from carte_blanche.hrdesk.actions import transition
from carte_blanche.hrdesk.escalation import escalate_overdue
from carte_blanche.hrdesk.models import EventKind, HrQuestion

pytestmark = pytest.mark.django_db


def late_by(question, hours):
    HrQuestion.objects.filter(pk=question.pk).update(due_at=timezone.now() - dt.timedelta(hours=hours))


def test_advisor_then_coordinators_never_twice(question, hr_advisor, coordinator):
    coordinators = set(
        User.objects.filter(role="coordinator", is_active=True).exclude(email="").values_list("email", flat=True)
    )
    assert coordinator.email in coordinators
    late_by(question, 2)
    mail.outbox.clear()
    assert escalate_overdue() == {"advisor": 1, "coordinators": 0}
    assert [m.to for m in mail.outbox] == [[hr_advisor.email]]
    assert escalate_overdue() == {"advisor": 0, "coordinators": 0}
    assert len(mail.outbox) == 1
    # A day later the coordinators are alerted, once.
    assert escalate_overdue(timezone.now() + dt.timedelta(hours=23)) == {"advisor": 0, "coordinators": 1}
    assert {m.to[0] for m in mail.outbox[1:]} == coordinators
    sent = len(mail.outbox)
    escalate_overdue(timezone.now() + dt.timedelta(hours=30))
    assert len(mail.outbox) == sent
    assert list(question.events.filter(kind=EventKind.ESCALATED).values_list("details__level", flat=True)) == [1, 2]


def test_the_queue_is_reminded_when_nobody_took_it(ask, hr_advisor):
    AdvisorProfile.objects.filter(user=hr_advisor).update(active=False)
    question = ask()
    assert question.assigned_to is None
    AdvisorProfile.objects.filter(user=hr_advisor).update(active=True)
    late_by(question, 1)
    mail.outbox.clear()
    escalate_overdue()
    assert [m.to for m in mail.outbox] == [[hr_advisor.email]]


def test_answered_or_waiting_on_the_employer_is_not_late(question, hr_advisor):
    transition(question, "request_info", by=hr_advisor, text="Quelle convention ?")
    late_by(question, 50)
    assert escalate_overdue() == {"advisor": 0, "coordinators": 0}


def test_a_reopened_question_starts_a_new_cycle(question, hr_advisor, employer):
    late_by(question, 2)
    escalate_overdue()
    transition(question, "answer", by=hr_advisor, text="Réponse.")
    transition(question, "reopen", by=employer, text="Une précision encore.")
    late_by(question, 5)
    mail.outbox.clear()
    assert escalate_overdue() == {"advisor": 1, "coordinators": 0}
    assert len(mail.outbox) == 1
