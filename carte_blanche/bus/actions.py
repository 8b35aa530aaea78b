"""Changes of state of the bus service: its places, a tour saved then published, subscriptions.

No person's data is read here (a subscription holds only what its subscriber typed), so nothing
is journaled but the appointments booked on board, through ``appointments.actions.book``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.appointments.actions import open_permanence
from carte_blanche.appointments.models import Appointment, Mode
from carte_blanche.bus.conf import bus_settings
from carte_blanche.bus.models import Call, Outing, PlanStatus, Stop, Subscription, SubscriptionChannel, TourPlan
from carte_blanche.territory.models import Commune, ServicePoint, Structure

PLANNERS = {"coordinator"}


def _require_planner(user) -> None:
    if getattr(user, "role", "") not in PLANNERS:
        raise PermissionDenied(_("Seul un coordinateur du territoire prépare et publie la tournée du bus."))


def bus_structure() -> Structure:
    return Structure.objects.select_related("operator", "commune").get(name=bus_settings().structure_name)


def depot() -> Stop:
    """The bus's depot (created at the bus structure's commune centre the first time)."""
    existing = Stop.objects.filter(is_depot=True).select_related("commune").first()
    if existing is not None:
        return existing
    commune = bus_structure().commune
    return Stop.objects.create(commune=commune, name="Dépôt du bus", lat=commune.lat, lon=commune.lon, is_depot=True)


def stop_for(commune: Commune) -> Stop:
    """The commune's stop; a first one at its centre (« place de la mairie », to be refined) if none."""
    stop = Stop.objects.stops().filter(commune=commune).order_by("pk").first()
    if stop is not None:
        return stop
    return save_stop(Stop(commune=commune, name="Place de la mairie", lat=commune.lat, lon=commune.lon))


def save_stop(stop: Stop) -> Stop:
    """Create or update a stop and the service point its appointments are booked at."""
    structure = bus_structure()
    with transaction.atomic():
        stop.full_clean()
        name = f"Bus France services — {stop.commune.name}, {stop.name}"[:200]
        if stop.service_point_id is None:
            stop.service_point = ServicePoint.objects.create(
                operator=structure.operator, name=name, commune=stop.commune, address=stop.address,
                lat=stop.lat, lon=stop.lon, geo_precision=ServicePoint.GeoPrecision.ADDRESS,
                source="Arrêt du bus France services",
            )  # fmt: skip
        else:
            ServicePoint.objects.filter(pk=stop.service_point_id).update(
                name=name, commune=stop.commune, address=stop.address, lat=stop.lat, lon=stop.lon
            )
        stop.save()
    return stop


def save_plan(
    result, *, by, starts_on: dt.date, weeks: int, half_days_per_week: int, forbidden: list[dict],
    pinned: dict[str, int], stops: dict[str, Stop], timetable,
) -> TourPlan:  # fmt: skip
    """Keep the planner's result as a draft: the outings and, for each stop, its times on site.

    ``timetable(half_day_plan) -> list[(stop_id, starts_at, ends_at)]`` turns a half-day of the
    planner into times (see ``planning.timetable``).
    """
    _require_planner(by)
    with transaction.atomic():
        plan = TourPlan.objects.create(
            starts_on=starts_on, weeks=weeks, half_days_per_week=half_days_per_week, forbidden_dates=forbidden,
            pinned=pinned, objective=result.objective, bound=result.bound, gap=result.gap,
            solver_status=result.status[:40], seconds=result.seconds, created_by=by,
        )  # fmt: skip
        for half_day in result.half_days:
            outing = Outing.objects.create(plan=plan, day=half_day.day, half=half_day.half, km=half_day.km)
            for order, (site_id, starts_at, ends_at) in enumerate(timetable(half_day), start=1):
                Call.objects.create(outing=outing, stop=stops[site_id], order=order, starts_at=starts_at,
                                    ends_at=ends_at)  # fmt: skip
    return plan


