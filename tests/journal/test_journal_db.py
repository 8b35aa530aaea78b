"""The journal in the database: append-only in code, tampering detected by journal_verify."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from carte_blanche.journal.actions import record
from carte_blanche.journal.models import AppendOnlyError, JournalEntry, JournalEvent

pytestmark = pytest.mark.django_db


def _entries(n=3):
    return [record(JournalEvent.PERSON_SEARCH, details={"query": f"q{i}", "n": i}) for i in range(n)]


def test_entries_chain_in_order():
    base = JournalEntry.objects.count()
    first, second, third = _entries()
    assert [first.seq, second.seq, third.seq] == [base + 1, base + 2, base + 3]
    assert second.prev_hash == first.hash and third.prev_hash == second.hash


def test_code_refuses_updates_and_deletes():
    entry = _entries(1)[0]
    entry.details = {"query": "autre"}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.filter(pk=entry.pk).update(details={})
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.filter(pk=entry.pk).delete()


def test_verify_passes_on_an_intact_journal(capsys):
    _entries()
    call_command("journal_verify")
    assert "intègre" in capsys.readouterr().out


def test_verify_names_the_row_changed_behind_the_codes_back():
    entries = _entries()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {JournalEntry._meta.db_table} SET actor_label = %s WHERE id = %s", ["faussaire", entries[1].pk]
        )
    with pytest.raises(CommandError) as exc:
        call_command("journal_verify")
    assert f"entrée n° {entries[1].seq}" in str(exc.value)
    assert f"id={entries[1].pk}" in str(exc.value)


def test_verify_finds_a_deleted_row():
    entries = _entries()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {JournalEntry._meta.db_table} WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=f"entrée n° {entries[2].seq}"):
        call_command("journal_verify")


def test_verify_finds_the_newest_row_deleted():
    entries = _entries()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {JournalEntry._meta.db_table} WHERE id = %s", [entries[-1].pk])
    with pytest.raises(CommandError, match="tête du journal"):
        call_command("journal_verify")
