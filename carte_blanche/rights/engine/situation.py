"""A household's situation, as the rights engine reads it (pure module, no Django import).

Amounts are in euros. Monthly amounts are what the person receives in a month; salaries are
**net** (what the payslip says is paid, before income-tax withholding); unemployment benefit,
pensions and disability pensions are **gross** (the statement gives both; for small pensions
exempt from CSG they are equal). Incomes are given for the last three months, month by month,
and as a total over the last twelve months; the engine projects them back over the history
OpenFisca needs (see docs/rights.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


class Role(StrEnum):
    """Place of a member in the household."""

    APPLICANT = "demandeur"
    PARTNER = "conjoint"
    CHILD = "enfant"
    OTHER = "autre"  # another adult living in the home (parent, sibling, lodger)

    @property
    def label(self) -> str:
        return {
            Role.APPLICANT: "Demandeur",
            Role.PARTNER: "Conjoint",
            Role.CHILD: "Enfant à charge",
            Role.OTHER: "Autre personne du foyer",
        }[self]


class Activity(StrEnum):
    EMPLOYED = "actif"
    UNEMPLOYED = "chomeur"
    STUDENT = "etudiant"
    RETIRED = "retraite"
    INACTIVE = "inactif"

    @property
    def label(self) -> str:
        return {
            Activity.EMPLOYED: "En emploi",
            Activity.UNEMPLOYED: "Demandeur d'emploi",
            Activity.STUDENT: "Étudiant, élève",
            Activity.RETIRED: "Retraité",
            Activity.INACTIVE: "Sans activité",
        }[self]


class WorkTime(StrEnum):
    FULL_TIME = "temps_plein"
    PART_TIME = "temps_partiel"


class ContractType(StrEnum):
    CDI = "cdi"
    CDD = "cdd"
    TEMPORARY = "ctt"  # intérim


class HousingStatus(StrEnum):
    TENANT_PRIVATE = "locataire_vide"
    TENANT_FURNISHED = "locataire_meuble"
    TENANT_SOCIAL = "locataire_hlm"
    HOSTEL = "locataire_foyer"
    OWNER = "proprietaire"
    BUYER = "primo_accedant"
    HOSTED = "loge_gratuitement"
    HOMELESS = "sans_domicile"

    @property
    def label(self) -> str:
        return {
            HousingStatus.TENANT_PRIVATE: "Locataire (logement vide, bailleur privé)",
            HousingStatus.TENANT_FURNISHED: "Locataire (meublé)",
            HousingStatus.TENANT_SOCIAL: "Locataire d'un logement social (HLM)",
            HousingStatus.HOSTEL: "Logé en foyer",
            HousingStatus.OWNER: "Propriétaire",
            HousingStatus.BUYER: "Accédant à la propriété (remboursement d'emprunt)",
            HousingStatus.HOSTED: "Hébergé gratuitement",
            HousingStatus.HOMELESS: "Sans domicile stable",
        }[self]

    @property
    def pays_rent(self) -> bool:
        return self in {
            HousingStatus.TENANT_PRIVATE,
            HousingStatus.TENANT_FURNISHED,
            HousingStatus.TENANT_SOCIAL,
            HousingStatus.HOSTEL,
            HousingStatus.BUYER,
        }


class School(StrEnum):
    NONE = "inconnue"
    NURSERY = "maternelle"
    PRIMARY = "primaire"
    MIDDLE = "college"
    HIGH = "lycee"
    HIGHER = "enseignement_superieur"


class IncomeKind(StrEnum):
    SALARY = "salaire"  # net salary
    UNEMPLOYMENT = "chomage"  # gross unemployment benefit (ARE)
    PENSION = "retraite"  # gross retirement pension
    DISABILITY_PENSION = "invalidite"  # pension d'invalidité
    ALIMONY = "pension_alimentaire"  # maintenance received

    @property
    def label(self) -> str:
        return {
            IncomeKind.SALARY: "Salaire net",
            IncomeKind.UNEMPLOYMENT: "Allocation chômage (brute)",
            IncomeKind.PENSION: "Retraite (brute)",
            IncomeKind.DISABILITY_PENSION: "Pension d'invalidité",
            IncomeKind.ALIMONY: "Pension alimentaire reçue",
        }[self]


class Childcare(StrEnum):
    NONE = "aucun"
    CHILDMINDER = "assistante_maternelle"  # assistante maternelle agréée, employed directly
    HOME_CARER = "garde_a_domicile"


@dataclass(frozen=True)
class Income:
    kind: IncomeKind
    # Oldest first: the month three months ago, two months ago, last month.
    last_3_months: tuple[float, float, float]
    # Total over the twelve months before the current month (the last three included).
    last_12_months: float


@dataclass(frozen=True)
class Member:
    id: str
    role: Role
    birth_date: date
    activity: Activity = Activity.INACTIVE
    work_time: WorkTime | None = None
    monthly_hours: float | None = None  # paid hours per month, part-time only
    contract: ContractType | None = None
    incomes: tuple[Income, ...] = ()
    disability_rate: int = 0  # taux d'incapacité (MDPH), 0–100
    employment_restriction: bool = False  # RSDAE recognised by the CDAPH
    gir: int | None = None  # 1–6, from the département's assessment
    home_help_plan: float = 0.0  # APA home-help plan, €/month
    unemployment_start: date | None = None
    ass_work_history: bool = False  # 5 years of work in the last 10 (ASS condition)
    pregnant: bool = False
    school: School = School.NONE

    def income(self, kind: IncomeKind) -> Income | None:
        return next((i for i in self.incomes if i.kind is kind), None)


@dataclass(frozen=True)
class Housing:
    status: HousingStatus
    commune_insee: str
    rent: float = 0.0  # rent or loan repayment, €/month, charges excluded
    charges: float = 0.0  # service charges, €/month
    shared: bool = False  # colocation


@dataclass(frozen=True)
class Household:
    month: str  # "YYYY-MM": the month the rights are computed for
    members: tuple[Member, ...]
    housing: Housing
    childcare: Childcare = Childcare.NONE
    # Benefit codes (see engine.benefits) the household already receives.
    already_received: frozenset[str] = field(default_factory=frozenset)
    # Single parents: does the other parent pay maintenance? None = not asked (ASF "à vérifier").
    other_parent_pays_maintenance: bool | None = None
    savings: float = 0.0  # savings balance (livret A and similar), €

    @property
    def applicant(self) -> Member:
        return next(m for m in self.members if m.role is Role.APPLICANT)

    @property
    def partner(self) -> Member | None:
        return next((m for m in self.members if m.role is Role.PARTNER), None)

    @property
    def children(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.role is Role.CHILD)

    @property
    def single_parent(self) -> bool:
        return self.partner is None and bool(self.children)


@dataclass(frozen=True)
class FieldError:
    field: str  # dotted path, e.g. "members.1.birth_date" or "housing.rent"
    message: str  # French, for the person at the counter


class SituationError(ValueError):
    """The situation cannot be computed; `errors` says which field and why, in French."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


