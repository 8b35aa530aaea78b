"""Visits: what an agent did for whom, where, how and for how long (the counter's daily record)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carte_blanche.catalogue.models import Procedure

MAX_MINUTES = 240
NOTE_MAX_LENGTH = 500
CLIENT_KEY_MAX_LENGTH = 64


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("En personne")
    PHONE = "phone", _("Par téléphone")
    VISIO = "visio", _("En visio")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Réponse apportée sur place")
    DONE_FOR = "done_for", _("Fait pour la personne")
    DONE_WITH = "done_with", _("Fait avec la personne")
    REFERRED = "referred", _("Orienté vers un partenaire")
    APPOINTMENT = "appointment", _("Rendez-vous pris")
    RIGHTS_CHECK = "rights_check", _("Bilan des droits")


def validate_outcomes(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Cochez au moins une suite donnée à la visite."), code="required")
    unknown = [v for v in value if v not in Outcome.values]
    if unknown:
        raise ValidationError(_("Suite inconnue : %(values)s."), params={"values": ", ".join(map(str, unknown))})
    if len(set(value)) != len(value):
        raise ValidationError(_("Chaque suite ne peut être cochée qu'une fois."), code="duplicate")


class VisitQuerySet(models.QuerySet):
    def for_person(self, person):
        return self.filter(person_id=getattr(person, "pk", person))

    def at_structure(self, structure):
        return self.filter(structure_id=getattr(structure, "pk", structure))

    def on_day(self, day: dt.date):
        """Visits that happened on that local day."""
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return self.filter(happened_at__gte=start, happened_at__lt=start + dt.timedelta(days=1))

    def anonymous(self):
        return self.filter(person__isnull=True)

    def about_procedures_of(self, operator):
        """Visits where at least one of the procedures belongs to that operator."""
        return self.filter(procedures__operator_id=getattr(operator, "pk", operator)).distinct()

    def for_display(self):
        return self.select_related("agent", "structure", "place_commune").prefetch_related(
            models.Prefetch("procedures", queryset=Procedure.objects.select_related("operator").order_by("title"))
        )


class Visit(models.Model):
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="visits"
    )
    structure = models.ForeignKey(
        "territory.Structure", verbose_name=_("structure"), on_delete=models.PROTECT, related_name="visits"
    )
    place_commune = models.ForeignKey(
        "territory.Commune",
        verbose_name=_("commune de l'arrêt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Pour le bus : la commune où il était arrêté."),
    )
    channel = models.CharField(_("canal"), max_length=20, choices=Channel.choices, default=Channel.IN_PERSON)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        help_text=_("Vide pour une visite anonyme."),
    )
    procedures = models.ManyToManyField(
        "catalogue.Procedure", verbose_name=_("démarches"), blank=True, related_name="visits"
    )
    outcomes = models.JSONField(
        _("suites données"),
        default=list,
        validators=[validate_outcomes],
        error_messages={"blank": _("Cochez au moins une suite donnée à la visite.")},
    )
    minutes = models.PositiveSmallIntegerField(
        _("temps passé (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)],
        error_messages={"null": _("Indiquez le temps passé, en minutes.")},
    )
    note = models.CharField(
        _("note"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("Facultatif et court. N'écrivez ni santé, ni situation familiale, ni avis sur la personne."),
    )
    happened_at = models.DateTimeField(_("date de la visite"), default=timezone.now)
    client_key = models.CharField(
        _("clé d'envoi"),
        max_length=CLIENT_KEY_MAX_LENGTH,
        blank=True,
        default="",
        help_text=_(
            "Identifiant tiré par le navigateur pour ce formulaire : un même envoi reçu deux fois "
            "(file d'attente hors connexion) n'enregistre qu'une visite."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_at", "-pk"]
        verbose_name = _("visite")
        indexes = [
            models.Index(fields=["structure", "happened_at"], name="visit_structure_day"),
            models.Index(fields=["person", "happened_at"], name="visit_person_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=MAX_MINUTES), name="visit_minutes_range"
            ),
            # The idempotency key of the offline queue: one visit per agent and key, when there is one.
            models.UniqueConstraint(
                fields=["agent", "client_key"],
                condition=~models.Q(client_key=""),
                name="visit_unique_client_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Visite du {timezone.localtime(self.happened_at):%d/%m/%Y %H:%M} ({self.structure_id})"

    @property
    def outcome_labels(self) -> list[str]:
        return [str(Outcome(v).label) for v in self.outcomes if v in Outcome.values]
