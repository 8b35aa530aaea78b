"""Erasure on request or at the end of the retention period: dry run first, then all or nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from carte_blanche.consent.models import Consent
from carte_blanche.gdpr.erasure import candidates, erase
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.journal.verify import verify_journal
from carte_blanche.people.models import HouseholdMember, Person
from carte_blanche.referrals.actions import send_referral

pytestmark = pytest.mark.django_db


def test_the_command_simulates_by_default_then_erases(sebastien, bus_agent, caf_referent):
    referral = send_referral(sebastien, operator=caf_referent.operator, question="Ouverture du RSA ?", by=bus_agent)
    out = io.StringIO()
    call_command("gdpr_erase", "--person", str(sebastien.pk), stdout=out)
    assert "SIMULATION" in out.getvalue()
    sebastien.refresh_from_db()
    assert sebastien.first_names == "Sébastien" and sebastien.erased_at is None
    reads_before = JournalEntry.objects.filter(person_id=sebastien.pk).count()
    call_command("gdpr_erase", "--person", str(sebastien.pk), "--apply", stdout=out)
    sebastien.refresh_from_db()
    assert sebastien.erased_at is not None and sebastien.last_name == f"effacée n° {sebastien.pk}"
    assert (
        sebastien.phone == ""
        and sebastien.address == ""
        and sebastien.nir == ""
        and sebastien.monthly_resources is None
    )
    assert sebastien.birth_date.month == 1 and sebastien.birth_date.day == 1 and sebastien.commune_id is not None
    assert not HouseholdMember.objects.filter(person=sebastien).exists()
    assert not Consent.objects.filter(person=sebastien, revoked_at__isnull=True).exists()
    referral.refresh_from_db()
    assert referral.question == "[effacé]" and referral.status  # the fact stays, not the text
    # The journal keeps its entries (no values in them) and records the erasure; the chain holds.
    assert JournalEntry.objects.filter(person_id=sebastien.pk).count() == reads_before + 1
    assert JournalEntry.objects.filter(event=JournalEvent.PERSON_ERASED, person_id=sebastien.pk).exists()
    assert verify_journal()[1] is None
    assert erase(sebastien.pk, reason="encore") == ["déjà effacé"]


def test_the_retention_period_selects_files_without_activity(demo):
    old = timezone.now() - dt.timedelta(days=365 * 4)
    person = Person.objects.get(first_names="Martine")
    Person.objects.filter(pk=person.pk).update(updated_at=old)
    from carte_blanche.consent.models import Consent as ConsentModel

    ConsentModel.objects.filter(person=person).update(granted_at=old)
    ids = [c.person_id for c in candidates(3)]
    assert person.pk in ids
    assert Person.objects.get(first_names="Sarah").pk not in ids


def test_bad_arguments_are_explained(demo):
    with pytest.raises(CommandError, match="--person"):
        call_command("gdpr_erase")
    with pytest.raises(CommandError, match="inconnus"):
        call_command("gdpr_erase", "--person", "999999")
