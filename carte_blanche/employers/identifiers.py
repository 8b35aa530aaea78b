"""Company identifiers: SIRET, NAF code, IDCC (pure module, no Django import)."""

from __future__ import annotations

import re

NAF_RE = re.compile(r"^\d{2}\.\d{2}[A-Z]$")
LA_POSTE_SIREN = "356000000"  # La Poste's establishments follow their own checksum rule


def normalise_siret(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def siret_error(value: str) -> str | None:
    """None when the SIRET is valid, else the reason in French."""
    siret = normalise_siret(value)
    if not siret.isdigit() or len(siret) != 14:
        return "Un SIRET compte 14 chiffres (le SIREN à 9 chiffres suivi du NIC à 5 chiffres)."
    if not luhn_valid(siret[:9]):
        return (
            "Le SIREN (9 premiers chiffres) de ce SIRET n'est pas valide : vérifiez-le sur l'avis de situation INSEE."
        )
    la_poste = siret.startswith(LA_POSTE_SIREN) and sum(int(c) for c in siret) % 5 == 0
    if not (luhn_valid(siret) or la_poste):
        return "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez-le sur l'avis de situation INSEE."
    return None


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def naf_error(value: str) -> str | None:
    code = (value or "").strip().upper()
    if not NAF_RE.match(code):
        return "Le code NAF (APE) s'écrit comme 88.10A : deux chiffres, un point, deux chiffres, une lettre."
    return None


def idcc_error(value: str) -> str | None:
    code = (value or "").strip()
    if code and not (code.isdigit() and 1 <= len(code) <= 4):
        return "L'IDCC de la convention collective compte 1 à 4 chiffres (ex. 2941 pour l'aide à domicile)."
    return None
