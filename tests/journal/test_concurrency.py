"""Appends from concurrent requests keep one unbroken chain (PostgreSQL row lock on the head)."""

import threading

import pytest
from django.db import connection, connections

from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent
from carte_blanche.journal.tasks import verify_journal_task
from carte_blanche.journal.verify import verify_journal


@pytest.mark.django_db(transaction=True)
def test_parallel_appends_keep_the_chain(django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    errors = []

    def writer(n):
        try:
            for i in range(15):
                record(JournalEvent.PERSON_SEARCH, details={"writer": n, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    count, error = verify_journal()
    assert error is None and count >= 60


@pytest.mark.django_db
def test_periodic_task_reports_the_state_of_the_chain():
    record(JournalEvent.PERSON_SEARCH, details={"query": "x"})
    result = verify_journal_task.delay().get()
    assert result["ok"] is True and result["rows"] >= 1
