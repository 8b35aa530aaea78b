"""The situation a check starts from: what the person's file holds, completed by their latest check.

The file is the reference for who the person is and where and how they live (birth dates,
the household members, the commune, the housing status and rent, the GIR); the latest
saved check supplies what the file does not hold (each member's activity and incomes,
charges, childcare, the benefits already received, savings). The result is the engine's
dict form (``engine.serialize.household_to_dict``), which the counter form and the
re-check both read.

Only what the access function granted reaches this module: :func:`facts_from_record`
takes a :class:`~carte_blanche.consent.access.PersonRecord`, and the re-check builds
:class:`FileFacts` with the categories the person's consent still allows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from carte_blanche.people.models import HousingStatus as FileHousing
from carte_blanche.people.models import Relationship
from carte_blanche.rights.engine import HousingStatus, Role
from carte_blanche.rights.engine.situation import age_at

# The file's housing statuses, in the engine's words. A "locataire" of the file rents an
# unfurnished home from a private landlord unless the agent says otherwise on the form.
HOUSING_FROM_FILE: dict[str, HousingStatus] = {
    FileHousing.TENANT: HousingStatus.TENANT_PRIVATE,
    FileHousing.SOCIAL_TENANT: HousingStatus.TENANT_SOCIAL,
    FileHousing.OWNER: HousingStatus.OWNER,
    FileHousing.HOSTED: HousingStatus.HOSTED,
    FileHousing.NO_HOME: HousingStatus.HOMELESS,
}
# And back, for saving a situation into the file (the file has fewer, broader statuses).
HOUSING_TO_FILE: dict[HousingStatus, str] = {
    HousingStatus.TENANT_PRIVATE: FileHousing.TENANT,
    HousingStatus.TENANT_FURNISHED: FileHousing.TENANT,
    HousingStatus.HOSTEL: FileHousing.TENANT,
    HousingStatus.TENANT_SOCIAL: FileHousing.SOCIAL_TENANT,
    HousingStatus.OWNER: FileHousing.OWNER,
    HousingStatus.BUYER: FileHousing.OWNER,
    HousingStatus.HOSTED: FileHousing.HOSTED,
    HousingStatus.HOMELESS: FileHousing.NO_HOME,
}
ROLE_TO_FILE: dict[Role, str] = {
    Role.PARTNER: Relationship.SPOUSE,
    Role.CHILD: Relationship.CHILD,
    Role.OTHER: Relationship.OTHER,
}
APPLICANT_ID = "demandeur"
CHILD_AGE_LIMIT = 25  # the engine's limit for a dependent child


@dataclass(frozen=True)
class FileMember:
    id: str  # "m<HouseholdMember pk>": a member of the file keeps this id in every check
    first_name: str
    birth_date: dt.date
    relationship: str
    is_dependent: bool


@dataclass(frozen=True)
class FileFacts:
    """What the person's file says, for the categories the reader was granted (None: not granted)."""

    birth_date: dt.date | None = None
    first_name: str = ""  # for display on the form only
    commune_insee: str | None = None
    housing_status: str | None = None  # a people.HousingStatus value ("" = not filled in)
    monthly_rent: Decimal | None = None
    monthly_resources: Decimal | None = None
    household: tuple[FileMember, ...] | None = None
    gir: int | None = None
    disability_recognised: bool | None = None


def member_id(household_member_pk: int) -> str:
    return f"m{household_member_pk}"


def _members(rows) -> tuple[FileMember, ...]:
    return tuple(FileMember(member_id(m.pk), m.first_name, m.birth_date, m.relationship, m.is_dependent) for m in rows)


def facts_from_record(record) -> FileFacts:
    """The facts of a PersonRecord returned by ``access_person`` (absent sections stay None)."""
    identity, contact, income, health = record.identity, record.contact, record.household_income, record.health_autonomy
    commune = contact.get("commune") if contact else None
    return FileFacts(
        birth_date=identity["birth_date"] if identity else None,
        first_name=identity["first_names"] if identity else "",
        commune_insee=getattr(commune, "insee_code", None),
        housing_status=income["housing_status"] if income else None,
        monthly_rent=income["monthly_rent"] if income else None,
        monthly_resources=income["monthly_resources"] if income else None,
        household=_members(record.household) if record.household is not None else None,
        gir=health["autonomy_gir"] if health else None,
        disability_recognised=health["disability_recognised"] if health else None,
    )


def facts_from_person(person, *, household_income: bool, health_autonomy: bool) -> FileFacts:
    """The same facts read by the system for a re-check, limited to the categories still consented."""
    return FileFacts(
        birth_date=person.birth_date,
        commune_insee=person.commune.insee_code,
        housing_status=person.housing_status if household_income else None,
        monthly_rent=person.monthly_rent if household_income else None,
        monthly_resources=person.monthly_resources if household_income else None,
        household=_members(person.household.all()) if household_income else None,
        gir=person.autonomy_gir if health_autonomy else None,
        disability_recognised=person.disability_recognised if health_autonomy else None,
    )


