import pytest


@pytest.fixture(autouse=True)
def _run_on_commit_at_once(monkeypatch):
    """The test transaction never commits: deliveries queued on commit are sent at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def received(settings):
    """A fake transport: every delivery lands in this list as (url, body, headers); answers 204."""
    from tests.webhooks import fake

    fake.calls.clear()
    fake.status = 204
    settings.WEBHOOK_TRANSPORT = "tests.webhooks.fake.post"
    return fake
