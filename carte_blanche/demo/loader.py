"""Turn the demo cast (:mod:`carte_blanche.demo.personas`) into accounts, files and consents.

Everything goes through the domain actions (``create_person``, ``grant_consent``,
``revoke_consent``), so the demo's journal reads like a real day at the counter. Loading
twice changes nothing but the demo password.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.accounts.models import User
from carte_blanche.appointments.actions import publish_permanence
from carte_blanche.appointments.models import Mode, Permanence
from carte_blanche.consent.actions import grant_consent, revoke_consent
from carte_blanche.consent.models import Consent, ConsentMethod
from carte_blanche.demo.personas import (
    ACCOUNTS,
    DEFAULT_PASSWORD,
    PASSWORD_ENV,
    PERSONAS,
    SITE_URL,
    Birthday,
    ConsentGrant,
    DemoAccount,
    Persona,
)
from carte_blanche.people.actions import create_person, update_person
from carte_blanche.people.models import Person
from carte_blanche.territory.models import Commune, Operator, ServicePoint, Structure


class DemoError(Exception):
    """The demo cannot be loaded (usually: the territory is missing)."""


@dataclass(frozen=True)
class AccountRow:
    username: str
    full_name: str
    role_label: str
    attached_to: str


@dataclass
class DemoReport:
    password: str
    url: str = SITE_URL
    accounts: list[AccountRow] = field(default_factory=list)
    users_created: int = 0
    persons_created: int = 0
    persons_existing: int = 0
    consents_granted: int = 0
    consents_revoked: int = 0


def demo_password() -> str:
    return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def birth_date(born: Birthday, today: dt.date) -> dt.date:
    """The birth date that gives ``born.age`` today."""
    year = today.year - born.age
    if (born.month, born.day) > (today.month, today.day):
        year -= 1
    return dt.date(year, born.month, born.day)


def years_later(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def load_demo(stdout=None) -> DemoReport:
    """Create the demo accounts, the 8 personas' files and their consents, all or nothing."""
    if not Commune.objects.exists():
        raise DemoError(
            _("Le territoire n'est pas chargé : lancez d'abord « manage.py load_territory », puis « load_demo ».")
        )
    report = DemoReport(password=demo_password())
    today = timezone.localdate()
    with transaction.atomic():
        users = {account.username: _ensure_account(account, report) for account in ACCOUNTS}
        for persona in PERSONAS:
            agent = users[persona.opened_by]
            person = _ensure_person(persona, agent, users, today, report, stdout)
            for grant in persona.consents:
                _ensure_consent(person, grant, agent, today, report, stdout)
        _ensure_permanence(users.get("referent-caf"), today, stdout)
    return report


def _ensure_permanence(referent: User | None, today: dt.date, stdout) -> None:
    """A CAF morning at the France services of Lalbenque, on Tuesday next week, to book from."""
    if referent is None or Permanence.objects.filter(operator=referent.operator).exists():
        return
    place = ServicePoint.objects.filter(name="France services de Lalbenque").first()
    if place is None:
        return
    tuesday = today + dt.timedelta(days=7 - today.weekday() + 1)
    publish_permanence(
        by=referent,
        operator=referent.operator,
        mode=Mode.IN_PERSON,
        service_point=place,
        title="Permanence CAF : RSA et prime d'activité",
        day=tuesday,
        start=dt.time(9),
        end=dt.time(12),
        slot_minutes=30,
        capacity=1,
    )
    _say(stdout, _("Permanence publiée : CAF du Lot à %(place)s le %(day)s") % {"place": place, "day": tuesday})


def _operator(slug: str) -> Operator:
    try:
        return Operator.objects.get(slug=slug)
    except Operator.DoesNotExist:
        raise DemoError(
            _("Organisme « %(slug)s » introuvable : lancez d'abord « manage.py load_territory ».") % {"slug": slug}
        ) from None


def _structure(name: str) -> Structure:
    try:
        return Structure.objects.select_related("operator").get(name=name)
    except Structure.DoesNotExist:
        raise DemoError(
            _("Structure « %(name)s » introuvable : lancez d'abord « manage.py load_territory ».") % {"name": name}
        ) from None


