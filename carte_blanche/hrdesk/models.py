"""Employers' HR questions to the centre's advisors, with a deadline, and the answers library."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from carte_blanche.accounts.models import Role
from carte_blanche.employers.models import HrTheme
from carte_blanche.hrdesk.states import OPEN, STATUS_LABELS, WAITING_ON_ADVISOR, Status

STATUS_CHOICES = [(s.value, label) for s, label in STATUS_LABELS.items()]
# The centre's commitment when no ServiceLevel row says otherwise: a first answer within 72 hours.
DEFAULT_FIRST_ANSWER_HOURS = 72
# Coordinators are alerted this many hours after the advisor was reminded.
DEFAULT_COORDINATOR_AFTER_HOURS = 24
READERS = (Role.HR_ADVISOR, Role.COORDINATOR)


class ServiceLevel(models.Model):
    """How fast the centre commits to a first answer on a theme, in calendar hours."""

    theme = models.CharField(_("thème"), max_length=30, choices=HrTheme.choices, unique=True)
    first_answer_hours = models.PositiveSmallIntegerField(
        _("première réponse sous (heures)"), default=DEFAULT_FIRST_ANSWER_HOURS
    )
    coordinator_after_hours = models.PositiveSmallIntegerField(
        _("alerte de la coordination après (heures de retard)"), default=DEFAULT_COORDINATOR_AFTER_HOURS
    )

    class Meta:
        ordering = ["theme"]
        verbose_name = _("engagement de service RH")

    def __str__(self) -> str:
        return f"{self.get_theme_display()} : {self.first_answer_hours} h"


class HrQuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An employer sees its companies' questions; advisors and coordinators all; nobody else any."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == Role.EMPLOYER:
            return self.filter(employer__members=user)
        if user.role in READERS:
            return self.all()
        return self.none()

    def waiting_on_advisor(self):
        return self.filter(status__in=[s.value for s in WAITING_ON_ADVISOR])

    def open(self):
        return self.filter(status__in=[s.value for s in OPEN])

    def overdue(self, now: dt.datetime):
        return self.waiting_on_advisor().filter(due_at__lt=now)

    def inbox_for(self, advisor):
        """Open questions assigned to the advisor, and unassigned ones on the themes the advisor covers."""
        profile = getattr(advisor, "advisor_profile", None)
        unassigned = Q(assigned_to__isnull=True)
        if profile is not None and profile.themes:
            unassigned &= Q(theme__in=profile.themes)
        return self.open().filter(Q(assigned_to=advisor) | unassigned)

    def first_answer_rates(self, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> dict:
        """Questions asked in [start, end): how many were first-answered within their deadline, per theme.

        Counted: questions first-answered, and those still unanswered past their deadline (late
        already). Unanswered ones still within their deadline are not judged yet.
        """
        rows = (
            self.filter(asked_at__gte=start, asked_at__lt=end)
            .filter(Q(first_answer_on_time__isnull=False) | Q(first_answered_at__isnull=True, due_at__lt=now))
            .values("theme")
            .annotate(counted=Count("id"), on_time=Count("id", filter=Q(first_answer_on_time=True)))
        )
        labels = dict(HrTheme.choices)
        by_theme = [
            {"theme": r["theme"], "label": labels.get(r["theme"], r["theme"]), **_rate(r["counted"], r["on_time"])}
            for r in rows
        ]
        by_theme.sort(key=lambda r: r["label"])
        total = _rate(sum(r["counted"] for r in by_theme), sum(r["on_time"] for r in by_theme))
        return {"by_theme": by_theme, "all": total}


def _rate(counted: int, on_time: int) -> dict:
    return {"counted": counted, "on_time": on_time, "percent": round(100 * on_time / counted) if counted else None}


class HrQuestion(models.Model):
    employer = models.ForeignKey(
        "employers.Employer", verbose_name=_("entreprise"), on_delete=models.PROTECT, related_name="hr_questions"
    )
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    theme = models.CharField(_("thème"), max_length=30, choices=HrTheme.choices)
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("question"))
    status = models.CharField(_("état"), max_length=20, choices=STATUS_CHOICES, default=Status.ASKED.value)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conseiller"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_hr_questions",
    )
    asked_at = models.DateTimeField()
    due_at = models.DateTimeField(_("réponse attendue avant"))
    # While the employer owes information, the clock stops; it restarts when the information comes.
    paused_at = models.DateTimeField(null=True, blank=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    first_answer_on_time = models.BooleanField(null=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = HrQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("question RH")
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["assigned_to", "status"])]

    def __str__(self) -> str:
        return f"Question RH n° {self.pk} : {self.subject}"

    @property
    def state(self) -> Status:
        return Status(self.status)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.state]

    def is_overdue(self, now: dt.datetime) -> bool:
        return self.state in WAITING_ON_ADVISOR and self.due_at < now


class MessageKind(models.TextChoices):
    QUESTION = "question", _("Question")
    INFO_REQUEST = "info_request", _("Précisions demandées")
    INFO = "info", _("Précisions apportées")
    ANSWER = "answer", _("Réponse")
    REOPEN = "reopen", _("Question relancée")


class HrMessage(models.Model):
    """The thread of a question, in order."""

    question = models.ForeignKey(HrQuestion, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    text = models.TextField()
    # The library answer the advisor started from (and which version), when one was inserted.
    library_answer = models.ForeignKey(
        "Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="used_in"
    )
    library_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d/%m/%Y})"


class HrAttachment(models.Model):
    """A file joined to a question's message; stored in the vault (outside the web root), served after a check."""

    question = models.ForeignKey(HrQuestion, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(HrMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=100, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.filename


class EventKind(models.TextChoices):
    ASKED = "asked", _("Question posée")
    ROUTED = "routed", _("Attribuée")
    QUEUED = "queued", _("Dans la file du centre")
    TRANSITION = "transition", _("Changement d'état")
    ESCALATED = "escalated", _("Retard signalé")


class HrQuestionEvent(models.Model):
    """What happened to a question (companies' data: kept here, not in the persons' journal)."""

    question = models.ForeignKey(HrQuestion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y %H:%M})"


class Answer(models.Model):
    """A reusable answer of the library; every improvement is a new version, the old ones are kept."""

    theme = models.CharField(_("thème"), max_length=30, choices=HrTheme.choices)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("réponse"))
    sources = models.TextField(_("sources et liens"), blank=True, help_text=_("Une source par ligne."))
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()
    times_used = models.PositiveIntegerField(_("utilisations"), default=0)

    class Meta:
        ordering = ["theme", "title"]
        verbose_name = _("réponse type")

    def __str__(self) -> str:
        return self.title

    @property
    def source_lines(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]


class AnswerVersion(models.Model):
    """A version of a library answer as it was (the current one included)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    theme = models.CharField(max_length=30, choices=HrTheme.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    sources = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["answer", "version"], name="hrdesk_answer_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"
