"""Who may see which category of a person's data, and why: the pure decision.

No Django import: the access function in ``access.py`` gathers the facts (role,
membership, active consents) and journals; this module only decides, so the rule is
testable alone and readable in one screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from carte_blanche.consent.categories import DataCategory, Purpose

# What a role may read without the person's consent, and for which purposes. An agent
# must identify and reach the person in front of them; everything else needs consent.
ROLE_BASELINE: dict[str, dict[Purpose, frozenset[DataCategory]]] = {
    "agent": {
        purpose: frozenset({DataCategory.IDENTITY, DataCategory.CONTACT})
        for purpose in (Purpose.ACCOMPANIMENT, Purpose.RIGHTS_CHECK, Purpose.REFERRAL, Purpose.MOBILITY)
    },
    "mobility_coordinator": {Purpose.MOBILITY: frozenset({DataCategory.IDENTITY, DataCategory.CONTACT})},
}

# The purposes each role works for: a read for any other purpose is refused outright.
ROLE_PURPOSES: dict[str, tuple[Purpose, ...]] = {
    "agent": (Purpose.ACCOMPANIMENT, Purpose.RIGHTS_CHECK, Purpose.REFERRAL, Purpose.MOBILITY),
    "partner_referent": (Purpose.CASE_MANAGEMENT, Purpose.REFERRAL, Purpose.RIGHTS_CHECK),
    "mobility_coordinator": (Purpose.MOBILITY,),
    "volunteer_driver": (Purpose.MOBILITY,),
    "resident": (Purpose.SELF,),
}

# What a role may read about the persons it has a working relationship with, and only them:
# a volunteer driver, the name and contact of the passengers of the rides proposed to or
# accepted by them (``Actor.related_person_ids``, gathered by the access function).
RELATIONSHIP_BASELINE: dict[str, dict[Purpose, frozenset[DataCategory]]] = {
    "volunteer_driver": {Purpose.MOBILITY: frozenset({DataCategory.IDENTITY, DataCategory.CONTACT})},
}

# Roles whose access can be widened by a consent given to their operator.
CONSENT_ROLES = frozenset({"agent", "partner_referent", "mobility_coordinator"})


@dataclass(frozen=True)
class Actor:
    role: str
    is_active: bool
    operator_id: int | None  # the operator the actor acts for (an agent's structure's operator)
    person_id: int | None  # the person file of a resident account
    related_person_ids: frozenset[int] = frozenset()  # see RELATIONSHIP_BASELINE


@dataclass(frozen=True)
class ConsentFact:
    consent_id: int
    operator_id: int
    category: DataCategory
    purpose: Purpose


@dataclass(frozen=True)
class Decision:
    purpose: Purpose
    granted: frozenset[DataCategory]
    refused: frozenset[DataCategory]
    basis: dict[DataCategory, str] = field(default_factory=dict)
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return bool(self.granted)


def decide(
    actor: Actor,
    person_id: int,
    purpose: Purpose,
    requested: Iterable[DataCategory],
    active_consents: Iterable[ConsentFact],
) -> Decision:
    """Grant each requested category on one basis (self, role, consent) or refuse it."""
    requested = frozenset(requested)
    if not actor.is_active:
        return Decision(purpose, frozenset(), requested, reason="compte inactif")

    if purpose is Purpose.SELF:
        if actor.role == "resident" and actor.person_id == person_id:
            return Decision(purpose, requested, frozenset(), dict.fromkeys(requested, "self"))
        return Decision(purpose, frozenset(), requested, reason="seule la personne elle-même peut consulter à ce titre")

    if purpose not in ROLE_PURPOSES.get(actor.role, ()):
        return Decision(purpose, frozenset(), requested, reason="finalité étrangère à votre rôle")

    basis: dict[DataCategory, str] = {}
    for category in ROLE_BASELINE.get(actor.role, {}).get(purpose, frozenset()) & requested:
        basis[category] = "role"
    if person_id in actor.related_person_ids:
        for category in RELATIONSHIP_BASELINE.get(actor.role, {}).get(purpose, frozenset()) & requested:
            basis.setdefault(category, "relationship")

    if actor.role in CONSENT_ROLES and actor.operator_id is not None:
        for consent in active_consents:
            if (
                consent.operator_id == actor.operator_id
                and consent.purpose is purpose
                and consent.category in requested
                and consent.category not in basis
            ):
                basis[consent.category] = f"consent:{consent.consent_id}"

    granted = frozenset(basis)
    refused = requested - granted
    reason = "" if granted else "aucun consentement actif pour cet organisme et cette finalité"
    if actor.role in CONSENT_ROLES and actor.operator_id is None and not granted:
        reason = "compte rattaché à aucun organisme"
    return Decision(purpose, granted, refused, basis, reason)
