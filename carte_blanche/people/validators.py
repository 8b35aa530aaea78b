from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_phone(raw: str, region: str = "FR") -> str:
    """Return the number in E.164 (+33612345678) or raise a French validation error."""
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Numéro de téléphone illisible : saisissez par exemple 06 12 34 56 78.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Ce numéro de téléphone n'existe pas : vérifiez le nombre de chiffres."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_e164(value: str) -> None:
    if value and normalise_phone(value) != value:
        raise ValidationError(_("Le numéro doit être enregistré au format international (+33…)."))


def validate_nir(value: str) -> None:
    """French social security number: 13 digits + 2-digit key (97 - n mod 97), Corsica 2A/2B."""
    if not value:
        return
    nir = value.replace(" ", "").upper()
    if len(nir) != 15:
        raise ValidationError(_("Le numéro de sécurité sociale compte 15 caractères (13 chiffres et une clé de 2)."))
    body, key = nir[:13], nir[13:]
    numeric = body.replace("2A", "19").replace("2B", "18")
    if not (numeric.isdigit() and key.isdigit()):
        raise ValidationError(_("Le numéro de sécurité sociale ne contient que des chiffres (et 2A/2B pour la Corse)."))
    if body[0] not in "1278":
        raise ValidationError(_("Le numéro de sécurité sociale commence par 1 ou 2."))
    if 97 - int(numeric) % 97 != int(key):
        raise ValidationError(_("La clé du numéro de sécurité sociale ne correspond pas : vérifiez la saisie."))
