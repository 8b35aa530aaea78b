"""Shared fixtures: the Cahors territory and the demo personas, loaded once per test database.

Tests read like the personas: ``sarah``, ``sebastien``, ``roseline`` are person files;
``agent``, ``caf_referent``, ``cpam_referent``, ``coordinator``, ``resident_sarah``,
``employer`` are users.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command


def load_reference_data() -> None:
    from carte_blanche.people.models import Person
    from carte_blanche.territory.models import Commune

    if not Commune.objects.exists():
        call_command("load_territory", verbosity=0)
    from carte_blanche.catalogue.models import Procedure

    if not Procedure.objects.exists():
        call_command("load_catalogue", verbosity=0)
    if not Person.objects.exists():
        # The command refuses to run outside demo mode (its passwords are public); tests call the loader.
        from carte_blanche.demo.loader import load_demo

        load_demo()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def demo(db):
    """The territory and personas (reloaded if a transactional test flushed them)."""
    load_reference_data()


def _user(username):
    from carte_blanche.accounts.models import User

    return User.objects.get(username=username)


def _person(first_names):
    from carte_blanche.people.models import Person

    return Person.objects.get(first_names=first_names)


@pytest.fixture
def agent(demo):
    return _user("agent")


@pytest.fixture
def bus_agent(demo):
    return _user("agent-bus")


@pytest.fixture
def caf_referent(demo):
    return _user("referent-caf")


@pytest.fixture
def cpam_referent(demo):
    return _user("referent-cpam")


@pytest.fixture
def department_referent(demo):
    return _user("referent-departement")


@pytest.fixture
def coordinator(demo):
    return _user("coordination")


@pytest.fixture
def mobility_coordinator(demo):
    return _user("coord-mobilite")


@pytest.fixture
def driver(demo):
    return _user("conducteur")


@pytest.fixture
def employer(demo):
    return _user("employeur")


@pytest.fixture
def hr_advisor(demo):
    return _user("conseiller-rh")


@pytest.fixture
def resident_sarah(demo):
    return _user("sarah")


@pytest.fixture
def sarah(demo):
    return _person("Sarah")


@pytest.fixture
def sebastien(demo):
    return _person("Sébastien")


@pytest.fixture
def roseline(demo):
    return _person("Roseline")


@pytest.fixture
def verified_client(client):
    """A test client whose logins count as two-factor verified (the 2FA flow has its own tests)."""

    def login(user):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        return client

    return login
