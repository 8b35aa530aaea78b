"""Employment contract drafts and the legal rules they must meet (pure module, no Django import).

A draft is a flat dataclass whose field names are the form's; :func:`check` returns the
problems, each on one field, in French, citing the article of the code du travail. Only
rules we are sure of are here; a branch agreement may allow more (longer CDD, more
renewals, fewer hours): the draft records it and the rule then uses it. A draft remains
a draft, to be checked by the HR advisor: this is not legal advice.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum

LEGAL_WEEKLY_HOURS = 35.0  # art. L3121-27
LEGAL_MONTHLY_HOURS = 151.67  # 35 h × 52 / 12
PART_TIME_MINIMUM_WEEKLY = 24.0  # art. L3123-27
WEEKS_PER_MONTH = 52 / 12


class Kind(StrEnum):
    CDI = "cdi"
    CDD = "cdd"

    @property
    def label(self) -> str:
        return {"cdi": "Contrat à durée indéterminée (CDI)", "cdd": "Contrat à durée déterminée (CDD)"}[self.value]


class Category(StrEnum):
    """The employee's category, which sets the CDI trial period maximum (art. L1221-19)."""

    EMPLOYEE = "employe"
    SUPERVISOR = "agent_maitrise"
    MANAGER = "cadre"

    @property
    def label(self) -> str:
        return {
            "employe": "Ouvrier ou employé",
            "agent_maitrise": "Agent de maîtrise ou technicien",
            "cadre": "Cadre",
        }[self.value]


CDI_TRIAL_MONTHS = {Category.EMPLOYEE: 2, Category.SUPERVISOR: 3, Category.MANAGER: 4}


class CddReason(StrEnum):
    """The cases in which a CDD may be concluded (art. L1242-2 and L1242-3)."""

    REPLACEMENT = "remplacement"
    DEFINITIVE_DEPARTURE = "depart_definitif"
    AWAITING_HIRE = "attente_cdi"
    TEMPORARY_INCREASE = "accroissement"
    SEASONAL = "saisonnier"
    CUSTOMARY = "usage"
    OWNER_REPLACEMENT = "remplacement_chef"
    EMPLOYMENT_POLICY = "politique_emploi"

    @property
    def label(self) -> str:
        return CDD_REASON_LABELS[self]

    @property
    def article(self) -> str:
        return CDD_REASON_ARTICLES[self]


CDD_REASON_LABELS = {
    CddReason.REPLACEMENT: "Remplacement d'un salarié absent ou dont le contrat est suspendu",
    CddReason.DEFINITIVE_DEPARTURE: "Remplacement d'un salarié en cas de départ définitif précédant la suppression "
    "de son poste",
    CddReason.AWAITING_HIRE: "Attente de l'entrée en service d'un salarié recruté en CDI",
    CddReason.TEMPORARY_INCREASE: "Accroissement temporaire de l'activité de l'entreprise",
    CddReason.SEASONAL: "Emploi à caractère saisonnier",
    CddReason.CUSTOMARY: "Emploi pour lequel il est d'usage constant de ne pas recourir au CDI (CDD d'usage)",
    CddReason.OWNER_REPLACEMENT: "Remplacement du chef d'entreprise, de son conjoint collaborateur ou d'un associé",
    CddReason.EMPLOYMENT_POLICY: "Contrat au titre des politiques de l'emploi (contrat aidé) ou de formation",
}
CDD_REASON_ARTICLES = {
    CddReason.REPLACEMENT: "art. L1242-2, 1°",
    CddReason.DEFINITIVE_DEPARTURE: "art. L1242-2, 1°",
    CddReason.AWAITING_HIRE: "art. L1242-2, 1°",
    CddReason.TEMPORARY_INCREASE: "art. L1242-2, 2°",
    CddReason.SEASONAL: "art. L1242-2, 3°",
    CddReason.CUSTOMARY: "art. L1242-2, 3°",
    CddReason.OWNER_REPLACEMENT: "art. L1242-2, 4°",
    CddReason.EMPLOYMENT_POLICY: "art. L1242-3",
}
# A CDD may have no precise term only in these cases (art. L1242-7); it then has a minimum duration.
WITHOUT_TERM_ALLOWED = frozenset(
    {
        CddReason.REPLACEMENT,
        CddReason.AWAITING_HIRE,
        CddReason.SEASONAL,
        CddReason.CUSTOMARY,
        CddReason.OWNER_REPLACEMENT,
    }
)
# Maximum total duration, renewals included, when the branch agreement says nothing (art. L1242-8-1).
MAX_MONTHS = {
    CddReason.REPLACEMENT: 18,
    CddReason.TEMPORARY_INCREASE: 18,
    CddReason.AWAITING_HIRE: 9,
    CddReason.DEFINITIVE_DEPARTURE: 24,
}
DEFAULT_MAX_RENEWALS = 2  # art. L1243-13-1


