"""Storing and reading documents: one atomic, journaled function each."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.consent.access import access_person
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.documents.models import Document, DocumentKind
from carte_blanche.documents.scanning import scan
from carte_blanche.documents.storage import vault
from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent

# The real type comes from the first bytes of the content; the file's name is not trusted.
MAGIC_TYPES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def detect_content_type(content: bytes) -> str:
    for magic, content_type in MAGIC_TYPES:
        if content.startswith(magic):
            return content_type
    raise ValidationError(
        {"file": _("Ce fichier n'est ni un PDF, ni une image PNG ou JPEG : seuls ces formats sont acceptés.")}
    )


def _read_limited(uploaded_file, limit: int) -> bytes:
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise ValidationError({"file": _too_big(limit)})
    uploaded_file.seek(0)
    content = uploaded_file.read(limit + 1)
    if len(content) > limit:
        raise ValidationError({"file": _too_big(limit)})
    return content


def _too_big(limit: int) -> str:
    return _("Le fichier dépasse la taille maximale de %(mo)s Mo.") % {"mo": round(limit / 1_000_000)}


def store_document(
    person,
    uploaded_file,
    *,
    kind: DocumentKind | str,
    title: str,
    issued_on: dt.date | None = None,
    valid_until: dt.date | None = None,
    by,
) -> Document:
    """An agent adds a document to the person's vault; its real type is checked and it is scanned."""
    if not (by.is_authenticated and by.is_active and by.role == "agent"):
        raise PermissionDenied(_("Seul un agent polyvalent dépose une pièce justificative."))
    kind = DocumentKind(kind)
    title = (title or "").strip() or str(kind.label)
    if issued_on and valid_until and valid_until < issued_on:
        raise ValidationError({"valid_until": _("La fin de validité précède la date de délivrance.")})
    content = _read_limited(uploaded_file, settings.DOCUMENT_MAX_BYTES)
    if not content:
        raise ValidationError({"file": _("Le fichier est vide.")})
    content_type = detect_content_type(content)
    scan(content)
    storage = vault()
    name = storage.save(secrets.token_hex(20), ContentFile(content))
    try:
        with transaction.atomic():
            document = Document.objects.create(
                person=person,
                kind=kind,
                title=title[:200],
                issued_on=issued_on,
                valid_until=valid_until,
                content_type=content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                storage_name=name,
                uploaded_by=by,
                uploaded_at=timezone.now(),
            )
            record(
                JournalEvent.DOCUMENT_STORED,
                actor=by,
                person=person,
                operator=by.acting_operator,
                details={"document_id": document.pk, "kind": kind.value, "size": document.size},
            )
    except BaseException:
        storage.delete(name)
        raise
    return document


def documents_of(user, person_id: int, purpose: Purpose | str, *, channel: str = "web") -> list[Document]:
    """The person's documents, when this user may read the documents category for this purpose.

    The read (or the refusal) is journaled by ``access_person``, which raises when it is refused.
    """
    access_person(user, person_id, purpose, {DataCategory.DOCUMENTS}, channel=channel)
    return list(Document.objects.filter(person_id=person_id))


def documents_for_record(record) -> list[Document] | None:
    """The documents of a file already read through ``access_person``: None unless it granted them."""
    if not record.has(DataCategory.DOCUMENTS):
        return None
    return list(Document.objects.filter(person_id=record.person_id))


def open_document(user, document_id: int, purpose: Purpose | str, *, channel: str = "web"):
    """Check the access, journal the download and return ``(document, open binary file)``.

    Raises ``Document.DoesNotExist`` for an unknown id and ``AccessDenied`` (journaled) when the
    user may not read this person's documents for this purpose (a withdrawn consent included).
    """
    purpose = Purpose(purpose)
    document = Document.objects.get(pk=document_id)
    access_person(user, document.person_id, purpose, {DataCategory.DOCUMENTS}, channel=channel)
    record(
        JournalEvent.DOCUMENT_DOWNLOADED,
        actor=user,
        person=document.person,
        operator=user.acting_operator,
        purpose=purpose,
        details={"document_id": document.pk, "kind": document.kind, "channel": channel},
    )
    return document, vault().open(document.storage_name, "rb")
