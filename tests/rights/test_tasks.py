"""A re-check whose rights changed is a task on the agent's home page until marked as seen."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import PermissionDenied

from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.rights.actions import mark_reviewed
from carte_blanche.rights.models import RightsCheck, Trigger
from tests.rights.conftest import hand_result, save_hand_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_recheck(agent, sarah):
    first = save_hand_check(sarah, by=agent, result=hand_result(eligible={"css": 16.0}))
    return save_hand_check(
        sarah,
        by=None,
        result=hand_result(eligible={"css": 16.0, "ppa": 250.0}),
        trigger=Trigger.RECHECK,
        previous=first,
        appeared=["ppa"],
        disappeared=[],
    )


def test_the_task_is_listed_for_the_agent_then_marked_as_seen(verified_client, agent, changed_recheck):
    assert RightsCheck.objects.to_review_by(agent) == [changed_recheck]
    client = verified_client(agent)
    home = html.unescape(client.get("/").text)
    assert "Droits à revoir (1)" in home and "nouveau droit probable : Prime d'activité" in home
    detail = client.get(f"/droits/{changed_recheck.pk}/")
    assert "Marquer ce changement comme vu" in detail.text

    response = client.post(f"/droits/{changed_recheck.pk}/vu/")
    assert response.status_code == 302
    changed_recheck.refresh_from_db()
    assert changed_recheck.reviewed_by == agent and not changed_recheck.needs_review
    assert RightsCheck.objects.to_review_by(agent) == []
    assert "Aucun changement de droits à revoir" in client.get("/").text
    entry = JournalEntry.objects.filter(event=JournalEvent.RIGHTS_REVIEWED).last()
    assert entry.person_id == changed_recheck.person_id and entry.details == {"check": changed_recheck.pk}


def test_an_unchanged_recheck_or_a_counter_check_is_no_task(agent, sarah):
    first = save_hand_check(sarah, by=agent, result=hand_result(eligible={"css": 16.0}))
    save_hand_check(sarah, by=None, result=hand_result(eligible={"css": 16.0}), trigger=Trigger.RECHECK, previous=first)
    assert RightsCheck.objects.to_review_by(agent) == []


def test_only_an_agent_marks_a_change_as_seen(caf_referent, changed_recheck):
    with pytest.raises(PermissionDenied):
        mark_reviewed(caf_referent, changed_recheck)
    changed_recheck.refresh_from_db()
    assert changed_recheck.needs_review
