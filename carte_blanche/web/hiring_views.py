"""The hiring-cost simulator: one or two scenarios side by side, saved to the company's case file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carte_blanche.accounts.models import Role
from carte_blanche.employers.models import Employer
from carte_blanche.hiring.actions import can_save_for, can_simulate, save_simulation
from carte_blanche.hiring.aids import aids_for
from carte_blanche.hiring.engine import COMPARED, ScenarioError, compute, differences
from carte_blanche.web.hiring_forms import PageForm, ScenarioForm, attach_engine_errors, scenario_initial

TEMPLATE = "web/hiring/simulator.html"


def _employers(user):
    if user.role == Role.HR_ADVISOR:
        return Employer.objects.select_related("commune")
    return user.employers.select_related("commune")


def _chosen_employer(request: HttpRequest, employers):
    raw = request.GET.get("entreprise", "")
    if raw.isdigit():
        return employers.filter(pk=int(raw)).first()
    return employers.first() if request.user.role == Role.EMPLOYER else None


def hiring_simulator(request: HttpRequest) -> HttpResponse:
    if not can_simulate(request.user):
        raise PermissionDenied("Le simulateur d'embauche est réservé aux employeurs et aux conseillers RH.")
    employers = _employers(request.user)
    month = timezone.localdate().strftime("%Y-%m")
    if request.method != "POST":
        employer = _chosen_employer(request, employers)
        page = PageForm(initial={"employer": employer, "compare": True}, employers=employers)
        first = scenario_initial(month, employer, label="Scénario 1")
        second = scenario_initial(month, employer, label="Scénario 2")
        forms = [ScenarioForm(prefix="a", initial=first), ScenarioForm(prefix="b", initial=second)]
        return _render(request, page, forms)

    page = PageForm(request.POST, employers=employers)
    compare = request.POST.get("compare") == "on"
    forms = [ScenarioForm(request.POST, prefix="a"), ScenarioForm(request.POST, prefix="b")]
    used = forms if compare else forms[:1]
    if not (page.is_valid() and all(f.is_valid() for f in used)):
        return _render(request, page, forms, status=400)
    scenarios = [f.to_scenario() for f in used]
    try:
        results = compute(scenarios)
    except ScenarioError as exc:
        attach_engine_errors(exc.errors, used)
        return _render(request, page, forms, status=400)
    employer = page.cleaned_data["employer"]
    if request.POST.get("action") == "enregistrer":
        if not can_save_for(request.user, employer):
            page.add_error("employer", "Choisissez l'entreprise dans le dossier de laquelle enregistrer la simulation.")
            return _render(request, page, forms, results=results, status=400)
        title = page.cleaned_data["title"] or " / ".join(s.label or "Scénario" for s in scenarios)
        save_simulation(request.user, employer, scenarios, results, label=title)
        messages.success(request, f"Simulation enregistrée dans le dossier de {employer.name}.")
    return _render(request, page, forms, results=results)


def _error_summary(page: PageForm, forms: list[ScenarioForm]) -> list[dict]:
    items = []
    for name, errors in page.errors.items():
        items += [{"text": e, "href": f"#id_{name}" if name != "__all__" else "#simulateur"} for e in errors]
    for number, form in enumerate(forms, start=1):
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            href = f"#id_{form.prefix}-{name}" if name in form.fields else "#simulateur"
            items += [{"text": f"Scénario {number} – {label} : {e}" if label else e, "href": href} for e in errors]
    return items


def _render(request, page, forms, *, results=None, status=200) -> HttpResponse:
    rows = []
    aids = []
    if results:
        diff = differences(results[0], results[1]) if len(results) == 2 else {}
        for key, label in COMPARED:
            values = [getattr(r, key) for r in results]
            if key in ("end_of_contract_allowance", "other_reductions") and not any(values):
                continue
            rows.append({"key": key, "label": label, "values": values, "difference": diff.get(key)})
        seen = set()
        for r in results:
            for aid in aids_for(r.scenario):
                if aid.code not in seen:
                    seen.add(aid.code)
                    aids.append(aid)
    summary = _error_summary(page, forms) if status == 400 else []
    return render(
        request,
        TEMPLATE,
        {
            "page": page,
            "forms": forms,
            "results": results,
            "rows": rows,
            "aids": aids,
            "error_summary": summary,
            "page_title": "Simuler le coût d'une embauche",
        },
        status=status,
    )
