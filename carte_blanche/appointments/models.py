"""Appointments: partners publish permanences cut into slots; agents book a slot for a person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("En personne")
    PHONE = "phone", _("Par téléphone")
    VISIO = "visio", _("En visio")


class Status(models.TextChoices):
    BOOKED = "booked", _("Réservé")
    CANCELLED = "cancelled", _("Annulé")


class Permanence(models.Model):
    """A partner's time at a service point, on the phone or in visio, cut into slots."""

    operator = models.ForeignKey(
        "territory.Operator", verbose_name=_("organisme"), on_delete=models.PROTECT, related_name="permanences"
    )
    mode = models.CharField(_("modalité"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    service_point = models.ForeignKey(
        "territory.ServicePoint",
        verbose_name=_("lieu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permanences",
    )
    title = models.CharField(_("intitulé"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("permanence")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mode="in_person") | Q(service_point__isnull=False),
                name="in_person_permanence_has_a_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.operator})"

    @property
    def location(self) -> str:
        """Where the person goes, or how they are met."""
        if self.mode == Mode.IN_PERSON and self.service_point is not None:
            address = ", ".join(line.strip() for line in self.service_point.address.splitlines() if line.strip())
            return f"{self.service_point.name}, {address}" if address else self.service_point.name
        return "Téléphone" if self.mode == Mode.PHONE else "Visio"


class SlotQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(starts_at__gt=timezone.now())

    def with_booked(self):
        return self.annotate(
            booked=Count("appointments", filter=Q(appointments__status=Status.BOOKED)),
            free=F("capacity") - Count("appointments", filter=Q(appointments__status=Status.BOOKED)),
        )

    def with_free_seats(self):
        return self.with_booked().filter(free__gt=0)


class Slot(models.Model):
    permanence = models.ForeignKey(Permanence, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    capacity = models.PositiveSmallIntegerField(_("places"), default=1)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("créneau")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_at_least_one"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%d/%m/%Y %H:%M} — {self.permanence.title}"


class AppointmentQuerySet(models.QuerySet):
    def booked(self):
        return self.filter(status=Status.BOOKED)

    def upcoming(self):
        return self.filter(slot__starts_at__gt=timezone.now())

    def visible_to(self, user):
        """An agent sees those its structure booked; a partner those at its operator; nobody else any."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == "partner_referent" and user.operator_id:
            return self.filter(slot__permanence__operator_id=user.operator_id)
        if user.role == "agent" and user.structure_id:
            return self.filter(structure_id=user.structure_id)
        return self.none()


class Appointment(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="appointments")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    structure = models.ForeignKey("territory.Structure", on_delete=models.PROTECT, related_name="appointments")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "id"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "person"], condition=Q(status="booked"), name="one_booking_per_person_and_slot"
            )
        ]

    def __str__(self) -> str:
        return f"Rendez-vous n° {self.pk}"
