"""The consent ledger: who may use which category of a person's data, for what, until when."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carte_blanche.consent.categories import category_choices, purpose_choices


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("En personne, signé devant l'agent témoin")
    SMS_CODE = "sms_code", _("Code reçu par SMS")
    ONLINE = "online", _("En ligne, par la personne")


class ConsentQuerySet(models.QuerySet):
    def active(self, at: dt.datetime | None = None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, granted_at__lte=at, valid_until__gte=timezone.localdate(at))

    def active_for(self, operator, purpose: str):
        return self.active().filter(operator=operator, purpose=purpose)


class Consent(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consents")
    operator = models.ForeignKey(
        "territory.Operator", verbose_name=_("organisme"), on_delete=models.PROTECT, related_name="consents"
    )
    category = models.CharField(_("catégorie de données"), max_length=30, choices=category_choices())
    purpose = models.CharField(_("finalité"), max_length=30, choices=purpose_choices(consentable_only=True))
    granted_at = models.DateTimeField(_("donné le"))
    valid_until = models.DateField(_("valable jusqu'au"))
    method = models.CharField(_("recueilli"), max_length=20, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recueilli par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("consentement")
        indexes = [models.Index(fields=["person", "operator", "purpose"])]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.operator} : {self.get_category_display()} ({self.get_purpose_display()})"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and self.granted_at <= now and self.valid_until >= timezone.localdate(now)


class ConsentCodeRequest(models.Model):
    """A consent waiting for the code sent to the person's phone.

    Only a hash of the code is kept; the request expires, allows a few attempts, and is
    used once.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    operator = models.ForeignKey("territory.Operator", on_delete=models.PROTECT, related_name="+")
    categories = models.JSONField()
    purposes = models.JSONField()
    valid_until = models.DateField()
    phone = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64)
    salt = models.CharField(max_length=32)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("demande de consentement par SMS")

    def __str__(self) -> str:
        return f"Code SMS pour la personne {self.person_id} ({self.created_at:%d/%m/%Y %H:%M})"
