from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Schema


class Error(Schema):
    code: str
    message: str


class CommuneOut(Schema):
    insee_code: str
    name: str
    epci_siren: str
    epci_name: str
    population: int
    postal_codes: list[str]
    lat: float
    lon: float


class OperatorOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: str
    website: str


class ServicePointOut(Schema):
    name: str
    operator: str
    commune_insee: str
    address: str
    lat: float
    lon: float
    opening_hours: str


class SearchHitOut(Schema):
    id: int
    first_names: str
    last_name: str
    birth_date: dt.date
    commune: str


class IdentityOut(Schema):
    title: str
    first_names: str
    last_name: str
    birth_name: str
    birth_date: dt.date
    nir: str


class ContactOut(Schema):
    address: str
    commune_insee: str
    commune_name: str
    phone: str
    email: str
    preferred_channel: str
    digital_autonomy: str


class HouseholdMemberOut(Schema):
    first_name: str
    last_name: str
    birth_date: dt.date
    relationship: str
    is_dependent: bool


class HouseholdIncomeOut(Schema):
    housing_status: str
    monthly_rent: Decimal | None
    monthly_resources: Decimal | None
    resources_description: str
    members: list[HouseholdMemberOut]


class HealthAutonomyOut(Schema):
    health_insurance: str
    has_complementary_health: bool | None
    disability_recognised: bool
    autonomy_gir: int | None


class PersonOut(Schema):
    id: int
    purpose: str
    granted_categories: list[str]
    identity: IdentityOut | None = None
    contact: ContactOut | None = None
    household_income: HouseholdIncomeOut | None = None
    health_autonomy: HealthAutonomyOut | None = None


class ProcedureOut(Schema):
    slug: str
    title: str
    theme: str
    operator: str
    audience: str
    documents: list[str]
    online_url: str
    cerfa: str
    typical_delay: str
    on_the_spot: str
    benefits: list[str]
    keywords: list[str]
    version: int
    is_active: bool


class ProcedureHitOut(Schema):
    score: float
    procedure: ProcedureOut


class ReferralMessageOut(Schema):
    kind: str
    text: str
    created_at: dt.datetime


class ReferralOut(Schema):
    id: int
    status: str
    operator: str
    structure: str
    procedure: str | None
    sent_at: dt.datetime
    deadline: dt.date
    overdue: bool
    person_id: int | None
    person_name: str | None
    messages: list[ReferralMessageOut]


class TransitionIn(Schema):
    transition: str
    text: str = ""


def person_out(record) -> PersonOut:
    """A ``PersonRecord`` (what the access function granted) as the API's person."""
    out = PersonOut(id=record.person_id, purpose=record.purpose.value, granted_categories=sorted(record.granted))
    if record.identity:
        out.identity = IdentityOut(**{k: v for k, v in record.identity.items() if not k.endswith("_display")})
    if record.contact:
        c = record.contact
        out.contact = ContactOut(
            address=c["address"],
            commune_insee=c["commune"].insee_code,
            commune_name=c["commune"].name,
            phone=c["phone"],
            email=c["email"],
            preferred_channel=c["preferred_channel"],
            digital_autonomy=c["digital_autonomy"],
        )
    if record.household_income:
        h = record.household_income
        out.household_income = HouseholdIncomeOut(
            housing_status=h["housing_status"],
            monthly_rent=h["monthly_rent"],
            monthly_resources=h["monthly_resources"],
            resources_description=h["resources_description"],
            members=[
                HouseholdMemberOut(
                    first_name=m.first_name,
                    last_name=m.last_name,
                    birth_date=m.birth_date,
                    relationship=m.relationship,
                    is_dependent=m.is_dependent,
                )
                for m in record.household or []
            ],
        )
    if record.health_autonomy:
        out.health_autonomy = HealthAutonomyOut(
            **{k: v for k, v in record.health_autonomy.items() if not k.endswith("_display")}
        )
    return out


def referral_out(referral, names: dict[int, str]) -> ReferralOut:
    """A referral as the API shows it; the person and the messages only when ``names`` names them."""
    visible = referral.person_id in names
    return ReferralOut(
        id=referral.pk,
        status=referral.status,
        operator=referral.operator.slug,
        structure=referral.structure.name,
        procedure=referral.procedure.slug if referral.procedure else None,
        sent_at=referral.sent_at,
        deadline=referral.deadline,
        overdue=referral.is_overdue(timezone.localdate()),
        person_id=referral.person_id if visible else None,
        person_name=names.get(referral.person_id),
        messages=[{"kind": m.kind, "text": m.text, "created_at": m.created_at} for m in referral.messages.all()]
        if visible
        else [],
    )
