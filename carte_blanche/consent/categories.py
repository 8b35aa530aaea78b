"""Data categories and purposes of the consent ledger (pure module, no Django import)."""

from __future__ import annotations

from enum import StrEnum


class DataCategory(StrEnum):
    IDENTITY = "identity"
    CONTACT = "contact"
    HOUSEHOLD_INCOME = "household_income"
    HEALTH_AUTONOMY = "health_autonomy"
    DOCUMENTS = "documents"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    DataCategory.IDENTITY: "Identité",
    DataCategory.CONTACT: "Coordonnées et autonomie numérique",
    DataCategory.HOUSEHOLD_INCOME: "Foyer, logement et ressources",
    DataCategory.HEALTH_AUTONOMY: "Santé et perte d'autonomie",
    DataCategory.DOCUMENTS: "Pièces justificatives",
}


class Purpose(StrEnum):
    ACCOMPANIMENT = "accompaniment"
    RIGHTS_CHECK = "rights_check"
    REFERRAL = "referral"
    CASE_MANAGEMENT = "case_management"
    MOBILITY = "mobility"
    SELF = "self"

    @property
    def label(self) -> str:
        return PURPOSE_LABELS[self]


PURPOSE_LABELS = {
    Purpose.ACCOMPANIMENT: "Accompagnement dans une démarche",
    Purpose.RIGHTS_CHECK: "Accès aux droits",
    Purpose.REFERRAL: "Traitement d'une orientation",
    Purpose.CASE_MANAGEMENT: "Instruction d'un dossier par l'organisme",
    Purpose.MOBILITY: "Mobilité solidaire",
    Purpose.SELF: "Consultation par la personne elle-même",
}

# Purposes a consent can be given for (SELF needs no consent).
CONSENTABLE_PURPOSES = tuple(p for p in Purpose if p is not Purpose.SELF)


def category_choices() -> list[tuple[str, str]]:
    return [(c.value, c.label) for c in DataCategory]


def purpose_choices(*, consentable_only: bool = False) -> list[tuple[str, str]]:
    purposes = CONSENTABLE_PURPOSES if consentable_only else tuple(Purpose)
    return [(p.value, p.label) for p in purposes]
