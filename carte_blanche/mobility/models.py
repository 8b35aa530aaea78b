"""Solidarity mobility (*mobilité solidaire*): volunteer drivers, beneficiaries, ride requests,
their legs and the proposals the dispatcher sends to drivers, and the territory's other offers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carte_blanche.mobility.states import DriverStatus, EligibilityStatus, LegStatus, ProposalStatus
from carte_blanche.people.validators import validate_e164
from carte_blanche.territory.validators import validate_opening_hours


def _choices(enum) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class HalfDay(models.TextChoices):
    MORNING = "am", _("matin")
    AFTERNOON = "pm", _("après-midi")


class DriverQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=DriverStatus.ACTIVE)


class Driver(models.Model):
    """A volunteer driver (*conducteur bénévole*), validated by a mobility coordinator."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="driver_profile")
    phone = models.CharField(_("téléphone mobile"), max_length=16, validators=[validate_e164])
    home_commune = models.ForeignKey(
        "territory.Commune", verbose_name=_("commune de départ"), on_delete=models.PROTECT, related_name="+"
    )
    seats = models.PositiveSmallIntegerField(
        _("places passagers"), default=3, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    wheelchair_accessible = models.BooleanField(_("véhicule accessible en fauteuil roulant"), default=False)
    area_communes = models.ManyToManyField(
        "territory.Commune",
        verbose_name=_("communes desservies"),
        blank=True,
        related_name="+",
        help_text=_("Vide : toutes les communes dans le rayon indiqué."),
    )
    max_distance_km = models.PositiveSmallIntegerField(
        _("rayon accepté (km)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Distance maximale entre la commune de départ et chaque lieu de prise en charge ou de dépose."),
    )
    max_rides_per_week = models.PositiveSmallIntegerField(
        _("trajets par semaine au plus"), default=4, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    status = models.CharField(_("état"), max_length=12, choices=_choices(DriverStatus), default=DriverStatus.PENDING)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(_("remarques"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DriverQuerySet.as_manager()

    class Meta:
        verbose_name = _("conducteur bénévole")
        verbose_name_plural = _("conducteurs bénévoles")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username

    @property
    def status_label(self) -> str:
        return DriverStatus(self.status).label


class WeeklyAvailability(models.Model):
    """A half-day the driver is usually available (every week)."""

    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="weekly")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    half_day = models.CharField(_("demi-journée"), max_length=2, choices=HalfDay.choices)

    class Meta:
        ordering = ["weekday", "half_day"]
        constraints = [models.UniqueConstraint(fields=["driver", "weekday", "half_day"], name="mobility_weekly_unique")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.get_half_day_display()}"


class DatedAvailability(models.Model):
    """A dated exception: an extra slot the driver offers, or an absence (holidays)."""

    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="dated")
    day = models.DateField(_("date"))
    starts = models.TimeField(_("de"))
    ends = models.TimeField(_("à"))
    available = models.BooleanField(_("disponible"), default=True, help_text=_("Décoché : absent sur ce créneau."))

    class Meta:
        ordering = ["day", "starts"]
        constraints = [models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="mobility_dated_order")]

    def __str__(self) -> str:
        state = "disponible" if self.available else "absent"
        return f"{self.day:%d/%m/%Y} {self.starts:%H:%M}–{self.ends:%H:%M} ({state})"


class OfferKind(models.TextChoices):
    ON_DEMAND = "on_demand", _("Transport à la demande")
    BUS_LINE = "bus_line", _("Ligne de bus ou de car")
    SOLIDARITY_GARAGE = "garage", _("Garage solidaire")
    VEHICLE_LOAN = "vehicle_loan", _("Prêt ou location solidaire de véhicule")
    CARPOOLING = "carpooling", _("Covoiturage")
    DRIVING_SCHOOL = "driving_school", _("Auto-école sociale, aide au permis")
    OTHER = "other", _("Autre")


class MobilityOffer(models.Model):
    """Another mobility offer of the territory, with its conditions, that an agent points to."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OfferKind.choices)
    provider = models.CharField(_("porté par"), max_length=200)
    description = models.TextField(_("description"))
    conditions = models.TextField(_("conditions d'accès"), blank=True)
    price = models.CharField(_("tarif"), max_length=200, blank=True)
    communes = models.ManyToManyField(
        "territory.Commune", verbose_name=_("communes desservies"), blank=True, related_name="mobility_offers"
    )
    phone = models.CharField(_("téléphone"), max_length=16, blank=True, validators=[validate_e164])
    url = models.URLField(_("site"), blank=True)
    opening_hours = models.CharField(
        _("horaires (syntaxe OpenStreetMap)"), max_length=300, blank=True, validators=[validate_opening_hours]
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("offre de mobilité")
        verbose_name_plural = _("offres de mobilité")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class EligibilityReason(models.TextChoices):
    NO_LICENCE = "no_licence", _("Pas de permis de conduire")
    NO_VEHICLE = "no_vehicle", _("Pas de véhicule")
    HEALTH = "health", _("Ne peut plus conduire (santé, âge)")
    VEHICLE_OUT = "vehicle_out", _("Véhicule en panne ou immobilisé")
    NO_TRANSPORT = "no_transport", _("Aucun transport en commun adapté")


class Eligibility(models.Model):
    """The decision that a person may use the volunteer drivers (latest one counts)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="mobility_eligibilities")
    status = models.CharField(_("décision"), max_length=10, choices=_choices(EligibilityStatus))
    no_vehicle = models.BooleanField(_("sans véhicule personnel utilisable"), default=True)
    reason = models.CharField(_("motif"), max_length=20, choices=EligibilityReason.choices)
    referred_by = models.CharField(
        _("orienté par"), max_length=200, help_text=_("La structure ou la personne qui a orienté le demandeur.")
    )
    comment = models.TextField(_("commentaire"), blank=True)
    valid_until = models.DateField(_("valable jusqu'au"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("éligibilité à la mobilité solidaire")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.status_label} jusqu'au {self.valid_until:%d/%m/%Y}"

    @property
    def status_label(self) -> str:
        return EligibilityStatus(self.status).label

    def is_valid_on(self, day: dt.date) -> bool:
        return self.status == EligibilityStatus.VALID and self.valid_until >= day


class RidePurpose(models.TextChoices):
    HEALTH = "health", _("Santé (rendez-vous médical)")
    PUBLIC_SERVICE = "public_service", _("Démarche administrative, rendez-vous d'un service public")
    EMPLOYMENT = "employment", _("Emploi, formation, entretien")
    SHOPPING = "shopping", _("Courses de première nécessité")
    SOCIAL = "social", _("Lien social, famille")
    OTHER = "other", _("Autre")


class RideRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A mobility coordinator sees all; an agent, the requests of their structure."""
        role = getattr(user, "role", "")
        if role == "mobility_coordinator":
            return self
        if role == "agent" and user.structure_id:
            return self.filter(structure_id=user.structure_id)
        return self.none()


class RideRequest(models.Model):
    """A person's request for a ride: the outbound leg and, usually, the return leg."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="ride_requests")
    structure = models.ForeignKey(
        "territory.Structure", on_delete=models.PROTECT, null=True, blank=True, related_name="ride_requests"
    )
    appointment = models.ForeignKey(
        "appointments.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="rides"
    )
    purpose = models.CharField(_("motif du déplacement"), max_length=20, choices=RidePurpose.choices)
    purpose_detail = models.CharField(_("précision"), max_length=200, blank=True)
    day = models.DateField(_("date"))
    origin_address = models.CharField(_("adresse de départ"), max_length=300, blank=True)
    origin_commune = models.ForeignKey(
        "territory.Commune", verbose_name=_("commune de départ"), on_delete=models.PROTECT, related_name="+"
    )
    destination_name = models.CharField(_("lieu de destination"), max_length=200, blank=True)
    destination_address = models.CharField(_("adresse de destination"), max_length=300, blank=True)
    destination_commune = models.ForeignKey(
        "territory.Commune", verbose_name=_("commune de destination"), on_delete=models.PROTECT, related_name="+"
    )
    # Precise coordinates when known (a service point); else the commune's centroid is used.
    destination_lat = models.FloatField(null=True, blank=True)
    destination_lon = models.FloatField(null=True, blank=True)
    wheelchair = models.BooleanField(_("en fauteuil roulant"), default=False)
    companion = models.BooleanField(_("accompagné d'une personne"), default=False)
    boarding_help = models.BooleanField(_("a besoin d'aide pour monter en voiture"), default=False)
    notes = models.CharField(_("informations pour le conducteur"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = RideRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de transport")
        verbose_name_plural = _("demandes de transport")
        ordering = ["-day", "-pk"]

    def __str__(self) -> str:
        return f"Transport n° {self.pk} du {self.day:%d/%m/%Y}"

    @property
    def seats(self) -> int:
        return 2 if self.companion else 1


class Direction(models.TextChoices):
    OUTBOUND = "outbound", _("Aller")
    RETURN = "return", _("Retour")


class RideLegQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[s.value for s in LegStatus if s.is_open])


class RideLeg(models.Model):
    """One trip of a request, planned by the dispatcher. Times are the windows asked for the
    start of service (pick-up, drop-off); ``planned_*`` is the dispatcher's timetable."""

    request = models.ForeignKey(RideRequest, on_delete=models.CASCADE, related_name="legs")
    direction = models.CharField(_("sens"), max_length=10, choices=Direction.choices)
    pickup_earliest = models.DateTimeField()
    pickup_latest = models.DateTimeField()
    dropoff_earliest = models.DateTimeField()
    dropoff_latest = models.DateTimeField()
    status = models.CharField(_("état"), max_length=12, choices=_choices(LegStatus), default=LegStatus.REQUESTED)
    unservable_reason = models.CharField(max_length=30, blank=True)
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, null=True, blank=True, related_name="legs")
    planned_pickup = models.DateTimeField(null=True, blank=True)
    planned_dropoff = models.DateTimeField(null=True, blank=True)
    distance_km = models.DecimalField(
        _("distance du trajet (km)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    driven_km = models.DecimalField(
        _("kilomètres parcourus par le conducteur"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RideLegQuerySet.as_manager()

    class Meta:
        ordering = ["pickup_earliest", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "direction"], name="mobility_leg_direction_unique"),
            models.CheckConstraint(
                condition=Q(pickup_latest__gte=models.F("pickup_earliest"))
                & Q(dropoff_latest__gte=models.F("dropoff_earliest")),
                name="mobility_leg_windows",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} du transport n° {self.request_id}"

    @property
    def status_label(self) -> str:
        return LegStatus(self.status).label

    def clean(self) -> None:
        if self.dropoff_latest < self.pickup_earliest:
            raise ValidationError(_("La dépose ne peut pas précéder la prise en charge."))


class Proposal(models.Model):
    """A leg offered to a driver; answered by link, SMS reply, on the driver's page or by phone."""

    leg = models.ForeignKey(RideLeg, on_delete=models.CASCADE, related_name="proposals")
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="proposals")
    status = models.CharField(
        _("état"), max_length=10, choices=_choices(ProposalStatus), default=ProposalStatus.PENDING
    )
    token_hash = models.CharField(max_length=64, unique=True)
    code = models.PositiveIntegerField(help_text=_("Le numéro que le conducteur cite dans sa réponse par SMS."))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_via = models.CharField(max_length=10, blank=True)  # link, sms, page, phone, system
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["leg"], condition=Q(status="pending"), name="mobility_one_pending_proposal_per_leg"
            )
        ]

    def __str__(self) -> str:
        return f"Proposition n° {self.code} à {self.driver}"

    @property
    def status_label(self) -> str:
        return ProposalStatus(self.status).label


class DispatchRun(models.Model):
    """One run of the dispatcher for one day: what it was given and what it found."""

    day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    trigger = models.CharField(max_length=30)  # manual, periodic, decline, cancellation, appointment…
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    legs = models.PositiveIntegerField(default=0)
    vehicles = models.PositiveIntegerField(default=0)
    served = models.PositiveIntegerField(default=0)
    unserved = models.PositiveIntegerField(default=0)
    distance_km = models.DecimalField(max_digits=8, decimal_places=1, default=0)
    seconds = models.FloatField(default=0)
    status = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Répartition du {self.day:%d/%m/%Y} ({self.trigger})"
