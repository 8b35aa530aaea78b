"""The states of a ride leg and of a proposal to a driver, and their named transitions (pure)."""

from __future__ import annotations

from enum import StrEnum


class LegStatus(StrEnum):
    """A leg is one trip of a ride request (the outbound trip, or the return)."""

    REQUESTED = "requested"  # waiting for the dispatcher
    PROPOSED = "proposed"  # offered to a driver, who has not answered yet
    CONFIRMED = "confirmed"  # a driver accepted it
    UNSERVABLE = "unservable"  # the dispatcher found no driver (with the reason)
    DONE = "done"  # driven
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return LEG_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in OPEN_LEG_STATUSES


LEG_LABELS = {
    LegStatus.REQUESTED: "À attribuer",
    LegStatus.PROPOSED: "Proposé à un conducteur",
    LegStatus.CONFIRMED: "Confirmé",
    LegStatus.UNSERVABLE: "Sans conducteur",
    LegStatus.DONE: "Effectué",
    LegStatus.CANCELLED: "Annulé",
}

# The legs the dispatcher plans (an unservable leg is tried again: a driver may have joined).
OPEN_LEG_STATUSES = frozenset({LegStatus.REQUESTED, LegStatus.PROPOSED, LegStatus.CONFIRMED, LegStatus.UNSERVABLE})


class ProposalStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # no answer in time: the leg goes to the next driver
    WITHDRAWN = "withdrawn"  # the dispatcher or the coordinator took it back (ride moved or cancelled)

    @property
    def label(self) -> str:
        return PROPOSAL_LABELS[self]


PROPOSAL_LABELS = {
    ProposalStatus.PENDING: "En attente de réponse",
    ProposalStatus.ACCEPTED: "Acceptée",
    ProposalStatus.DECLINED: "Refusée",
    ProposalStatus.EXPIRED: "Sans réponse",
    ProposalStatus.WITHDRAWN: "Retirée",
}

# Named transitions of a proposal: (from, to).
PROPOSAL_TRANSITIONS: dict[str, tuple[ProposalStatus, ProposalStatus]] = {
    "accept": (ProposalStatus.PENDING, ProposalStatus.ACCEPTED),
    "decline": (ProposalStatus.PENDING, ProposalStatus.DECLINED),
    "expire": (ProposalStatus.PENDING, ProposalStatus.EXPIRED),
    "withdraw": (ProposalStatus.PENDING, ProposalStatus.WITHDRAWN),
    "release": (ProposalStatus.ACCEPTED, ProposalStatus.WITHDRAWN),
}


def can(transition: str, status: ProposalStatus | str) -> bool:
    source, _target = PROPOSAL_TRANSITIONS[transition]
    return ProposalStatus(status) is source


def target(transition: str) -> ProposalStatus:
    return PROPOSAL_TRANSITIONS[transition][1]


class DriverStatus(StrEnum):
    PENDING = "pending"  # registered, waiting for the coordinator
    ACTIVE = "active"
    SUSPENDED = "suspended"

    @property
    def label(self) -> str:
        return {"pending": "À valider", "active": "Actif", "suspended": "Suspendu"}[self.value]


class EligibilityStatus(StrEnum):
    VALID = "valid"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {"valid": "Éligible", "refused": "Non éligible"}[self.value]
