"""Turn the demo cast (:mod:`carte_blanche.demo.personas`) into accounts, files and consents.

Everything goes through the domain actions (``create_person``, ``grant_consent``,
``revoke_consent``), so the demo's journal reads like a real day at the counter. Loading
twice changes nothing but the demo password.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.accounts.models import User
from carte_blanche.appointments.actions import publish_permanence
from carte_blanche.appointments.models import Mode, Permanence
from carte_blanche.consent.actions import grant_consent, revoke_consent
from carte_blanche.consent.models import Consent, ConsentMethod
from carte_blanche.demo.mobility import ensure_mobility
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
        _ensure_employer(users.get("employeur"), users.get("conseiller-rh"), stdout)
        _ensure_hr_questions(users.get("employeur"), users.get("conseiller-rh"), stdout)
        _ensure_job_offers(users.get("employeur"), today, stdout)
        ensure_mobility(users, today, lambda message: _say(stdout, message))
    return report


# Sarah's employer, a home-care association of Cahors (fictional SIRET with a valid checksum).
DEMO_EMPLOYER = {
    "siret": "84612345300017",
    "name": "Aide à domicile du Quercy (association, démonstration)",
    "naf_code": "88.10A",
    "headcount": 8,
    "idcc": "2941",
    "address": "12 rue Wilson",
}


def _ensure_employer(employer_user: User | None, advisor: User | None, stdout) -> None:
    from carte_blanche.employers.models import AdvisorProfile, Employer

    if employer_user is not None:
        employer, created = Employer.objects.get_or_create(
            siret=DEMO_EMPLOYER["siret"], defaults={**DEMO_EMPLOYER, "commune": _commune("46042")}
        )
        employer.members.add(employer_user)
        if created:
            _say(stdout, f"Employeur : {employer.name}, SIRET {employer.siret}")
    if advisor is not None:
        AdvisorProfile.objects.get_or_create(user=advisor, defaults={"themes": []})


def _ensure_hr_questions(employer_user: User | None, advisor: User | None, stdout) -> None:
    """The centre's starter library, and the association's question about renewing Sarah's CDD, answered."""
    from carte_blanche.employers.models import Employer, HrTheme
    from carte_blanche.hrdesk.actions import ask_question, save_answer, transition
    from carte_blanche.hrdesk.models import Answer, HrQuestion
    from carte_blanche.hrdesk.starter_answers import CDD_RENEWAL, STARTER_ANSWERS

    if advisor is None or employer_user is None:
        return
    for starter in STARTER_ANSWERS:
        if not Answer.objects.filter(title=starter.title).exists():
            save_answer(
                by=advisor, theme=starter.theme, title=starter.title, body=starter.body, sources=starter.sources
            )
    employer = Employer.objects.filter(siret=DEMO_EMPLOYER["siret"]).first()
    if employer is None or HrQuestion.objects.filter(employer=employer).exists():
        return
    question = ask_question(
        employer,
        by=employer_user,
        theme=HrTheme.CONTRACT,
        subject="Renouveler le CDD d'une aide à domicile",
        body=(
            "Nous employons Sarah comme aide à domicile en CDD de 6 mois (accroissement temporaire "
            "d'activité), à 20 heures par semaine ; il se termine à la fin du mois. Nous voudrions le renouveler "
            "pour 6 mois. Pouvons-nous le faire une deuxième fois ensuite, et faut-il un nouveau contrat ?"
        ),
    )
    library = Answer.objects.get(title=CDD_RENEWAL)
    transition(question, "take", by=advisor)
    transition(
        question,
        "answer",
        by=advisor,
        library_answer=library,
        text=(
            "Bonjour,\n\nOui. Un CDD pour accroissement temporaire d'activité peut être renouvelé deux fois, "
            "sauf autre règle de votre convention de branche, tant que la durée totale ne dépasse pas 18 mois : "
            "6 + 6 mois, puis un second renouvellement de 6 mois au plus, restent dans cette limite.\n\n"
            "Il ne faut pas de nouveau contrat mais un avenant de renouvellement, écrit et signé par la "
            "salariée avant la fin du contrat en cours ; sinon, le contrat devient un CDI. Vérifiez aussi que "
            "le surcroît d'activité justifie toujours le CDD.\n\nÀ 20 heures par semaine, sous le minimum légal "
            "de 24 heures : vérifiez que votre convention (IDCC 2941) le permet ou que la salariée l'a demandé "
            "par écrit.\n\nSources : Code du travail, articles L1243-13-1 et L1242-8-1."
        ),
    )
    _say(stdout, f"Question RH n° {question.pk} : {question.subject} (répondue)")