def _commune(insee_code: str) -> Commune:
    try:
        return Commune.objects.by_insee(insee_code)
    except Commune.DoesNotExist:
        raise DemoError(
            _("Commune %(code)s introuvable : le territoire chargé n'est pas celui de la démonstration (Cahors).")
            % {"code": insee_code}
        ) from None


def _ensure_account(account: DemoAccount, report: DemoReport) -> User:
    """Get or create the account by username; only its password is reset."""
    user = User.objects.select_related("structure", "operator").filter(username=account.username).first()
    if user is None:
        user = User(
            username=account.username,
            first_name=account.first_name,
            last_name=account.last_name,
            email=account.email,
            role=account.role,
            structure=_structure(account.structure) if account.structure else None,
            operator=_operator(account.operator) if account.operator else None,
        )
        user.set_password(report.password)
        user.full_clean()
        user.save()
        report.users_created += 1
    else:
        user.set_password(report.password)
        user.save(update_fields=["password"])
    if user.structure is not None:
        attached_to = user.structure.name
    elif user.operator is not None:
        attached_to = user.operator.short_name
    else:
        attached_to = "—"
    report.accounts.append(AccountRow(user.username, user.get_full_name(), str(user.get_role_display()), attached_to))
    return user


def _ensure_person(
    persona: Persona, agent: User, users: dict[str, User], today: dt.date, report: DemoReport, stdout
) -> Person:
    """Open the persona's file unless it exists.

    A file is the persona's when first names, last name and birthday match; the birth
    year is not compared, since it follows the day the demo was loaded.
    """
    born = birth_date(persona.born, today)
    person = Person.objects.filter(
        first_names=persona.first_names,
        last_name=persona.last_name,
        birth_date__month=born.month,
        birth_date__day=born.day,
    ).first()
    resident = users.get(persona.account) if persona.account else None
    if person is None:
        fields = persona.person_fields()
        fields["birth_date"] = born
        fields["commune"] = _commune(persona.commune)
        if resident is not None and not Person.objects.filter(user=resident).exists():
            fields["user"] = resident
        household = [
            {
                "first_name": member.first_name,
                "last_name": member.last_name,
                "birth_date": birth_date(member.born, today),
                "relationship": member.relationship,
                "is_dependent": member.is_dependent,
            }
            for member in persona.household
        ]
        person = create_person(by=agent, household=household, **fields)
        report.persons_created += 1
        _say(stdout, _("Dossier ouvert : %(name)s (%(commune)s)") % {"name": person, "commune": person.commune.name})
    else:
        report.persons_existing += 1
    if resident is not None and person.user_id is None and not Person.objects.filter(user=resident).exists():
        person = update_person(person, by=agent, changes={"user": resident})
    return person


def _ensure_consent(
    person: Person, grant: ConsentGrant, agent: User, today: dt.date, report: DemoReport, stdout
) -> None:
    operator = _operator(grant.operator)
    pairs = {(str(category), str(purpose)) for category in grant.categories for purpose in grant.purposes}
    ledger = Consent.objects.filter(person=person, operator=operator)
    common = {
        "operator": operator,
        "valid_until": years_later(today, grant.years),
        "method": ConsentMethod.IN_PERSON,
        "by": agent,
    }

    if grant.revoked:
        if ledger.filter(revoked_at__isnull=False).exists():
            return
        consents = grant_consent(person, categories=grant.categories, purposes=grant.purposes, **common)
        report.consents_granted += len(consents)
        for consent in consents:
            revoke_consent(consent, by=agent)
        report.consents_revoked += len(consents)
        _say(stdout, _("Consentement donné puis retiré : %(person)s → %(op)s") % {"person": person, "op": operator})
        return

    active = set(ledger.active().values_list("category", "purpose"))
    missing = pairs - active
    if not missing:
        return
    if missing == pairs:
        batches = [(grant.categories, grant.purposes)]
    else:
        batches = [([category], [purpose]) for category, purpose in sorted(missing)]
    for categories, purposes in batches:
        report.consents_granted += len(grant_consent(person, categories=categories, purposes=purposes, **common))
    _say(stdout, _("Consentement enregistré : %(person)s → %(op)s") % {"person": person, "op": operator})


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
