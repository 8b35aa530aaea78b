"""Service-level statistics: the share of questions first-answered in time, by theme and overall."""

import datetime as dt

import pytest
from django.utils import timezone

from carte_blanche.employers.models import HrTheme
from carte_blanche.hrdesk.actions import transition
from carte_blanche.hrdesk.models import HrQuestion

pytestmark = pytest.mark.django_db


def test_rates_by_theme_and_overall(ask, hr_advisor):
    HrQuestion.objects.all().delete()
    on_time = ask()
    transition(on_time, "answer", by=hr_advisor, text="Dans les temps.")
    late = ask()
    HrQuestion.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    transition(late, "answer", by=hr_advisor, text="En retard.")
    unanswered_late = ask(theme=HrTheme.PAY)
    HrQuestion.objects.filter(pk=unanswered_late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    ask(theme=HrTheme.PAY)  # still within its deadline: not judged yet
    now = timezone.now()
    rates = HrQuestion.objects.first_answer_rates(now - dt.timedelta(days=1), now + dt.timedelta(days=1), now)
    assert rates["all"] == {"counted": 3, "on_time": 1, "percent": 33}
    by_theme = {r["theme"]: (r["counted"], r["on_time"], r["percent"]) for r in rates["by_theme"]}
    assert by_theme == {HrTheme.CONTRACT: (2, 1, 50), HrTheme.PAY: (1, 0, 0)}
    earlier = HrQuestion.objects.first_answer_rates(now - dt.timedelta(days=30), now - dt.timedelta(days=2), now)
    assert earlier["all"] == {"counted": 0, "on_time": 0, "percent": None}
