"""Every message the platform sends or asks an agent to send: one row per message, one key per row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Courriel")
    LETTER = "letter", _("Courrier")
    PHONE = "phone", _("Appel téléphonique")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")
    TO_PRINT = "to_print", _("À imprimer")
    TO_CALL = "to_call", _("À appeler")
    DONE = "done", _("Fait")


class NotificationQuerySet(models.QuerySet):
    def about(self, kind: str, object_ids) -> NotificationQuerySet:
        return self.filter(related_kind=kind, related_id__in=object_ids)

    def to_do(self) -> NotificationQuerySet:
        """Letters to print and calls to make."""
        return self.filter(status__in=[NotificationStatus.TO_PRINT, NotificationStatus.TO_CALL])


class Notification(models.Model):
    person = models.ForeignKey(
        "people.Person", verbose_name=_("personne"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="notifications",
    )  # fmt: skip
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("destinataire"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="notifications",
    )  # fmt: skip
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    template = models.CharField(_("modèle"), max_length=60)
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    body = models.TextField(_("texte"))
    status = models.CharField(
        _("état"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    error = models.TextField(_("erreur"), blank=True)
    idempotency_key = models.CharField(_("clé d'unicité"), max_length=200, unique=True)
    related_kind = models.CharField(_("objet lié"), max_length=30, blank=True)
    related_id = models.PositiveBigIntegerField(_("numéro de l'objet lié"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    done_at = models.DateTimeField(_("fait le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("fait par"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["related_kind", "related_id"]), models.Index(fields=["status"])]
        verbose_name = _("message")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} n° {self.pk} ({self.get_status_display()})"
