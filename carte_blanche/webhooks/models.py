"""Operators' webhooks and the tell-us-once trail.

- ``Subscription``: an operator's endpoint for some events, with its own signing secret.
- ``Delivery``: one event for one subscription, signed, retried with back-off, logged.
- ``Propagation``: on a person's file, which operator was told of a change, and how (webhook
  or the operator's inbox), so that the person and the agent see who knows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carte_blanche.webhooks.signing import EVENTS


class Subscription(models.Model):
    operator = models.ForeignKey("territory.Operator", on_delete=models.PROTECT, related_name="webhooks")
    url = models.URLField(_("adresse de réception (https)"), max_length=500)
    events = models.JSONField(_("événements"), default=list)
    secret = models.CharField(max_length=80)  # HMAC key, shown once to the coordinator
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["operator__short_name", "pk"]
        verbose_name = _("abonnement webhook")

    def __str__(self) -> str:
        return f"{self.operator.short_name} → {self.url}"

    @property
    def event_labels(self) -> list[str]:
        return [EVENTS.get(e, e) for e in self.events]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    DELIVERED = "delivered", _("Reçu")
    FAILED = "failed", _("Échec, nouvel essai prévu")
    ABANDONED = "abandoned", _("Abandonné après plusieurs essais")


class Delivery(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=40)
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event_id"], name="webhook_one_delivery_per_event")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} n° {self.event_id} → {self.subscription}"


class PropagationChannel(models.TextChoices):
    WEBHOOK = "webhook", _("Webhook")
    INBOX = "inbox", _("Boîte de réception de l'organisme")


class Propagation(models.Model):
    """One operator told of a change of a person's data (*dites-le-nous une fois*)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="propagations")
    operator = models.ForeignKey("territory.Operator", on_delete=models.PROTECT, related_name="propagations")
    category = models.CharField(max_length=30)
    fields = models.JSONField(default=list)  # the names of the changed fields, never the values
    source = models.CharField(max_length=200)  # who changed it: "France services Catus", "CAF du Lot (API)"
    channel = models.CharField(max_length=10, choices=PropagationChannel.choices)
    delivery = models.ForeignKey(Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("information transmise à un organisme")

    def __str__(self) -> str:
        return f"{self.operator.short_name} informé ({self.category})"