def household_digest(facts: FileFacts) -> str:
    """A fingerprint of the household as the file holds it ("" when the household is not readable)."""
    if facts.household is None:
        return ""
    rows = sorted(
        (m.id, m.first_name, m.birth_date.isoformat(), m.relationship, m.is_dependent) for m in facts.household
    )
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def _role_of(member: FileMember, month_start: dt.date) -> Role:
    if member.relationship == Relationship.SPOUSE:
        return Role.PARTNER
    if member.relationship == Relationship.CHILD and age_at(member.birth_date, month_start) < CHILD_AGE_LIMIT:
        return Role.CHILD
    return Role.OTHER


def _blank_member(mid: str, role: Role, birth: dt.date | None) -> dict:
    return {
        "id": mid,
        "role": role.value,
        "birth_date": birth.isoformat() if birth else None,
        "activity": "inactif",
        "work_time": None,
        "monthly_hours": None,
        "contract": None,
        "incomes": [],
        "disability_rate": 0,
        "employment_restriction": False,
        "gir": None,
        "home_help_plan": 0.0,
        "unemployment_start": None,
        "ass_work_history": False,
        "pregnant": False,
        "school": "inconnue",
    }


def _find(saved_members: list[dict], mid: str, role: Role, birth: dt.date | None) -> dict | None:
    for m in saved_members:
        if m.get("id") == mid:
            return m
    # A member entered at the counter but not yet in the file: same role and birth date.
    for m in saved_members:
        if m.get("role") == role.value and birth is not None and m.get("birth_date") == birth.isoformat():
            return m
    return None


def build_situation(facts: FileFacts, saved: dict | None, month: str) -> dict:
    """The situation for ``month``: the file's facts, completed by the saved situation ``saved``.

    Without the household category (``facts.household is None``) the saved situation's
    members are kept as they were; with it, the file says who lives in the home.
    """
    saved = saved or {}
    year, mon = (int(x) for x in month.split("-"))
    start = dt.date(year, mon, 1)
    saved_members = [m for m in saved.get("members") or [] if isinstance(m, dict)]
    saved_applicant = next((m for m in saved_members if m.get("role") == Role.APPLICANT.value), None)

    applicant = dict(saved_applicant) if saved_applicant else _blank_member(APPLICANT_ID, Role.APPLICANT, None)
    applicant["id"] = APPLICANT_ID
    applicant["role"] = Role.APPLICANT.value
    if facts.birth_date is not None:
        applicant["birth_date"] = facts.birth_date.isoformat()
    if facts.first_name:
        applicant["first_name"] = facts.first_name
    if facts.gir is not None:
        applicant["gir"] = facts.gir

    others: list[dict]
    if facts.household is None:
        others = [dict(m) for m in saved_members if m.get("role") != Role.APPLICANT.value]
    else:
        others = []
        for fm in facts.household:
            role = _role_of(fm, start)
            found = _find(saved_members, fm.id, role, fm.birth_date)
            member = dict(found) if found else _blank_member(fm.id, role, fm.birth_date)
            member.update(id=fm.id, role=role.value, birth_date=fm.birth_date.isoformat())
            member["first_name"] = fm.first_name  # for display; the engine ignores it
            others.append(member)

    saved_housing = saved.get("housing") if isinstance(saved.get("housing"), dict) else {}
    housing = {
        "status": saved_housing.get("status") or "",
        "commune_insee": saved_housing.get("commune_insee") or "",
        "rent": saved_housing.get("rent") or 0.0,
        "charges": saved_housing.get("charges") or 0.0,
        "shared": bool(saved_housing.get("shared")),
    }
    if facts.commune_insee:
        housing["commune_insee"] = facts.commune_insee
    if facts.housing_status:
        file_status = HOUSING_FROM_FILE[facts.housing_status]
        # The file's "locataire" covers several of the engine's statuses: keep the finer one.
        if HOUSING_TO_FILE.get(_status(housing["status"])) != facts.housing_status:
            housing["status"] = file_status.value
    if facts.monthly_rent is not None:
        housing["rent"] = float(facts.monthly_rent)
    status = _status(housing["status"])
    if status is not None and not status.pays_rent:
        housing["rent"] = 0.0

    return {
        "month": month,
        "members": [applicant, *others],
        "housing": housing,
        "childcare": saved.get("childcare") or "aucun",
        "already_received": list(saved.get("already_received") or []),
        "other_parent_pays_maintenance": saved.get("other_parent_pays_maintenance"),
        "savings": saved.get("savings") or 0.0,
    }


def _status(value) -> HousingStatus | None:
    try:
        return HousingStatus(value)
    except ValueError:
        return None


def current_month(today: dt.date) -> str:
    return f"{today.year:04d}-{today.month:02d}"