def month_start(month: str) -> date:
    year, mon = (int(x) for x in month.split("-"))
    return date(year, mon, 1)


def age_at(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def validate(household: Household, *, known_benefits: frozenset[str] | None = None) -> None:
    """Raise SituationError listing every problem; nothing is computed on wrong data."""
    errors: list[FieldError] = []

    def err(path: str, message: str) -> None:
        errors.append(FieldError(path, message))

    if not MONTH_RE.match(household.month or ""):
        err("month", "Le mois de calcul doit être au format AAAA-MM.")
        raise SituationError(errors)
    start = month_start(household.month)
    if not 2020 <= start.year <= 2035:
        err("month", "Le mois de calcul doit être compris entre 2020 et 2035.")

    members = household.members
    applicants = [m for m in members if m.role is Role.APPLICANT]
    if len(applicants) != 1:
        err("members", "Le foyer doit compter exactement un demandeur.")
    if sum(1 for m in members if m.role is Role.PARTNER) > 1:
        err("members", "Le foyer ne peut compter qu'un conjoint.")
    if len(members) > 15:
        err("members", "Un foyer compte au plus 15 personnes.")
    ids = [m.id for m in members]
    if len(set(ids)) != len(ids):
        err("members", "Chaque personne du foyer doit avoir un identifiant distinct.")

    for i, m in enumerate(members):
        p = f"members.{i}"
        if not isinstance(m.birth_date, date):
            err(f"{p}.birth_date", "La date de naissance est obligatoire.")
            continue
        if m.birth_date > _month_end(start):
            err(f"{p}.birth_date", "La date de naissance est postérieure au mois de calcul.")
            continue
        age = age_at(m.birth_date, start)
        if age > 120:
            err(f"{p}.birth_date", "La date de naissance donne un âge de plus de 120 ans.")
        if m.role in (Role.APPLICANT, Role.PARTNER) and age < 16:
            err(f"{p}.birth_date", "Le demandeur et son conjoint doivent avoir au moins 16 ans.")
        if m.role is Role.CHILD and age >= 25:
            err(f"{p}.birth_date", "Un enfant à charge a moins de 25 ans.")
        if not 0 <= m.disability_rate <= 100:
            err(f"{p}.disability_rate", "Le taux d'incapacité est compris entre 0 et 100 %.")
        if m.gir is not None and not 1 <= m.gir <= 6:
            err(f"{p}.gir", "Le GIR est un nombre de 1 à 6.")
        if m.home_help_plan < 0:
            err(f"{p}.home_help_plan", "Le montant du plan d'aide ne peut pas être négatif.")
        if m.home_help_plan > 0 and m.gir is None:
            err(f"{p}.gir", "Un plan d'aide APA suppose un GIR évalué par le département.")
        if m.work_time is WorkTime.PART_TIME and (m.monthly_hours is None or not 0 < m.monthly_hours < 151.67):
            err(f"{p}.monthly_hours", "À temps partiel, indiquez les heures payées par mois (moins de 151,67).")
        if m.monthly_hours is not None and not 0 <= m.monthly_hours <= 250:
            err(f"{p}.monthly_hours", "Le nombre d'heures par mois est compris entre 0 et 250.")
        if m.unemployment_start is not None and m.unemployment_start > _month_end(start):
            err(f"{p}.unemployment_start", "La date d'inscription au chômage est postérieure au mois de calcul.")
        kinds = [inc.kind for inc in m.incomes]
        if len(set(kinds)) != len(kinds):
            err(f"{p}.incomes", "Chaque type de revenu ne se déclare qu'une fois par personne.")
        for inc in m.incomes:
            q = f"{p}.incomes.{inc.kind.value}"
            if len(inc.last_3_months) != 3:
                err(q, "Indiquez les revenus des trois derniers mois.")
                continue
            if any(x is None or x < 0 for x in inc.last_3_months) or inc.last_12_months is None:
                err(q, "Les revenus ne peuvent pas être négatifs.")
                continue
            if inc.last_12_months < 0:
                err(q, "Les revenus ne peuvent pas être négatifs.")
            elif inc.last_12_months + 0.005 < sum(inc.last_3_months):
                err(
                    f"{q}.last_12_months",
                    "Le total des 12 derniers mois ne peut pas être inférieur à celui des 3 derniers mois.",
                )
            if max(inc.last_3_months) > 100_000 or inc.last_12_months > 1_200_000:
                err(q, "Montant invraisemblable : vérifiez la saisie (montants en euros par mois).")
        if m.role is Role.CHILD and age < 14 and any(i.kind is IncomeKind.SALARY for i in m.incomes):
            err(f"{p}.incomes", "Un enfant de moins de 14 ans ne perçoit pas de salaire.")

    h = household.housing
    if not INSEE_RE.match(h.commune_insee or ""):
        err("housing.commune_insee", "Le code INSEE de la commune compte 5 caractères (ex. 46042).")
    if h.rent < 0 or h.charges < 0:
        err("housing.rent", "Le loyer et les charges ne peuvent pas être négatifs.")
    elif h.status.pays_rent and h.rent <= 0:
        err("housing.rent", "Indiquez le loyer (ou la mensualité d'emprunt) hors charges.")
    if not h.status.pays_rent and h.rent > 0:
        err("housing.rent", "Un loyer n'est indiqué que pour un locataire ou un accédant.")
    if h.rent > 10_000:
        err("housing.rent", "Loyer invraisemblable : vérifiez la saisie (euros par mois).")
    if household.savings < 0:
        err("savings", "L'épargne ne peut pas être négative.")
    if household.childcare is not Childcare.NONE and not any(
        m.role is Role.CHILD and age_at(m.birth_date, start) < 6 for m in members if isinstance(m.birth_date, date)
    ):
        err("childcare", "Le mode de garde ne concerne qu'un enfant de moins de 6 ans.")
    if known_benefits is not None:
        unknown = sorted(set(household.already_received) - known_benefits)
        if unknown:
            err("already_received", f"Prestations inconnues : {', '.join(unknown)}.")
    if errors:
        raise SituationError(errors)


def _month_end(start: date) -> date:
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)