def publish_plan(plan: TourPlan, *, by) -> TourPlan:
    """Publish a draft: it replaces the published tour on the same dates, and every stop of it
    becomes bookable (a permanence of the bus with slots for the agents on board)."""
    _require_planner(by)
    conf = bus_settings()
    structure = bus_structure()
    with transaction.atomic():
        plan = TourPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != PlanStatus.DRAFT:
            raise ValidationError(_("Cette tournée est déjà publiée ou remplacée."))
        if plan.starts_on < timezone.localdate():
            raise ValidationError(_("Le cycle a déjà commencé : calculez une tournée qui commence plus tard."))
        overlapping = TourPlan.objects.filter(status=PlanStatus.PUBLISHED).exclude(pk=plan.pk)
        overlapping = [p for p in overlapping if p.starts_on <= plan.ends_on and plan.starts_on <= p.ends_on]
        for old in overlapping:
            booked = Appointment.objects.filter(
                slot__permanence__bus_call__outing__plan=old,
                slot__starts_at__date__gte=plan.starts_on,
                status="booked",
            ).count()
            if booked:
                raise ValidationError(
                    _("La tournée publiée a déjà %(n)s rendez-vous sur ces dates : déplacez-les d'abord.")
                    % {"n": booked}
                )
        for old in overlapping:
            old.status = PlanStatus.REPLACED
            old.save(update_fields=["status"])
        for call in Call.objects.filter(outing__plan=plan).select_related("stop__commune", "stop__service_point"):
            minutes = int((call.ends_at - call.starts_at).total_seconds() // 60)
            slot = conf.slot_minutes if minutes >= conf.slot_minutes else minutes
            usable = call.starts_at + dt.timedelta(minutes=(minutes // slot) * slot)
            call.permanence = open_permanence(
                operator=structure.operator, mode=Mode.IN_PERSON, service_point=call.stop.service_point,
                title=f"Bus France services à {call.stop.commune.name}", begins=call.starts_at, finishes=usable,
                slot_minutes=slot, capacity=conf.agents_on_board, created_by=by,
            )  # fmt: skip
            call.save(update_fields=["permanence"])
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = timezone.now()
        plan.published_by = by
        plan.save(update_fields=["status", "published_at", "published_by"])
    return plan


def _token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)
    return token, hashlib.sha256(token.encode()).hexdigest()


def subscribe(commune: Commune, *, channel: str, phone: str = "", email: str = "", name: str = "",
              person=None) -> tuple[Subscription, str]:  # fmt: skip
    """A resident (or a mairie) asks to be told before the bus comes; returns the unsubscribe token."""
    channel = SubscriptionChannel(channel)
    if channel is SubscriptionChannel.SMS and not phone:
        raise ValidationError({"phone": _("Indiquez un numéro de téléphone mobile pour recevoir un SMS.")})
    if channel in (SubscriptionChannel.EMAIL, SubscriptionChannel.MAIRIE) and not email:
        raise ValidationError({"email": _("Indiquez une adresse électronique.")})
    existing = Subscription.objects.filter(commune=commune, channel=channel, ended_at__isnull=True)
    existing = existing.filter(phone=phone) if channel is SubscriptionChannel.SMS else existing.filter(email=email)
    if existing.exists():
        raise ValidationError(_("Cette adresse est déjà inscrite pour cette commune."))
    token, digest = _token()
    subscription = Subscription(commune=commune, channel=channel, phone=phone if channel == "sms" else "",
                                email=email if channel != "sms" else "", name=name, person=person,
                                token_hash=digest)  # fmt: skip
    subscription.full_clean()
    subscription.save()
    return subscription, token


def unsubscribe(token: str) -> Subscription | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    subscription = Subscription.objects.filter(token_hash=digest).first()
    if subscription is not None and subscription.ended_at is None:
        subscription.ended_at = timezone.now()
        subscription.save(update_fields=["ended_at"])
    return subscription