# The association's published offers, in communes of the territory (the only demo employer).
DEMO_JOB_OFFERS = (
    {
        "title": "Auxiliaire de vie à domicile",
        "description": "Accompagner des personnes âgées dans les gestes du quotidien (lever, repas, courses, "
        "toilette) à leur domicile, dans Cahors et les communes voisines. Débutant accepté : formation "
        "assurée par l'association.",
        "contract_kind": "cdi", "part_time": True, "weekly_hours": Decimal("30"),
        "work_days": ["mon", "tue", "wed", "thu", "fri"], "start_time": dt.time(8, 0), "end_time": dt.time(14, 30),
        "schedule_note": "pause de 30 minutes ; un week-end sur trois", "commune": "46042",
        "salary_min": Decimal("1250"), "salary_max": Decimal("1400"),
        "licence_required": True, "vehicle_required": True, "closes_in": 30, "starts_in": 45, "positions": 2,
    },
    {
        "title": "Agent d'entretien des locaux",
        "description": "Entretien des locaux de l'antenne de Lalbenque et de deux salles communales, en "
        "fin de journée. Matériel fourni.",
        "contract_kind": "cdd", "duration_months": 6, "part_time": True, "weekly_hours": Decimal("20"),
        "work_days": ["mon", "tue", "wed", "thu", "fri"], "start_time": dt.time(17, 0), "end_time": dt.time(21, 0),
        "commune": "46148", "salary_min": Decimal("820"),
        "licence_required": False, "vehicle_required": False, "closes_in": 21, "starts_in": 28,
    },
    {
        "title": "Aide à domicile, secteur de Catus",
        "description": "Entretien du logement, courses et aide aux repas chez des bénéficiaires du secteur "
        "de Catus. Les trajets entre deux bénéficiaires sont indemnisés.",
        "contract_kind": "cdi", "part_time": False, "weekly_hours": Decimal("35"),
        "work_days": ["mon", "tue", "wed", "thu", "fri"], "start_time": dt.time(8, 30), "end_time": dt.time(16, 30),
        "schedule_note": "une heure de pause déjeuner", "commune": "46064", "salary_min": Decimal("1820"),
        "licence_required": True, "vehicle_required": False, "closes_in": 40, "starts_in": 60,
    },
    {
        "title": "Apprenti·e accompagnant éducatif et social",
        "description": "Préparer le diplôme d'accompagnant éducatif et social (DEAES) en alternance : deux "
        "semaines par mois en formation à Cahors, le reste auprès des bénéficiaires de Pradines.",
        "contract_kind": "apprenticeship", "duration_months": 18, "part_time": False,
        "weekly_hours": Decimal("35"), "work_days": ["mon", "tue", "wed", "thu", "fri"],
        "start_time": dt.time(9, 0), "end_time": dt.time(17, 0), "commune": "46224",
        "licence_required": False, "vehicle_required": False, "closes_in": 25, "starts_in": 50,
    },
)  # fmt: skip


def _ensure_job_offers(employer_user: User | None, today: dt.date, stdout) -> None:
    from carte_blanche.employers.models import Employer
    from carte_blanche.jobs.actions import publish, save_offer
    from carte_blanche.jobs.models import JobOffer

    employer = Employer.objects.filter(siret=DEMO_EMPLOYER["siret"]).first()
    if employer_user is None or employer is None or JobOffer.objects.filter(employer=employer).exists():
        return
    for spec in DEMO_JOB_OFFERS:
        values = dict(spec)
        commune = _commune(values.pop("commune"))
        closes_on = today + dt.timedelta(days=values.pop("closes_in"))
        start_date = today + dt.timedelta(days=values.pop("starts_in"))
        offer = JobOffer(employer=employer, commune=commune, closes_on=closes_on, start_date=start_date, **values)
        publish(save_offer(employer_user, offer), by=employer_user)
    _say(stdout, f"Offres d'emploi publiées : {len(DEMO_JOB_OFFERS)} ({employer.name})")


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
