"""Operators' systems calling the API with their own credentials.

- ``OperatorClient``: one calling system of one operator (the CAF's case management software…), scoped to
  a list of purposes and data categories. It acts through its own ``service_user`` (a partner referent of
  that operator, without password), so the access function, the consent rules and the journal are exactly
  those of the pages, and the journal names the calling system.
- ``ClientSecret``: only the SHA-256 of each secret is kept. The current secret has no ``expires_at``;
  a rotation gives the previous one 24 hours so the operator can switch without downtime; a revocation
  ends them all at once.
- ``OperatorFileNumber``: the operator's own file number for a person (the CAF's *numéro allocataire*).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carte_blanche.consent.categories import DataCategory, Purpose


class OperatorClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class OperatorClient(models.Model):
    operator = models.ForeignKey(
        "territory.Operator", verbose_name=_("organisme"), on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(_("nom du système"), max_length=100)
    client_id = models.CharField(_("identifiant du client"), max_length=40, unique=True)
    purposes = models.JSONField(_("finalités"), default=list)
    categories = models.JSONField(_("catégories de données"), default=list)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="operator_client"
    )
    rate_per_minute = models.PositiveIntegerField(_("appels par minute"), default=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OperatorClientQuerySet.as_manager()

    class Meta:
        ordering = ["operator__short_name", "name", "pk"]
        verbose_name = _("système d'un organisme")
        verbose_name_plural = _("systèmes des organismes")

    def __str__(self) -> str:
        return f"{self.name} ({self.operator.short_name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def purpose_labels(self) -> list[str]:
        return [Purpose(p).label if p in Purpose._value2member_map_ else p for p in self.purposes]

    @property
    def category_labels(self) -> list[str]:
        return [DataCategory(c).label if c in DataCategory._value2member_map_ else c for c in self.categories]


class ClientSecretQuerySet(models.QuerySet):
    def valid(self, at=None):
        at = at or timezone.now()
        return self.filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=at))


class ClientSecret(models.Model):
    client = models.ForeignKey(OperatorClient, on_delete=models.CASCADE, related_name="secrets")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # null: the current secret
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ClientSecretQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("secret d'un système")

    def __str__(self) -> str:
        state = "actuel" if self.expires_at is None else f"jusqu'au {self.expires_at:%d/%m/%Y %H:%M}"
        return f"Secret de {self.client_id} ({state})"


class OperatorFileNumber(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="operator_file_numbers")
    operator = models.ForeignKey("territory.Operator", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("numéro de dossier"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("numéro de dossier chez un organisme")
        constraints = [
            models.UniqueConstraint(fields=["operator", "number"], name="uniq_operator_file_number"),
            models.UniqueConstraint(fields=["operator", "person"], name="uniq_operator_file_number_person"),
        ]

    def __str__(self) -> str:
        return f"{self.operator_id}:{self.number}"
