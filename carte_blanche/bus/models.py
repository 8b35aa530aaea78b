"""The mobile public-services bus (*bus France services*): its places (stops and depot), the
planned tours and their half-days, and the residents (or mairies) who want to be told."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carte_blanche.people.validators import validate_e164


class Half(models.TextChoices):
    MORNING = "am", _("matin")
    AFTERNOON = "pm", _("après-midi")


class StopQuerySet(models.QuerySet):
    def stops(self):
        return self.filter(is_depot=False, active=True)


class Stop(models.Model):
    """A place where the bus parks: a commune's meeting point, or the depot (Cahors)."""

    commune = models.ForeignKey("territory.Commune", on_delete=models.PROTECT, related_name="bus_stops")
    name = models.CharField(_("point de rendez-vous"), max_length=200, help_text=_("Ex. : place de la mairie."))
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    accessibility = models.CharField(
        _("accessibilité"), max_length=300, blank=True, help_text=_("Ex. : stationnement de plain-pied, rampe.")
    )
    is_depot = models.BooleanField(_("dépôt du bus"), default=False)
    active = models.BooleanField(_("en service"), default=True)
    # The place appointments are booked at (one per stop, created with the stop).
    service_point = models.OneToOneField(
        "territory.ServicePoint", on_delete=models.PROTECT, null=True, blank=True, related_name="bus_stop"
    )

    objects = StopQuerySet.as_manager()

    class Meta:
        ordering = ["commune__name", "name"]
        verbose_name = _("arrêt du bus")
        verbose_name_plural = _("arrêts du bus")
        constraints = [
            models.UniqueConstraint(fields=["is_depot"], condition=Q(is_depot=True), name="bus_one_depot"),
        ]

    def __str__(self) -> str:
        return f"{self.commune.name} — {self.name}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    REPLACED = "replaced", _("Remplacée")


class TourPlan(models.Model):
    """A planning cycle (e.g. 4 weeks) of the bus, computed by the planner, then published."""

    starts_on = models.DateField(_("début du cycle"))
    weeks = models.PositiveSmallIntegerField(_("semaines"), default=4)
    half_days_per_week = models.PositiveSmallIntegerField(_("demi-journées par semaine"), default=8)
    forbidden_dates = models.JSONField(_("dates exclues"), default=list)  # [{"day": "2026-12-25", "why": "Noël"}]
    pinned = models.JSONField(_("communes imposées"), default=dict)  # {"46007": 1}
    status = models.CharField(_("état"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    objective = models.FloatField(default=0)
    bound = models.FloatField(default=0)
    gap = models.FloatField(default=0)
    solver_status = models.CharField(max_length=40, blank=True)
    seconds = models.FloatField(default=0)
    metrics = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("tournée du bus")
        verbose_name_plural = _("tournées du bus")

    def __str__(self) -> str:
        return f"Tournée du {self.starts_on:%d/%m/%Y} ({self.weeks} semaines)"

    @property
    def ends_on(self) -> dt.date:
        return self.starts_on + dt.timedelta(weeks=self.weeks) - dt.timedelta(days=1)


class Outing(models.Model):
    """One half-day of the bus: leaves the depot, serves one or more stops in order, comes back."""

    plan = models.ForeignKey(TourPlan, on_delete=models.CASCADE, related_name="outings")
    day = models.DateField(_("date"))
    half = models.CharField(_("demi-journée"), max_length=2, choices=Half.choices)
    km = models.FloatField(_("kilomètres"), default=0)

    class Meta:
        ordering = ["day", "half"]
        constraints = [models.UniqueConstraint(fields=["plan", "day", "half"], name="bus_one_outing_per_half_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_half_display()}"


class Call(models.Model):
    """The bus at a stop during an outing (*passage*), with its times on site."""

    outing = models.ForeignKey(Outing, on_delete=models.CASCADE, related_name="calls")
    stop = models.ForeignKey(Stop, on_delete=models.PROTECT, related_name="calls")
    order = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(_("arrivée"))
    ends_at = models.DateTimeField(_("départ"))
    permanence = models.OneToOneField(
        "appointments.Permanence", on_delete=models.SET_NULL, null=True, blank=True, related_name="bus_call"
    )

    class Meta:
        ordering = ["starts_at", "order"]
        constraints = [models.UniqueConstraint(fields=["outing", "order"], name="bus_call_order")]

    def __str__(self) -> str:
        return f"{self.stop} le {self.starts_at:%d/%m/%Y %H:%M}"


class SubscriptionChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Courriel")
    MAIRIE = "mairie", _("Affiche pour la mairie (liste imprimée)")


class Subscription(models.Model):
    """Someone who wants to know when the bus comes to a commune: a resident, or its mairie."""

    commune = models.ForeignKey("territory.Commune", on_delete=models.PROTECT, related_name="bus_subscriptions")
    channel = models.CharField(_("par"), max_length=10, choices=SubscriptionChannel.choices)
    name = models.CharField(_("nom"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone mobile"), max_length=16, blank=True, validators=[validate_e164])
    email = models.EmailField(_("courriel"), blank=True)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)  # the unsubscribe link
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["commune__name", "pk"]
        verbose_name = _("abonnement aux passages du bus")

    def __str__(self) -> str:
        return f"{self.commune.name} ({self.get_channel_display()})"
