"""The nightly re-check: what is due, the new check, the journal, the agent told of a change."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.messaging.models import Notification
from carte_blanche.people.actions import update_person
from carte_blanche.rights import engine
from carte_blanche.rights.models import RightsCheck, Trigger
from carte_blanche.rights.recheck import ENGINE_UPGRADED, FILE_CHANGED, HOUSEHOLD_CHANGED, recheck_all
from tests.rights.conftest import hand_result, save_hand_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_compute(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("nothing may be computed here")

    monkeypatch.setattr(engine, "compute", refuse)
    monkeypatch.setattr(engine, "compute_one", refuse)


@pytest.fixture
def current_version(monkeypatch):
    """The installed OpenFisca version, without importing OpenFisca for tests that compute nothing."""
    monkeypatch.setattr(engine, "openfisca_version", lambda: "openfisca-france 176.1.8")
    return "openfisca-france 176.1.8"


def test_a_right_that_appears_or_disappears_is_told_to_the_agent(agent, sarah, sarah_household):
    # The old check, built by hand on an older engine: no prime d'activité, but an ASPA (impossible at 28).
    old = save_hand_check(sarah, by=agent, result=hand_result(eligible={"aspa": 100.0, "css": 16.0}))
    mail.outbox.clear()

    report = recheck_all()

    assert report.rechecked == 1 and report.agents_told == 1 and report.reasons == {ENGINE_UPGRADED: 1}
    new = RightsCheck.objects.of_person(sarah.pk).first()
    assert new.trigger == Trigger.RECHECK and new.previous == old and new.created_by is None
    assert new.openfisca_version == engine.openfisca_version()
    assert "ppa" in new.appeared and new.disappeared == ["aspa"]
    assert new.check_result.get("ppa").unclaimed
    assert new.responsible_agent() == agent
    # The agent's task: an e-mail through the messaging layer, once.
    notification = Notification.objects.get(idempotency_key=f"rights:{new.pk}:changed")
    assert notification.recipient_user == agent and notification.template == "rights.agent.changed"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [agent.email]
    assert f"/droits/{new.pk}/" in mail.outbox[0].body and sarah.last_name not in mail.outbox[0].body
    entry = JournalEntry.objects.filter(event=JournalEvent.RIGHTS_RECHECKED, person_id=sarah.pk).last()
    assert entry.actor_id is None and entry.actor_label == "système"
    assert entry.details["check_id"] == new.pk and entry.details["reasons"] == [ENGINE_UPGRADED]

    # Done for the night: the next run finds it up to date (and computes nothing).
    again = recheck_all(dry_run=True)
    assert again.due == 0 and again.up_to_date == 1


def test_an_up_to_date_check_is_left_alone(agent, sarah, no_compute, current_version):
    save_hand_check(sarah, by=agent, result=hand_result(version=current_version))
    report = recheck_all()
    assert report.examined == 1 and report.up_to_date == 1 and report.due == 0


def test_a_changed_file_or_household_makes_the_check_due(agent, sarah, no_compute, current_version):
    save_hand_check(sarah, by=agent, result=hand_result(version=current_version))
    update_person(sarah, by=agent, changes={"monthly_rent": 500})
    assert recheck_all(dry_run=True).reasons == {FILE_CHANGED: 1}

    sarah.household.create(first_name="Tom", birth_date=sarah.birth_date.replace(year=2025), relationship="child")
    report = recheck_all(dry_run=True)
    assert report.reasons == {FILE_CHANGED: 1, HOUSEHOLD_CHANGED: 1}
    assert RightsCheck.objects.count() == 1


def test_no_recheck_once_the_consent_is_gone(agent, sarah, no_compute, current_version):
    from carte_blanche.consent.actions import revoke_consent

    save_hand_check(sarah, by=agent, result=hand_result())
    for consent in sarah.consents.filter(operator=agent.acting_operator, category="household_income"):
        revoke_consent(consent, by=agent)
    report = recheck_all()
    assert report.no_consent == 1 and report.due == 0


def test_the_command_dry_run_counts_and_saves_nothing(agent, sarah, no_compute, current_version):
    save_hand_check(sarah, by=agent, result=hand_result())
    out, err = StringIO(), StringIO()
    call_command("rights_recheck", "--dry-run", stdout=out, stderr=err)
    assert "1 à refaire (nouvelle version d'OpenFisca : 1)" in out.getvalue()
    assert "Simulation" in out.getvalue()
    assert "Examen" in err.getvalue()  # the progress bar goes to stderr
    assert RightsCheck.objects.count() == 1


def test_the_task_runs_every_night():
    from config.celery import app

    schedule = settings.CELERY_BEAT_SCHEDULE["recheck-rights"]
    assert schedule["task"] == "rights.recheck"
    app.loader.import_default_modules()
    assert "rights.recheck" in app.tasks
