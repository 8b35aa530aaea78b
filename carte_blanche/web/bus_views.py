"""The bus France services: the public timetable (no login) and the coordinator's tour."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from carte_blanche.accounts.models import Role
from carte_blanche.bus import actions, exports
from carte_blanche.bus.conf import bus_settings
from carte_blanche.bus.indicators import call_lines
from carte_blanche.bus.models import Call, Stop, TourPlan
from carte_blanche.bus.planning import compute_plan
from carte_blanche.bus.timetable import next_calls, published_calls, served_communes
from carte_blanche.territory.models import Commune
from carte_blanche.web.bus_forms import StopForm, SubscriptionForm, TourForm
from carte_blanche.web.mobility_forms import PeriodForm


def _coordinator(request: HttpRequest) -> None:
    if request.user.role != Role.COORDINATOR:
        raise PermissionDenied("Réservé au coordinateur du territoire.")


def _commune(insee: str) -> Commune:
    commune = Commune.objects.filter(insee_code=insee).first()
    if commune is None:
        raise Http404("Aucune commune du territoire n'a ce code INSEE.")
    return commune


# --- Public ---------------------------------------------------------------------------------------


@login_not_required
def bus_tour(request: HttpRequest) -> HttpResponse:
    upcoming = list(published_calls(since=timezone.now())[:400])
    return render(
        request,
        "web/bus/tour.html",
        {
            "served": served_communes(),
            "map": exports.svg_map(Commune.objects.all(), upcoming),
            "services": bus_settings().services,
            "page_title": "Le bus France services",
        },
    )


@login_not_required
def bus_commune(request: HttpRequest, insee: str) -> HttpResponse:
    commune = _commune(insee)
    form = SubscriptionForm()
    status = 200
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                subscription, token = actions.subscribe(
                    commune, channel=data["channel"], phone=data["phone"], email=data["email"], name=data["name"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                link = request.build_absolute_uri(f"/bus/desinscription/{token}/")
                messages.success(
                    request,
                    f"C'est noté : vous serez prévenu avant chaque passage du bus à {commune.name}. "
                    f"Pour vous désinscrire : {link}",
                )
                return redirect("web:bus_commune", insee=insee)
        status = 422
    calls = next_calls(commune)
    upcoming = list(published_calls(since=timezone.now())[:400])
    return render(
        request,
        "web/bus/commune.html",
        {
            "commune": commune,
            "calls": calls,
            "map": exports.svg_map(Commune.objects.all(), upcoming, highlight=commune),
            "services": bus_settings().services,
            "form": form,
            "page_title": f"Le bus France services à {commune.name}",
        },
        status=status,
    )


@login_not_required
def bus_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = actions.unsubscribe(token)
    if subscription is None:
        raise Http404("Ce lien de désinscription n'est pas valable.")
    return render(request, "web/bus/unsubscribed.html", {"subscription": subscription, "page_title": "Désinscription"})


def _ics(calls, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(exports.ical(calls, name=name, now=timezone.now()), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
def bus_commune_ics(request: HttpRequest, insee: str) -> HttpResponse:
    commune = _commune(insee)
    calls = published_calls(since=timezone.now() - dt.timedelta(days=30), commune=commune)
    return _ics(calls, f"Bus France services à {commune.name}", f"bus-{insee}.ics")


@login_not_required
def bus_tour_ics(request: HttpRequest) -> HttpResponse:
    calls = published_calls(since=timezone.now() - dt.timedelta(days=30))
    return _ics(calls, "Bus France services — tournée", "bus-tournee.ics")


@login_not_required
def bus_gtfs(request: HttpRequest) -> HttpResponse:
    calls = list(published_calls(since=timezone.now() - dt.timedelta(days=1)).select_related("outing"))
    today = timezone.localdate()
    end = max((c.outing.day for c in calls), default=today)
    content = exports.gtfs(
        calls, agency_name=bus_settings().structure_name, agency_url=settings.CB_PUBLIC_URL, feed_start=today,
        feed_end=end,
    )  # fmt: skip
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="bus-france-services-gtfs.zip"'
    return response


@login_not_required
def bus_services_json(request: HttpRequest) -> HttpResponse:
    calls = published_calls(since=timezone.now())
    records = exports.data_inclusion(calls, structure=actions.bus_structure(), public_url=settings.CB_PUBLIC_URL)
    return JsonResponse(records, safe=False, json_dumps_params={"ensure_ascii": False, "indent": 2})


@login_not_required
def bus_poster_pdf(request: HttpRequest, insee: str) -> HttpResponse:
    from weasyprint import HTML

    commune = _commune(insee)
    html = render_to_string(
        "web/bus/poster.html",
        {
            "commune": commune,
            "calls": next_calls(commune, count=8),
            "services": bus_settings().services,
            "link": f"{settings.CB_PUBLIC_URL.rstrip('/')}/bus/communes/{insee}/",
        },  # fmt: skip
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="affiche-bus-{insee}.pdf"'
    return response


# --- The coordinator ----------------------------------------------------------------------------


def tour_plans(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    form = TourForm()
    status = 200
    if request.method == "POST":
        form = TourForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = compute_plan(
                    by=request.user, scope_communes=form.communes(), starts_on=data["starts_on"],
                    weeks=data["weeks"], half_days_per_week=data["half_days_per_week"],
                    forbidden_text=data["forbidden"], pinned=data["pinned"], time_limit=data["time_limit"],
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Tournée calculée : vérifiez-la, puis publiez-la.")
                return redirect("web:tour_plan_detail", plan_id=plan.pk)
        status = 422
    return render(
        request,
        "web/bus/plans.html",
        {"form": form, "plans": TourPlan.objects.all()[:20], "page_title": "Tournées du bus"},
        status=status,
    )


def tour_plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    _coordinator(request)
    plan = TourPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise Http404("Aucune tournée ne porte ce numéro.")
    outings = plan.outings.prefetch_related("calls__stop__commune")
    visits: dict[str, int] = {}
    for call in Call.objects.filter(outing__plan=plan).select_related("stop__commune"):
        visits[call.stop.commune.name] = visits.get(call.stop.commune.name, 0) + 1
    return render(
        request,
        "web/bus/plan_detail.html",
        {
            "plan": plan,
            "outings": outings,
            "visits": sorted(visits.items()),
            "metrics": plan.metrics,
            "gap_percent": round(100 * plan.gap, 2),
            "map": exports.svg_map(
                Commune.objects.all(), Call.objects.filter(outing__plan=plan).select_related("stop")
            ),
            "page_title": str(plan),
        },
    )


@require_POST
def tour_plan_publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    _coordinator(request)
    plan = TourPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise Http404("Aucune tournée ne porte ce numéro.")
    try:
        actions.publish_plan(plan, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Tournée publiée : les horaires sont en ligne et les passages sont réservables.")
    return redirect("web:tour_plan_detail", plan_id=plan.pk)


def stop_list(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    return render(
        request,
        "web/bus/stops.html",
        {"stops": Stop.objects.select_related("commune"), "page_title": "Arrêts du bus"},
    )


def stop_edit(request: HttpRequest, stop_id: int) -> HttpResponse:
    _coordinator(request)
    stop = Stop.objects.select_related("commune").filter(pk=stop_id).first()
    if stop is None:
        raise Http404("Aucun arrêt ne porte ce numéro.")
    form = StopForm(instance=stop)
    status = 200
    if request.method == "POST":
        form = StopForm(request.POST, instance=stop)
        if form.is_valid():
            actions.save_stop(form.instance)
            messages.success(request, "Arrêt enregistré.")
            return redirect("web:bus_stops")
        status = 422
    return render(
        request, "web/bus/stop_form.html", {"form": form, "stop": stop, "page_title": str(stop)}, status=status
    )


def bus_indicators(request: HttpRequest) -> HttpResponse:
    if request.user.role not in (Role.COORDINATOR, Role.AGENT):
        raise PermissionDenied("Réservé aux coordinateurs et aux agents.")
    form = PeriodForm(request.GET or PeriodForm.this_month())
    lines = call_lines(form.cleaned_data["start"], form.cleaned_data["end"]) if form.is_valid() else []
    totals = {
        "visits": sum(line.visits for line in lines),
        "persons": sum(line.persons for line in lines),
        "new_persons": sum(line.new_persons for line in lines),
        "anonymous": sum(line.anonymous for line in lines),
    }
    return render(
        request,
        "web/bus/indicators.html",
        {"form": form, "lines": lines, "totals": totals, "page_title": "Bus France services — indicateurs"},
        status=200 if form.is_valid() else 422,
    )
