"""Household situations to and from plain JSON-able dicts (pure module, no Django import).

Used to save a check with the situation it was computed on, by the API and by the batch
reader. `household_from_dict` never raises anything but SituationError, whose field paths
follow the dict's keys.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .situation import (
    Activity,
    Childcare,
    ContractType,
    FieldError,
    Household,
    Housing,
    HousingStatus,
    Income,
    IncomeKind,
    Member,
    Role,
    School,
    SituationError,
    WorkTime,
)


def household_to_dict(h: Household) -> dict[str, Any]:
    return {
        "month": h.month,
        "members": [
            {
                "id": m.id,
                "role": m.role.value,
                "birth_date": m.birth_date.isoformat(),
                "activity": m.activity.value,
                "work_time": m.work_time.value if m.work_time else None,
                "monthly_hours": m.monthly_hours,
                "contract": m.contract.value if m.contract else None,
                "incomes": [
                    {"kind": i.kind.value, "last_3_months": list(i.last_3_months), "last_12_months": i.last_12_months}
                    for i in m.incomes
                ],
                "disability_rate": m.disability_rate,
                "employment_restriction": m.employment_restriction,
                "gir": m.gir,
                "home_help_plan": m.home_help_plan,
                "unemployment_start": m.unemployment_start.isoformat() if m.unemployment_start else None,
                "ass_work_history": m.ass_work_history,
                "pregnant": m.pregnant,
                "school": m.school.value,
            }
            for m in h.members
        ],
        "housing": {
            "status": h.housing.status.value,
            "commune_insee": h.housing.commune_insee,
            "rent": h.housing.rent,
            "charges": h.housing.charges,
            "shared": h.housing.shared,
        },
        "childcare": h.childcare.value,
        "already_received": sorted(h.already_received),
        "other_parent_pays_maintenance": h.other_parent_pays_maintenance,
        "savings": h.savings,
    }


class _Reader:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def enum(self, cls, value, path: str, *, optional: bool = False, default=None):
        if value in (None, ""):
            if optional:
                return default
            self.fail(path, "Ce champ est obligatoire.")
            return None
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(v.value for v in cls)
            self.fail(path, f"Valeur « {value} » inconnue ; valeurs possibles : {allowed}.")
            return None

    def number(self, value, path: str, *, default: float | None = 0.0, integer: bool = False):
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            self.fail(path, "Un nombre est attendu.")
            return default
        try:
            number = float(str(value).replace(",", ".").replace("\u202f", "").replace(" ", ""))
        except ValueError:
            self.fail(path, f"« {value} » n'est pas un nombre.")
            return default
        if number != number or number in (float("inf"), float("-inf")):
            self.fail(path, "Un nombre fini est attendu.")
            return default
        if integer:
            if number != int(number):
                self.fail(path, "Un nombre entier est attendu.")
            return int(number)
        return number

    def day(self, value, path: str, *, optional: bool = False):
        if value in (None, ""):
            if not optional:
                self.fail(path, "Ce champ est obligatoire.")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(path, f"« {value} » n'est pas une date au format AAAA-MM-JJ.")
            return None

    def boolean(self, value, path: str, *, optional: bool = False):
        if value in (None, ""):
            return None if optional else False
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "oui", "o", "yes", "vrai"}:
            return True
        if text in {"0", "false", "non", "n", "no", "faux"}:
            return False
        self.fail(path, f"« {value} » : oui ou non attendu.")
        return None


def household_from_dict(data: Any) -> Household:
    """Build a Household from a dict; shape and type errors are collected, not raised one by one."""
    r = _Reader()
    if not isinstance(data, dict):
        raise SituationError([FieldError("", "Un objet JSON décrivant le foyer est attendu.")])
    members: list[Member] = []
    raw_members = data.get("members")
    if not isinstance(raw_members, list) or not raw_members:
        r.fail("members", "Indiquez au moins une personne (le demandeur).")
        raw_members = []
    for i, raw in enumerate(raw_members):
        p = f"members.{i}"
        if not isinstance(raw, dict):
            r.fail(p, "Un objet est attendu pour chaque personne.")
            continue
        incomes: list[Income] = []
        raw_incomes = raw.get("incomes") or []
        if not isinstance(raw_incomes, list):
            r.fail(f"{p}.incomes", "Une liste de revenus est attendue.")
            raw_incomes = []
        for j, inc in enumerate(raw_incomes):
            q = f"{p}.incomes.{j}"
            if not isinstance(inc, dict):
                r.fail(q, "Un objet est attendu pour chaque revenu.")
                continue
            kind = r.enum(IncomeKind, inc.get("kind"), f"{q}.kind")
            months = inc.get("last_3_months")
            if not isinstance(months, list | tuple) or len(months) != 3:
                r.fail(f"{q}.last_3_months", "Trois montants mensuels sont attendus (du plus ancien au plus récent).")
                continue
            values = tuple(r.number(x, f"{q}.last_3_months.{k}") for k, x in enumerate(months))
            total = r.number(inc.get("last_12_months"), f"{q}.last_12_months", default=None)
            if total is None:
                total = sum(v or 0 for v in values) * 4
            if kind is not None:
                incomes.append(Income(kind=kind, last_3_months=values, last_12_months=total))
        role = r.enum(Role, raw.get("role"), f"{p}.role")
        birth = r.day(raw.get("birth_date"), f"{p}.birth_date")
        member = Member(
            id=str(raw.get("id") or f"p{i}"),
            role=role or Role.OTHER,
            birth_date=birth or date(1970, 1, 1),
            activity=r.enum(Activity, raw.get("activity"), f"{p}.activity", optional=True, default=Activity.INACTIVE),
            work_time=r.enum(WorkTime, raw.get("work_time"), f"{p}.work_time", optional=True),
            monthly_hours=r.number(raw.get("monthly_hours"), f"{p}.monthly_hours", default=None),
            contract=r.enum(ContractType, raw.get("contract"), f"{p}.contract", optional=True),
            incomes=tuple(incomes),
            disability_rate=r.number(raw.get("disability_rate"), f"{p}.disability_rate", default=0, integer=True),
            employment_restriction=r.boolean(raw.get("employment_restriction"), f"{p}.employment_restriction"),
            gir=r.number(raw.get("gir"), f"{p}.gir", default=None, integer=True),
            home_help_plan=r.number(raw.get("home_help_plan"), f"{p}.home_help_plan"),
            unemployment_start=r.day(raw.get("unemployment_start"), f"{p}.unemployment_start", optional=True),
            ass_work_history=r.boolean(raw.get("ass_work_history"), f"{p}.ass_work_history"),
            pregnant=r.boolean(raw.get("pregnant"), f"{p}.pregnant"),
            school=r.enum(School, raw.get("school"), f"{p}.school", optional=True, default=School.NONE),
        )
        members.append(member)
    raw_housing = data.get("housing")
    if not isinstance(raw_housing, dict):
        r.fail("housing", "Indiquez le logement (statut et commune).")
        raw_housing = {}
    housing = Housing(
        status=r.enum(HousingStatus, raw_housing.get("status"), "housing.status") or HousingStatus.HOSTED,
        commune_insee=str(raw_housing.get("commune_insee") or ""),
        rent=r.number(raw_housing.get("rent"), "housing.rent"),
        charges=r.number(raw_housing.get("charges"), "housing.charges"),
        shared=r.boolean(raw_housing.get("shared"), "housing.shared"),
    )
    received = data.get("already_received") or []
    if isinstance(received, str):
        received = [c.strip() for c in received.split(",") if c.strip()]
    if not isinstance(received, list | tuple | set | frozenset):
        r.fail("already_received", "Une liste de codes de prestations est attendue.")
        received = []
    household = Household(
        month=str(data.get("month") or ""),
        members=tuple(members),
        housing=housing,
        childcare=r.enum(Childcare, data.get("childcare"), "childcare", optional=True, default=Childcare.NONE),
        already_received=frozenset(str(c) for c in received),
        other_parent_pays_maintenance=r.boolean(
            data.get("other_parent_pays_maintenance"), "other_parent_pays_maintenance", optional=True
        ),
        savings=r.number(data.get("savings"), "savings"),
    )
    if r.errors:
        raise SituationError(r.errors)
    return household
