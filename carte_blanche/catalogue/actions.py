"""Changes to the catalogue made in the application; each one is a new version."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from carte_blanche.catalogue.models import Procedure, RevisionSource

EDITORS = frozenset({"coordinator"})
EDITABLE = (
    "title", "theme", "operator", "audience", "documents", "online_url", "cerfa", "typical_delay",
    "on_the_spot", "benefits", "keywords", "lot_notes", "is_active",
)  # fmt: skip


def update_procedure(procedure: Procedure, *, by, changes: dict) -> Procedure:
    """Apply a coordinator's edit: validated, versioned, with the previous versions kept."""
    if not (by.is_authenticated and by.is_active and by.role in EDITORS):
        raise PermissionDenied(_("Seule la coordination du territoire modifie le catalogue."))
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
        changed = [name for name in EDITABLE if name in changes and getattr(procedure, name) != changes[name]]
        if not changed:
            return procedure
        for name in changed:
            setattr(procedure, name, changes[name])
        procedure.full_clean(exclude=["search_document", "file_hash"])
        procedure.save_new_version(by, RevisionSource.UI)
    return procedure
