"""In these tests the whole test runs in one transaction that never commits: work queued with
``transaction.on_commit`` (running the dispatcher, telling a driver) runs at once instead, in
the order it is queued, as it would after each action's commit."""

import pytest


@pytest.fixture(autouse=True)
def _run_on_commit_at_once(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
