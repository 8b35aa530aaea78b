"""The one way to read a person's data.

Every view, API endpoint and export that shows something about a person calls
:func:`access_person` (one file) or :func:`search_persons` (a list). Both gather the
facts (role, membership, active consents), let :mod:`carte_blanche.consent.policy`
decide, journal the read or the refusal, and return only the permitted categories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.consent.models import Consent
from carte_blanche.consent.policy import Actor, ConsentFact, Decision, decide
from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.people.models import Person

ALL_CATEGORIES = frozenset(DataCategory)

# Which model fields belong to which category. A field not listed here is never shown.
PERSON_FIELDS: dict[DataCategory, tuple[str, ...]] = {
    DataCategory.IDENTITY: ("title", "first_names", "last_name", "birth_name", "birth_date", "nir"),
    DataCategory.CONTACT: ("address", "commune", "phone", "email", "preferred_channel", "digital_autonomy"),
    DataCategory.HOUSEHOLD_INCOME: ("housing_status", "monthly_rent", "monthly_resources", "resources_description"),
    DataCategory.HEALTH_AUTONOMY: (
        "health_insurance",
        "has_complementary_health",
        "disability_recognised",
        "autonomy_gir",
    ),
    DataCategory.DOCUMENTS: (),
}


class AccessDenied(PermissionDenied):
    def __init__(self, decision: Decision):
        self.decision = decision
        super().__init__(
            f"Accès refusé aux données de cette personne pour la finalité « {decision.purpose.label} » : "
            f"{decision.reason}."
        )


@dataclass(frozen=True)
class PersonRecord:
    """What a user may see of one person, for one purpose. Absent categories are None."""

    person_id: int
    purpose: Purpose
    granted: frozenset[DataCategory]
    identity: dict | None = None
    contact: dict | None = None
    household_income: dict | None = None
    health_autonomy: dict | None = None
    household: list | None = None
    consents: list = field(default_factory=list)
    journal: list | None = None
    can_manage_consents: bool = False

    def has(self, category: DataCategory | str) -> bool:
        return DataCategory(category) in self.granted

    @property
    def display_name(self) -> str:
        if self.identity is None:
            return f"Personne n° {self.person_id}"
        return f"{self.identity['first_names']} {self.identity['last_name']}"


# role -> function(user) returning the ids of the persons that user works with (policy.RELATIONSHIP_BASELINE).
_relationships: dict[str, Callable[[object], Iterable[int]]] = {}


def register_relationship(role: str, persons_of: Callable[[object], Iterable[int]]) -> None:
    """A service tells the access function whom a role works with (called from ``AppConfig.ready``)."""
    _relationships[role] = persons_of


def actor_facts(user) -> Actor:
    operator = user.acting_operator if user.is_authenticated else None
    person = getattr(user, "person", None) if user.is_authenticated else None
    role = getattr(user, "role", "")
    persons_of = _relationships.get(role)
    related = frozenset(persons_of(user)) if persons_of is not None and user.is_authenticated else frozenset()
    return Actor(
        role=role,
        is_active=bool(user.is_authenticated and user.is_active),
        operator_id=getattr(operator, "pk", None),
        person_id=getattr(person, "pk", None),
        related_person_ids=related,
    )


def _consent_facts(person_ids: Iterable[int], operator_id: int | None) -> dict[int, list[ConsentFact]]:
    facts: dict[int, list[ConsentFact]] = {}
    if operator_id is None:
        return facts
    rows = Consent.objects.active().filter(person_id__in=list(person_ids), operator_id=operator_id)
    for c in rows.values("id", "person_id", "operator_id", "category", "purpose"):
        facts.setdefault(c["person_id"], []).append(
            ConsentFact(c["id"], c["operator_id"], DataCategory(c["category"]), Purpose(c["purpose"]))
        )
    return facts


def _fields(person: Person, category: DataCategory) -> dict:
    values = {}
    for name in PERSON_FIELDS[category]:
        values[name] = getattr(person, name)
        display = getattr(person, f"get_{name}_display", None)
        if display is not None:
            values[f"{name}_display"] = display()
    return values


def access_person(
    user,
    person_id: int,
    purpose: Purpose | str,
    categories: Iterable[DataCategory | str] | None = None,
    *,
    channel: str = "web",
) -> PersonRecord:
    """Return the permitted part of a person's file, journaling the read; raise if nothing is permitted.

    Raises ``Person.DoesNotExist`` for an unknown id (journaled as a refusal, so probing
    ids leaves a trace) and :class:`AccessDenied` when no category may be read.
    """
    purpose = Purpose(purpose)
    requested = frozenset(DataCategory(c) for c in categories) if categories is not None else ALL_CATEGORIES
    actor = actor_facts(user)
    person = Person.objects.select_related("commune").filter(pk=person_id).first()
    consents = _consent_facts([person_id], actor.operator_id).get(person_id, []) if person else []
    decision = decide(actor, person_id, purpose, requested, consents)
    operator = user.acting_operator if user.is_authenticated else None
    actor_user = user if user.is_authenticated else None

    if person is None or not decision.allowed:
        record(
            JournalEvent.PERSON_READ_REFUSED,
            actor=actor_user,
            person=person,
            operator=operator,
            purpose=purpose,
            details={
                "channel": channel,
                "requested_person_id": person_id,
                "refused": sorted(decision.refused),
                "reason": decision.reason if person else "personne inconnue",
            },
        )
        if person is None:
            raise Person.DoesNotExist(person_id)
        raise AccessDenied(decision)

    record(
        JournalEvent.PERSON_READ,
        actor=actor_user,
        person=person,
        operator=operator,
        purpose=purpose,
        details={
            "channel": channel,
            "granted": sorted(decision.granted),
            "refused": sorted(decision.refused),
            "basis": {str(k): v for k, v in sorted(decision.basis.items())},
        },
    )
    return _build_record(user, person, decision, actor)


def _build_record(user, person: Person, decision: Decision, actor: Actor) -> PersonRecord:
    granted = decision.granted
    sections = {
        "identity": _fields(person, DataCategory.IDENTITY) if DataCategory.IDENTITY in granted else None,
        "contact": _fields(person, DataCategory.CONTACT) if DataCategory.CONTACT in granted else None,
        "household_income": (
            _fields(person, DataCategory.HOUSEHOLD_INCOME) if DataCategory.HOUSEHOLD_INCOME in granted else None
        ),
        "health_autonomy": (
            _fields(person, DataCategory.HEALTH_AUTONOMY) if DataCategory.HEALTH_AUTONOMY in granted else None
        ),
    }
    household = list(person.household.all()) if DataCategory.HOUSEHOLD_INCOME in granted else None

    # The ledger itself: the person and agents see all of it (they record consents);
    # an operator sees only the consents given to it.
    consents = Consent.objects.filter(person=person).select_related("operator", "recorded_by")
    sees_all = actor.role in ("agent", "resident") and DataCategory.IDENTITY in granted
    if not sees_all:
        consents = consents.filter(operator_id=actor.operator_id) if actor.operator_id else consents.none()
    journal = None
    if sees_all:
        journal = list(JournalEntry.objects.about(person.pk).order_by("-seq")[:200])
    return PersonRecord(
        person_id=person.pk,
        purpose=decision.purpose,
        granted=granted,
        household=household,
        consents=list(consents),
        journal=journal,
        can_manage_consents=actor.role in ("agent", "resident") and DataCategory.IDENTITY in granted,
        **sections,
    )


@dataclass(frozen=True)
class SearchHit:
    person_id: int
    first_names: str
    last_name: str
    birth_date: object
    commune_name: str


def search_persons(
    user, query: str, purpose: Purpose | str, *, limit: int = 30, channel: str = "web", list_all: bool = False
) -> list[SearchHit]:
    """Persons matching the query whose identity this user may read for this purpose.

    ``list_all`` (empty query) lists every person who consented to the user's operator;
    it is refused to roles that see identities without consent, so nobody can dump the
    whole population. Every person shown is journaled.
    """
    purpose = Purpose(purpose)
    actor = actor_facts(user)
    query = " ".join(query.split())
    hits: list[SearchHit] = []
    baseline_roles = ("agent", "mobility_coordinator")
    if query or (list_all and actor.role not in baseline_roles):
        candidates = Person.objects.matching(query).select_related("commune")
        if actor.role == "resident":
            candidates = candidates.filter(pk=actor.person_id or 0)
        elif actor.role not in baseline_roles:
            # Only persons with an active identity consent to the user's operator can match.
            candidates = candidates.filter(
                consents__in=Consent.objects.active().filter(
                    operator_id=actor.operator_id or 0, category=DataCategory.IDENTITY, purpose=purpose
                )
            ).distinct()
        candidates = list(candidates[: limit * 3])
        consents = _consent_facts([p.pk for p in candidates], actor.operator_id)
        for person in candidates:
            decision = decide(actor, person.pk, purpose, {DataCategory.IDENTITY}, consents.get(person.pk, []))
            if decision.allowed:
                hits.append(
                    SearchHit(person.pk, person.first_names, person.last_name, person.birth_date, person.commune.name)
                )
            if len(hits) >= limit:
                break
    # One entry per person shown, so that each person's "who saw my data" is complete;
    # a search that showed nobody is journaled once.
    actor_user = user if user.is_authenticated else None
    operator = user.acting_operator if user.is_authenticated else None
    details = {"channel": channel, "query": query, "result_count": len(hits)}
    for hit in hits or [None]:
        record(
            JournalEvent.PERSON_SEARCH,
            actor=actor_user,
            person=Person(pk=hit.person_id) if hit else None,
            operator=operator,
            purpose=purpose,
            details=details,
        )
    return hits


def name_persons(user, person_ids, purpose: Purpose | str, *, channel: str = "web") -> dict[int, str]:
    """Names of the listed persons this user may identify for this purpose (an inbox, a list).

    Each name shown is journaled as a read of the identity; the others are left out.
    """
    purpose = Purpose(purpose)
    actor = actor_facts(user)
    ids = sorted(set(person_ids))
    consents = _consent_facts(ids, actor.operator_id)
    names: dict[int, str] = {}
    persons = Person.objects.filter(pk__in=ids).only("pk", "first_names", "last_name")
    for person in persons:
        decision = decide(actor, person.pk, purpose, {DataCategory.IDENTITY}, consents.get(person.pk, []))
        if not decision.allowed:
            continue
        names[person.pk] = f"{person.last_name.upper()} {person.first_names}"
        record(
            JournalEvent.PERSON_READ,
            actor=user,
            person=person,
            operator=user.acting_operator,
            purpose=purpose,
            details={"channel": channel, "granted": ["identity"], "context": "list"},
        )
    return names
