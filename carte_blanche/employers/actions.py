"""Employer registration: atomic actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from carte_blanche.accounts.models import Role
from carte_blanche.employers.identifiers import normalise_siret
from carte_blanche.employers.models import Employer


@transaction.atomic
def register_employer(
    user, *, siret: str, name: str, naf_code: str, headcount: int, commune, idcc: str = "", address: str = ""
) -> Employer:
    """An employer account registers its company (or joins it when the SIRET is already known)."""
    if user.role != Role.EMPLOYER:
        raise PermissionDenied("Seul un compte employeur enregistre son entreprise.")
    existing = Employer.objects.filter(siret=normalise_siret(siret)).first()
    if existing:
        existing.members.add(user)
        return existing
    employer = Employer(
        siret=normalise_siret(siret),
        name=name.strip(),
        naf_code=(naf_code or "").strip().upper(),
        headcount=headcount,
        commune=commune,
        idcc=(idcc or "").strip(),
        address=address.strip(),
    )
    employer.full_clean()  # ValidationError with French messages per field; nothing saved
    employer.save()
    employer.members.add(user)
    return employer
