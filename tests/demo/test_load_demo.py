import datetime as dt
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from carte_blanche.accounts.models import Role, User
from carte_blanche.consent.access import AccessDenied, access_person
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.consent.models import Consent
from carte_blanche.demo.loader import birth_date
from carte_blanche.demo.personas import ACCOUNTS, DEFAULT_PASSWORD, PERSONAS, Birthday
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.people.models import DigitalAutonomy, HouseholdMember, Person, Relationship
from carte_blanche.territory.models import Operator


def age(born: dt.date) -> int:
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "persons": Person.objects.count(),
        "household": HouseholdMember.objects.count(),
        "consents": Consent.objects.count(),
        "journal": JournalEntry.objects.count(),
    }


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO_MODE = True


def test_refuses_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="CB_DEMO=1"):
        call_command("load_demo", verbosity=0)


@pytest.fixture
def demo(db):
    """Territory, then the demo; the shared test database may already hold them."""
    call_command("load_territory", verbosity=0)
    call_command("load_demo", verbosity=0)


def person(first_names: str) -> Person:
    return Person.objects.get(first_names=first_names)


@pytest.mark.django_db
def test_loading_twice_changes_nothing(demo):
    before = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == before
    assert User.objects.filter(username__in=[a.username for a in ACCOUNTS]).count() == len(ACCOUNTS)
    for persona in PERSONAS:
        assert Person.objects.filter(first_names=persona.first_names, last_name=persona.last_name).count() == 1
    assert len(PERSONAS) == 8


@pytest.mark.django_db
def test_second_load_keeps_edits_but_resets_the_password(demo):
    agent = User.objects.get(username="agent")
    agent.first_name = "Claire-Marie"
    agent.set_password("autre-chose")
    agent.save()
    call_command("load_demo", verbosity=0)
    agent.refresh_from_db()
    assert agent.first_name == "Claire-Marie"
    assert agent.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_every_role_has_a_demo_account(demo):
    for role in Role:
        assert User.objects.filter(role=role).exists(), role
    for user in User.objects.filter(username__in=[a.username for a in ACCOUNTS]):
        assert user.check_password(DEFAULT_PASSWORD)
        assert user.email.endswith("@demo.carte-blanche.localhost")


