"""Referrals (orientations): an agent hands a person's request to a partner, who answers by a deadline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carte_blanche.referrals.states import OPEN_FOR_PARTNER, STATUS_LABELS, Status

STATUS_CHOICES = [(s.value, label) for s, label in STATUS_LABELS.items()]


class ServiceLevel(models.Model):
    """How fast an operator commits to answer a referral, and whom to alert when late."""

    operator = models.OneToOneField("territory.Operator", on_delete=models.CASCADE, related_name="service_level")
    working_days = models.PositiveSmallIntegerField(_("délai de réponse (jours ouvrés)"), default=5)
    manager_email = models.EmailField(_("courriel du responsable (escalade)"), blank=True)

    class Meta:
        verbose_name = _("engagement de service")

    def __str__(self) -> str:
        return f"{self.operator} : {self.working_days} jours ouvrés"


class ReferralQuerySet(models.QuerySet):
    def for_operator(self, operator):
        return self.filter(operator=operator)

    def waiting_on_partner(self):
        return self.filter(status__in=[s.value for s in OPEN_FOR_PARTNER])

    def overdue(self, today: dt.date):
        return self.waiting_on_partner().filter(deadline__lt=today)

    def visible_to(self, user):
        """A partner sees its operator's referrals; an agent those of its structure; nobody else any."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == "partner_referent" and user.operator_id:
            return self.filter(operator_id=user.operator_id)
        if user.role == "agent" and user.structure_id:
            return self.filter(structure_id=user.structure_id)
        return self.none()


class Referral(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    operator = models.ForeignKey(
        "territory.Operator", verbose_name=_("organisme"), on_delete=models.PROTECT, related_name="referrals"
    )
    procedure = models.ForeignKey(
        "catalogue.Procedure",
        verbose_name=_("démarche"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    question = models.TextField(_("demande"))
    status = models.CharField(_("état"), max_length=20, choices=STATUS_CHOICES, default=Status.SENT.value)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    structure = models.ForeignKey("territory.Structure", on_delete=models.PROTECT, related_name="referrals")
    sent_at = models.DateTimeField()
    deadline = models.DateField(_("réponse attendue le"))
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("pièces jointes"), blank=True, related_name="referrals"
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("orientation")
        indexes = [models.Index(fields=["operator", "status", "deadline"])]

    def __str__(self) -> str:
        return f"Orientation n° {self.pk} vers {self.operator}"

    @property
    def state(self) -> Status:
        return Status(self.status)

    def is_overdue(self, today: dt.date) -> bool:
        return self.state in OPEN_FOR_PARTNER and self.deadline < today


class MessageKind(models.TextChoices):
    QUESTION = "question", _("Demande")
    INFO_REQUEST = "info_request", _("Complément demandé")
    INFO = "info", _("Complément apporté")
    REFUSAL = "refusal", _("Refus")
    ANSWER = "answer", _("Réponse")
    NOTE = "note", _("Note")


class ReferralMessage(models.Model):
    """The conversation of a referral, in order: question, requests, answers."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d/%m/%Y})"