class TrialUnit(StrEnum):
    DAYS = "jours"
    WEEKS = "semaines"
    MONTHS = "mois"


class ReducedHoursBasis(StrEnum):
    """Why a part-time employee may work under 24 hours a week."""

    NONE = ""
    EMPLOYEE_REQUEST = "demande_salarie"
    STUDENT = "etudiant"
    BRANCH_AGREEMENT = "accord_branche"

    @property
    def label(self) -> str:
        return {
            "": "Aucune : au moins 24 heures par semaine",
            "demande_salarie": "Demande écrite et motivée du salarié (contraintes personnelles ou cumul d'emplois)",
            "etudiant": "Salarié de moins de 26 ans poursuivant des études",
            "accord_branche": "Convention ou accord de branche étendu fixant une durée minimale inférieure",
        }[self.value]


WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass
class Draft:
    kind: Kind = Kind.CDI
    part_time: bool = False
    # The employer
    employer_name: str = ""
    employer_siret: str = ""
    employer_address: str = ""
    employer_idcc: str = ""
    collective_agreement: str = ""  # its name, as the contract must name it
    pension_fund: str = ""  # caisse de retraite complémentaire
    welfare_body: str = ""  # organisme de prévoyance, if any
    # The employee
    employee_first_names: str = ""
    employee_last_name: str = ""
    employee_birth_date: dt.date | None = None
    employee_address: str = ""
    # The job
    job_title: str = ""
    qualification: str = ""  # classification under the collective agreement (level, coefficient)
    category: Category = Category.EMPLOYEE
    workplace: str = ""
    start_date: dt.date | None = None
    trial_value: int = 0
    trial_unit: TrialUnit = TrialUnit.MONTHS
    gross_monthly_salary: float | None = None
    # Part time (art. L3123-6)
    weekly_hours: float | None = None
    monthly_hours: float | None = None
    distribution: dict[str, float] = field(default_factory=dict)  # weekday -> hours
    distribution_changes: str = ""  # when and how the distribution may change
    schedule_notice: str = ""  # how the daily hours are given in writing
    complementary_percent: int = 10
    complementary_branch: bool = False  # a branch agreement allows up to a third (art. L3123-21)
    reduced_hours_basis: ReducedHoursBasis = ReducedHoursBasis.NONE
    # CDD
    cdd_reason: str = ""
    cdd_reason_detail: str = ""
    replaced_name: str = ""
    replaced_job: str = ""
    replaced_on_strike: bool = False
    dangerous_work: bool = False
    economic_dismissal_6_months: bool = False
    end_date: dt.date | None = None
    minimum_weeks: int | None = None
    renewals: int = 0
    branch_max_months: int | None = None
    branch_max_renewals: int | None = None

    # --- derived values

    @property
    def reason(self) -> CddReason | None:
        try:
            return CddReason(self.cdd_reason)
        except ValueError:
            return None

    @property
    def effective_weekly_hours(self) -> float | None:
        if not self.part_time:
            return LEGAL_WEEKLY_HOURS
        if self.weekly_hours:
            return self.weekly_hours
        if self.monthly_hours:
            return round(self.monthly_hours / WEEKS_PER_MONTH, 2)
        return None

    @property
    def effective_monthly_hours(self) -> float | None:
        if not self.part_time:
            return LEGAL_MONTHLY_HOURS
        if self.monthly_hours:
            return self.monthly_hours
        if self.weekly_hours:
            return round(self.weekly_hours * WEEKS_PER_MONTH, 2)
        return None

    @property
    def hourly_rate(self) -> float | None:
        hours = self.effective_monthly_hours
        if self.gross_monthly_salary is None or not hours:
            return None
        return round(self.gross_monthly_salary / hours, 4)

    @property
    def worked_days(self) -> list[tuple[str, float]]:
        return [(day, self.distribution[day]) for day in WEEKDAYS if self.distribution.get(day)]

    def initial_duration_days(self) -> int | None:
        """The contract's initial duration in days: to its end date, else its minimum duration."""
        if self.start_date is None:
            return None
        if self.end_date is not None:
            return (self.end_date - self.start_date).days + 1
        if self.minimum_weeks:
            return self.minimum_weeks * 7
        return None

    # --- JSON form

    def to_dict(self) -> dict:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, dt.date):
                data[key] = value.isoformat()
            elif isinstance(value, StrEnum):
                data[key] = value.value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Draft:
        known = {f.name: f for f in fields(cls)}
        values = {}
        for key, value in (data or {}).items():
            if key not in known:
                continue
            if key in DATE_FIELDS and isinstance(value, str):
                value = dt.date.fromisoformat(value) if value else None
            values[key] = value
        draft = cls(**values)
        draft.kind = Kind(draft.kind)
        draft.category = Category(draft.category)
        draft.trial_unit = TrialUnit(draft.trial_unit)
        draft.reduced_hours_basis = ReducedHoursBasis(draft.reduced_hours_basis or "")
        return draft


