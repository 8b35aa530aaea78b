"""One question per closed referral or finished visit, answered by an SMS link or at the counter."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

VALIDITY = dt.timedelta(days=14)
COMMENT_MAX_LENGTH = 300
QUESTION = "Votre demande a-t-elle été résolue ?"


def hash_token(token: str) -> str:
    """Only this digest is stored: the link in the SMS is the one place the token exists."""
    return hashlib.sha256(token.encode()).hexdigest()


class AboutKind(models.TextChoices):
    REFERRAL = "referral", _("Orientation")
    VISIT = "visit", _("Visite")


class SurveyChannel(models.TextChoices):
    SMS = "sms", _("Lien par SMS")
    COUNTER = "counter", _("Au guichet")


@dataclass(frozen=True)
class ResolutionRate:
    answered: int
    resolved: int

    @property
    def rate(self) -> float | None:
        """Share of the answers saying "resolved", or None when nobody answered."""
        return self.resolved / self.answered if self.answered else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.resolved / self.answered) if self.answered else None


def _start(since: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(since, dt.datetime):
        return since
    return timezone.make_aware(dt.datetime.combine(since, dt.time.min))


class SatisfactionSurveyQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(answered_at__isnull=False, resolved__isnull=False)

    def waiting(self, now: dt.datetime | None = None):
        return self.filter(answered_at__isnull=True, expires_at__gt=now or timezone.now())

    def waiting_at_counter(self, person):
        """Questions to ask the person at their next visit (no SMS could be sent)."""
        return self.waiting().filter(channel=SurveyChannel.COUNTER, person_id=getattr(person, "pk", person))

    def resolution_rate(self, since, structure=None, operator=None) -> ResolutionRate:
        """Answers given since that date (or datetime): how many, how many said "resolved"."""
        rows = self.answered().filter(answered_at__gte=_start(since))
        if structure is not None:
            rows = rows.filter(structure_id=getattr(structure, "pk", structure))
        if operator is not None:
            rows = rows.filter(operator_id=getattr(operator, "pk", operator))
        totals = rows.aggregate(answered=Count("id"), resolved=Count("id", filter=Q(resolved=True)))
        return ResolutionRate(totals["answered"], totals["resolved"])

    def rates_by_operator(self, since) -> list[tuple[str, ResolutionRate]]:
        """The same figure per partner operator (referrals only: a visit has no operator), most answers first."""
        rows = (
            self.answered()
            .filter(answered_at__gte=_start(since), operator__isnull=False)
            .values("operator__short_name")
            .annotate(answered=Count("id"), resolved=Count("id", filter=Q(resolved=True)))
            .order_by("-answered", "operator__short_name")
        )
        return [(row["operator__short_name"], ResolutionRate(row["answered"], row["resolved"])) for row in rows]


class SatisfactionSurvey(models.Model):
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("personne"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="satisfaction_surveys",
    )
    about_kind = models.CharField(_("à propos de"), max_length=10, choices=AboutKind.choices)
    about_id = models.PositiveBigIntegerField(_("numéro de l'orientation ou de la visite"))
    structure = models.ForeignKey(
        "territory.Structure", verbose_name=_("structure"), on_delete=models.PROTECT, related_name="+"
    )
    operator = models.ForeignKey(
        "territory.Operator",
        verbose_name=_("organisme partenaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("canal"), max_length=10, choices=SurveyChannel.choices)
    token_hash = models.CharField(_("empreinte du lien"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("posée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("valable jusqu'au"))
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    resolved = models.BooleanField(_("demande résolue"), null=True, blank=True)
    comment = models.CharField(_("commentaire"), max_length=COMMENT_MAX_LENGTH, blank=True)

    objects = SatisfactionSurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("question de satisfaction")
        verbose_name_plural = _("questions de satisfaction")
        constraints = [
            models.UniqueConstraint(fields=["about_kind", "about_id"], name="satisfaction_one_question_per_subject")
        ]
        indexes = [models.Index(fields=["answered_at"], name="satisfaction_answered_idx")]

    def __str__(self) -> str:
        return f"Question de satisfaction n° {self.pk} ({self.get_about_kind_display()} n° {self.about_id})"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at