@pytest.mark.django_db
def test_password_comes_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("CB_DEMO_PASSWORD", "un-autre-mot-de-passe")
    call_command("load_territory", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert User.objects.get(username="referent-caf").check_password("un-autre-mot-de-passe")


@pytest.mark.django_db
def test_agents_and_referents_are_attached_where_the_story_says(demo):
    agent = User.objects.get(username="agent")
    assert agent.structure.name == "France services Catus"
    assert User.objects.get(username="agent-bus").structure.name == "Bus France services du Grand Cahors"
    assert User.objects.get(username="referent-caf").acting_operator.slug == "caf-lot"
    assert User.objects.get(username="referent-cpam").acting_operator.slug == "cpam-lot"
    assert User.objects.get(username="referent-departement").acting_operator.slug == "departement-lot"


@pytest.mark.django_db
def test_sarah(demo):
    sarah = person("Sarah")
    assert age(sarah.birth_date) == 28
    assert sarah.commune.epci.name in ("CC du Quercy Blanc", "CC du Pays de Lalbenque-Limogne")
    assert sarah.preferred_channel == "sms"
    assert sarah.digital_autonomy == DigitalAutonomy.AUTONOMOUS
    (child,) = sarah.household.all()
    assert child.relationship == Relationship.CHILD
    assert child.is_dependent
    assert age(child.birth_date) == 2
    assert sarah.user.username == "sarah"
    assert sarah.user.role == Role.RESIDENT


@pytest.mark.django_db
def test_sebastien(demo):
    sebastien = person("Sébastien")
    assert age(sebastien.birth_date) == 45
    assert sebastien.digital_autonomy == DigitalAutonomy.NEEDS_SOMEONE
    assert sebastien.housing_status == "hosted"
    assert sebastien.monthly_resources == 0
    assert sebastien.preferred_channel in ("phone", "letter")


@pytest.mark.django_db
def test_roseline(demo):
    roseline = person("Roseline")
    assert age(roseline.birth_date) == 82
    assert roseline.commune.epci.name == "CC du Causse de Labastide Murat"
    assert roseline.digital_autonomy == DigitalAutonomy.NEEDS_SOMEONE
    assert roseline.preferred_channel == "letter"
    assert roseline.autonomy_gir in (4, 5)
    assert roseline.housing_status == "owner"
    assert not roseline.household.exists()


@pytest.mark.django_db
def test_roseline_gave_nothing_to_the_caf_nor_the_cpam(demo):
    roseline = person("Roseline")
    for slug in ("caf-lot", "cpam-lot"):
        assert not Consent.objects.active().filter(person=roseline, operator__slug=slug).exists()
    assert Consent.objects.active_for(Operator.objects.get(slug="departement-lot"), Purpose.CASE_MANAGEMENT).filter(
        person=roseline, category=DataCategory.HEALTH_AUTONOMY
    )


@pytest.mark.django_db
def test_caf_referent_reads_sarah_but_not_roseline(demo):
    referent = User.objects.get(username="referent-caf")
    record = access_person(referent, person("Sarah").pk, Purpose.CASE_MANAGEMENT)
    assert record.has(DataCategory.HOUSEHOLD_INCOME)
    assert not record.has(DataCategory.HEALTH_AUTONOMY)
    with pytest.raises(AccessDenied):
        access_person(referent, person("Roseline").pk, Purpose.CASE_MANAGEMENT)


@pytest.mark.django_db
def test_sarah_consents_tell_the_story(demo):
    sarah = person("Sarah")
    active = set(Consent.objects.active().filter(person=sarah).values_list("operator__slug", "category", "purpose"))
    assert ("caf-lot", "household_income", "rights_check") in active
    assert ("caf-lot", "identity", "case_management") in active
    assert ("france-services", "contact", "accompaniment") in active
    today = timezone.localdate()
    for consent in Consent.objects.filter(person=sarah):
        assert 365 <= (consent.valid_until - today).days <= 2 * 366
        assert consent.method == "in_person"


@pytest.mark.django_db
def test_the_ledger_shows_a_withdrawal(demo):
    revoked = Consent.objects.filter(revoked_at__isnull=False)
    assert revoked.exists()
    assert not revoked.filter(person__first_names__in=["Sarah", "Sébastien", "Roseline"]).exists()
    assert JournalEntry.objects.filter(event=JournalEvent.CONSENT_REVOKED).exists()


@pytest.mark.django_db
def test_files_and_consents_are_journaled(demo):
    for persona in PERSONAS:
        person = Person.objects.get(first_names=persona.first_names, last_name=persona.last_name)
        about = JournalEntry.objects.about(person.pk)
        assert about.filter(event=JournalEvent.PERSON_CREATED).count() == 1
        assert about.filter(event=JournalEvent.CONSENT_GRANTED).exists()


@pytest.mark.django_db
def test_phones_are_in_the_range_reserved_for_fiction(demo):
    names = [persona.first_names for persona in PERSONAS]
    for file in Person.objects.filter(first_names__in=names).exclude(phone=""):
        assert file.phone.startswith("+3353649"), file.phone


@pytest.mark.django_db
def test_prints_the_accounts_table(db):
    call_command("load_territory", verbosity=0)
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    for account in ACCOUNTS:
        assert account.username in text
    assert "Référent partenaire" in text
    assert DEFAULT_PASSWORD in text
    assert "http://127.0.0.1:8000/" in text


@pytest.mark.django_db
def test_silent_at_verbosity_zero(db):
    call_command("load_territory", verbosity=0)
    out = StringIO()
    call_command("load_demo", verbosity=0, stdout=out)
    assert out.getvalue() == ""


@pytest.mark.django_db
def test_refuses_without_a_territory(monkeypatch):
    # The shared test database already holds the territory: hide it from the loader.
    no_communes = SimpleNamespace(objects=SimpleNamespace(exists=lambda: False))
    monkeypatch.setattr("carte_blanche.demo.loader.Commune", no_communes)
    before = counts()
    with pytest.raises(CommandError, match="load_territory"):
        call_command("load_demo", verbosity=0)
    assert counts() == before


def test_birth_dates_give_the_age_of_the_story():
    assert birth_date(Birthday(28, 3, 14), dt.date(2026, 3, 13)) == dt.date(1997, 3, 14)
    assert birth_date(Birthday(28, 3, 14), dt.date(2026, 3, 14)) == dt.date(1998, 3, 14)
