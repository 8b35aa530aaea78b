from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
