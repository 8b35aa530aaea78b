"""Pièces justificatives: a person's documents, stored outside the web root (``DOCUMENTS_ROOT``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    IDENTITY_CARD = "identity_card", _("Carte nationale d'identité")
    PASSPORT = "passport", _("Passeport")
    RESIDENCE_PERMIT = "residence_permit", _("Titre de séjour")
    PROOF_OF_ADDRESS = "proof_of_address", _("Justificatif de domicile")
    TAX_NOTICE = "tax_notice", _("Avis d'imposition")
    BANK_DETAILS = "bank_details", _("Relevé d'identité bancaire")
    PAYSLIP = "payslip", _("Bulletin de salaire")
    BENEFIT_STATEMENT = "benefit_statement", _("Attestation de droits ou de paiement")
    OTHER = "other", _("Autre pièce")


class Document(models.Model):
    """One stored file. The content is never in the database: only its type, size and SHA-256."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("nature de la pièce"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    issued_on = models.DateField(_("délivrée le"), null=True, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=100, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.title}"

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(self.content_type, "bin")