DATE_FIELDS = frozenset({"employee_birth_date", "start_date", "end_date"})


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    blocking: bool = True


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def trial_end(draft: Draft) -> dt.date | None:
    """The last day of the trial period (None without one or without a start date)."""
    if not draft.trial_value or draft.start_date is None:
        return None
    if draft.trial_unit is TrialUnit.MONTHS:
        return add_months(draft.start_date, draft.trial_value) - dt.timedelta(days=1)
    days = draft.trial_value * (7 if draft.trial_unit is TrialUnit.WEEKS else 1)
    return draft.start_date + dt.timedelta(days=days - 1)


def _age_at(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _fmt(value: float) -> str:
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return text[:-3] if text.endswith(",00") else text


def check(draft: Draft, *, smic_hourly: float | None = None, smic_label: str = "") -> list[Problem]:
    """Every problem of the draft, blocking ones first; an empty list means it can be generated."""
    problems: list[Problem] = []
    problems += _required(draft)
    problems += _trial_period(draft)
    problems += _salary(draft, smic_hourly, smic_label)
    if draft.part_time:
        problems += _part_time(draft)
    if draft.kind is Kind.CDD:
        problems += _cdd(draft)
    return sorted(problems, key=lambda p: not p.blocking)


REQUIRED = {
    "employer_name": "la raison sociale de l'employeur",
    "employer_siret": "le SIRET de l'employeur",
    "employer_address": "l'adresse de l'employeur",
    "employee_first_names": "le prénom du salarié",
    "employee_last_name": "le nom du salarié",
    "employee_birth_date": "la date de naissance du salarié",
    "employee_address": "l'adresse du salarié",
    "job_title": "l'intitulé du poste",
    "qualification": "la qualification ou la classification du poste",
    "workplace": "le lieu de travail",
    "start_date": "la date d'embauche",
    "gross_monthly_salary": "le salaire brut mensuel",
}


def _required(draft: Draft) -> list[Problem]:
    problems = [
        Problem(name, f"Indiquez {what} : c'est une information due au salarié (art. L1221-5-1 et R1221-34).")
        for name, what in REQUIRED.items()
        if getattr(draft, name) in (None, "")
    ]
    if draft.kind is Kind.CDD and not draft.pension_fund.strip():
        problems.append(
            Problem(
                "pension_fund",
                "Indiquez la caisse de retraite complémentaire : c'est une mention obligatoire du CDD (art. L1242-12).",
            )
        )
    if draft.employer_idcc and not draft.collective_agreement:
        problems.append(
            Problem(
                "collective_agreement",
                "Nommez la convention collective applicable (IDCC "
                f"{draft.employer_idcc}) : le contrat doit la mentionner (art. R1221-34).",
            )
        )
    return problems


def _trial_period(draft: Draft) -> list[Problem]:
    end = trial_end(draft)
    if end is None:
        return []
    if draft.trial_value < 0:
        return [Problem("trial_value", "La durée de la période d'essai ne peut être négative.")]
    if draft.kind is Kind.CDI:
        months = CDI_TRIAL_MONTHS[draft.category]
        if end > add_months(draft.start_date, months) - dt.timedelta(days=1):
            return [
                Problem(
                    "trial_value",
                    f"La période d'essai d'un CDI ne peut dépasser {months} mois pour un salarié de la catégorie "
                    f"« {draft.category.label} » (art. L1221-19 ; son renouvellement n'est possible que si un "
                    "accord de branche étendu le prévoit et que le contrat le stipule, art. L1221-21).",
                )
            ]
        return []
    duration = draft.initial_duration_days()
    if duration is None:
        return []
    if draft.start_date + dt.timedelta(days=duration - 1) < add_months(draft.start_date, 6):
        allowed_days = min(duration // 7, 14)
        if (end - draft.start_date).days + 1 > allowed_days:
            return [
                Problem(
                    "trial_value",
                    f"Pour un CDD de six mois au plus, la période d'essai est d'un jour par semaine de contrat, "
                    f"deux semaines au plus : {allowed_days} jour{'s' if allowed_days > 1 else ''} ici "
                    "(art. L1242-10).",
                )
            ]
        return []
    if end > add_months(draft.start_date, 1) - dt.timedelta(days=1):
        return [
            Problem(
                "trial_value",
                "Pour un CDD de plus de six mois, la période d'essai ne peut dépasser un mois (art. L1242-10).",
            )
        ]
    return []


def _salary(draft: Draft, smic_hourly: float | None, smic_label: str) -> list[Problem]:
    problems = []
    salary = draft.gross_monthly_salary
    if salary is not None and salary <= 0:
        return [Problem("gross_monthly_salary", "Le salaire brut mensuel doit être positif.")]
    hours = draft.effective_monthly_hours
    if salary is not None and hours and smic_hourly:
        minimum = round(smic_hourly * hours, 2)
        if salary + 0.005 < minimum:
            problems.append(
                Problem(
                    "gross_monthly_salary",
                    f"Le salaire ne peut être inférieur au SMIC (art. L3231-1 et suivants) : {_fmt(smic_hourly)} € "
                    f"brut de l'heure{' ' + smic_label if smic_label else ''}, soit {_fmt(minimum)} € brut pour "
                    f"{_fmt(hours)} h par mois.",
                )
            )
    if salary is not None and draft.employer_idcc:
        problems.append(
            Problem(
                "gross_monthly_salary",
                "Vérifiez aussi le salaire minimum que la convention collective fixe pour cette classification : "
                "il peut dépasser le SMIC.",
                blocking=False,
            )
        )
    return problems


def _part_time(draft: Draft) -> list[Problem]:
    problems = []
    weekly = draft.effective_weekly_hours
    if weekly is None:
        return [
            Problem(
                "monthly_hours",
                "Indiquez la durée hebdomadaire ou mensuelle de travail : c'est une mention obligatoire du contrat "
                "à temps partiel (art. L3123-6).",
            )
        ]
    if weekly >= LEGAL_WEEKLY_HOURS:
        problems.append(
            Problem(
                "monthly_hours" if draft.monthly_hours else "weekly_hours",
                "Un temps partiel est une durée inférieure à la durée légale de 35 heures par semaine "
                "(151,67 heures par mois) (art. L3123-1).",
            )
        )
    days = draft.worked_days
    if not days:
        problems.append(
            Problem(
                "distribution",
                "Indiquez la répartition des heures entre les jours de la semaine : c'est une mention obligatoire "
                "du contrat à temps partiel (art. L3123-6).",
            )
        )
    elif abs(sum(h for _, h in days) - weekly) > 0.05:
        problems.append(
            Problem(
                "distribution",
                f"La répartition ({_fmt(sum(h for _, h in days))} h) ne correspond pas à la durée hebdomadaire "
                f"du contrat ({_fmt(weekly)} h) (art. L3123-6).",
            )
        )
    if any(h < 0 or h > 10 for _, h in days):
        problems.append(
            Problem(
                "distribution",
                "La durée quotidienne de travail ne peut dépasser 10 heures, sauf dérogation (art. L3121-18).",
            )
        )
    if not draft.distribution_changes.strip():
        problems.append(
            Problem(
                "distribution_changes",
                "Indiquez les cas dans lesquels la répartition peut être modifiée et la nature de cette modification "
                "(art. L3123-6).",
            )
        )
    if not draft.schedule_notice.strip():
        problems.append(
            Problem(
                "schedule_notice",
                "Indiquez comment les horaires de chaque journée travaillée sont communiqués par écrit au salarié "
                "(art. L3123-6).",
            )
        )
    problems += _minimum_hours(draft, weekly)
    problems += _complementary_hours(draft, weekly)
    return problems


def _minimum_hours(draft: Draft, weekly: float) -> list[Problem]:
    if weekly + 0.005 >= PART_TIME_MINIMUM_WEEKLY:
        return []
    reason = draft.reason if draft.kind is Kind.CDD else None
    duration = draft.initial_duration_days() if draft.kind is Kind.CDD else None
    if reason is CddReason.REPLACEMENT or (duration is not None and draft.end_date is not None and duration <= 7):
        return []  # art. L3123-7: not for a replacement CDD nor a contract of seven days at most
    basis = draft.reduced_hours_basis
    field_name = "monthly_hours" if draft.monthly_hours else "weekly_hours"
    if basis is ReducedHoursBasis.NONE:
        return [
            Problem(
                field_name,
                f"{_fmt(weekly)} h par semaine : un temps partiel compte au moins 24 heures par semaine "
                "(104 heures par mois) (art. L3123-27), sauf demande écrite et motivée du salarié, étudiant de "
                "moins de 26 ans (art. L3123-7) ou accord de branche étendu (art. L3123-19). Indiquez la "
                "dérogation qui s'applique.",
            )
        ]
    student_too_old = (
        basis is ReducedHoursBasis.STUDENT
        and draft.employee_birth_date is not None
        and draft.start_date is not None
        and _age_at(draft.employee_birth_date, draft.start_date) >= 26
    )
    if student_too_old:
        return [
            Problem(
                "reduced_hours_basis",
                "La dérogation des étudiants ne vaut que pour un salarié de moins de 26 ans (art. L3123-7).",
            )
        ]
    if basis is ReducedHoursBasis.EMPLOYEE_REQUEST:
        return [
            Problem(
                "reduced_hours_basis",
                "Gardez la demande écrite et motivée du salarié ; ses horaires doivent être regroupés sur des "
                "journées ou des demi-journées régulières ou complètes (art. L3123-7).",
                blocking=False,
            )
        ]
    return []


def _complementary_hours(draft: Draft, weekly: float) -> list[Problem]:
    percent = draft.complementary_percent
    if percent is None or percent < 0:
        return [Problem("complementary_percent", "Indiquez la limite des heures complémentaires (art. L3123-6).")]
    if percent > 33:
        return [
            Problem(
                "complementary_percent",
                "Les heures complémentaires ne peuvent dépasser le tiers de la durée du contrat (art. L3123-21).",
            )
        ]
    if percent > 10 and not draft.complementary_branch:
        return [
            Problem(
                "complementary_percent",
                "Sans accord collectif qui le permette, les heures complémentaires sont limitées au dixième de la "
                "durée du contrat (art. L3123-20 ; jusqu'au tiers par accord, art. L3123-21).",
            )
        ]
    if weekly * (1 + percent / 100) >= LEGAL_WEEKLY_HOURS:
        return [
            Problem(
                "complementary_percent",
                "Les heures complémentaires ne peuvent porter la durée du travail au niveau de la durée légale "
                "(35 heures par semaine) (art. L3123-9) : réduisez leur limite.",
            )
        ]
    return []


def _cdd(draft: Draft) -> list[Problem]:
    reason = draft.reason
    if reason is None:
        return [
            Problem(
                "cdd_reason",
                "Choisissez le motif du CDD parmi les cas prévus par la loi (art. L1242-2 et L1242-3) : un CDD ne "
                "peut pourvoir durablement un emploi lié à l'activité normale et permanente de l'entreprise "
                "(art. L1242-1).",
            )
        ]
    problems = []
    if not draft.cdd_reason_detail.strip():
        problems.append(
            Problem(
                "cdd_reason_detail",
                "Définissez précisément le motif du recours au CDD : c'est une mention obligatoire (art. L1242-12).",
            )
        )
    if reason in (CddReason.REPLACEMENT, CddReason.DEFINITIVE_DEPARTURE):
        for name, what in (("replaced_name", "le nom"), ("replaced_job", "la qualification")):
            if not getattr(draft, name).strip():
                problems.append(
                    Problem(
                        name,
                        f"Indiquez {what} de la personne remplacée : c'est une mention obligatoire du CDD de "
                        "remplacement (art. L1242-12, 1°).",
                    )
                )
    if draft.replaced_on_strike:
        problems.append(
            Problem(
                "replaced_on_strike",
                "Un CDD ne peut pas remplacer un salarié dont le contrat est suspendu par un conflit collectif de "
                "travail (grève) (art. L1242-6, 1°).",
            )
        )
    if draft.dangerous_work:
        problems.append(
            Problem(
                "dangerous_work",
                "Un CDD ne peut pas être conclu pour des travaux particulièrement dangereux figurant sur la liste "
                "réglementaire (art. L1242-6, 2°, et D4154-1).",
            )
        )
    problems += _cdd_term(draft, reason)
    if reason is CddReason.TEMPORARY_INCREASE and draft.economic_dismissal_6_months:
        short = (
            draft.initial_duration_days() is not None
            and draft.end_date is not None
            and draft.end_date < add_months(draft.start_date, 3)
            and draft.renewals == 0
        )
        if not short:
            problems.append(
                Problem(
                    "economic_dismissal_6_months",
                    "Dans les six mois qui suivent un licenciement économique, un CDD pour accroissement temporaire "
                    "d'activité est interdit sur les postes concernés (art. L1242-5), sauf contrat de trois mois au "
                    "plus non renouvelable ou commande exceptionnelle à l'exportation.",
                )
            )
    return problems


def _cdd_term(draft: Draft, reason: CddReason) -> list[Problem]:
    problems = []
    if draft.end_date is None:
        if reason not in WITHOUT_TERM_ALLOWED:
            return [
                Problem(
                    "end_date",
                    "Pour ce motif, le CDD doit comporter un terme précis : indiquez sa date de fin (art. L1242-7).",
                )
            ]
        if not draft.minimum_weeks:
            return [
                Problem(
                    "minimum_weeks",
                    "Sans date de fin précise, le CDD doit fixer une durée minimale (art. L1242-7).",
                )
            ]
    elif draft.start_date is not None and draft.end_date < draft.start_date:
        return [Problem("end_date", "La date de fin précède la date d'embauche.")]
    maximum = draft.branch_max_months or MAX_MONTHS.get(reason)
    if draft.end_date and draft.start_date and maximum and draft.end_date >= add_months(draft.start_date, maximum):
        source = (
            "selon la convention de branche (art. L1242-8)"
            if draft.branch_max_months
            else "à défaut de convention de branche qui en dispose autrement (art. L1242-8-1)"
        )
        problems.append(
            Problem(
                "end_date",
                f"Pour ce motif, la durée totale du CDD, renouvellements compris, ne peut dépasser {maximum} mois "
                f"{source}.",
            )
        )
    max_renewals = draft.branch_max_renewals if draft.branch_max_renewals is not None else DEFAULT_MAX_RENEWALS
    if draft.renewals < 0 or draft.renewals > max_renewals:
        source = (
            "selon la convention de branche (art. L1243-13)"
            if draft.branch_max_renewals is not None
            else ("à défaut de convention de branche (art. L1243-13-1)")
        )
        problems.append(Problem("renewals", f"Un CDD peut être renouvelé {max_renewals} fois au plus, {source}."))
    return problems
