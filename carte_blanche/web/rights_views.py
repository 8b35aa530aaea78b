"""Rights checks at the counter: the situation form, the result, the printable summary for the person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from carte_blanche.accounts.models import Role
from carte_blanche.catalogue.models import Procedure
from carte_blanche.consent.access import PersonRecord
from carte_blanche.consent.categories import DataCategory
from carte_blanche.people.models import Person
from carte_blanche.rights.actions import read_for_check, run_check, save_situation_to_file
from carte_blanche.rights.engine import BY_CODE, Frequency, SituationError, Status
from carte_blanche.rights.engine import Role as MemberRole
from carte_blanche.rights.models import RightsCheck
from carte_blanche.rights.prefill import build_situation, current_month, facts_from_record
from carte_blanche.web.rights_forms import (
    MEMBERS_PREFIX,
    HouseholdForm,
    MemberForm,
    MemberFormSet,
    attach_engine_errors,
    build_household,
    household_initial,
    member_formset_class,
    member_initial,
    month_label,
    redisplay,
)

FORM_TEMPLATE = "web/rights/check_form.html"


def _agent(request: HttpRequest) -> None:
    if request.user.role != Role.AGENT:
        raise PermissionDenied("Seul un agent polyvalent vérifie les droits d'une personne au guichet.")


def _read(request: HttpRequest, person_id: int) -> PersonRecord:
    try:
        return read_for_check(request.user, person_id)
    except Person.DoesNotExist as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc


def _forms_from_situation(situation: dict, month: str, *, extra: int = 0):
    members = [member_initial(m) for m in situation.get("members") or []]
    formset = member_formset_class(extra)(initial=members, prefix=MEMBERS_PREFIX, form_kwargs={"month": month})
    return HouseholdForm(initial=household_initial(situation)), formset


def _error_summary(household_form: HouseholdForm, formset) -> list[dict]:
    """Every error of the page, each linking to its field, for the summary at the top."""
    items = [{"text": e, "href": "#situation"} for e in household_form.non_field_errors()]
    items += [{"text": e, "href": "#membres"} for e in formset.non_form_errors()]
    for name, errors in household_form.errors.items():
        if name != "__all__":
            field = household_form[name]
            items += [{"text": f"{field.label} : {e}", "href": f"#{field.auto_id}"} for e in errors]
    for number, form in enumerate(formset.forms, start=1):
        for name, errors in form.errors.items():
            href = f"#{form[name].auto_id}" if name != "__all__" else f"#membre-{number}"
            where = f"Personne {number} — {form[name].label}" if name != "__all__" else f"Personne {number}"
            items += [{"text": f"{where} : {e}", "href": href} for e in errors]
    return items


def rights_check_create(request: HttpRequest, person_id: int) -> HttpResponse:
    """The situation form, pre-filled from the file and the latest check; POST computes and saves a check."""
    _agent(request)
    record = _read(request, person_id)
    month = current_month(timezone.localdate())
    latest = RightsCheck.objects.of_person(person_id).first()
    if request.method != "POST":
        situation = build_situation(facts_from_record(record), latest.situation if latest else None, month)
        _contract_prefill(request, person_id, situation, month)
        household_form, formset = _forms_from_situation(situation, month)
        return _render_form(request, record, household_form, formset, latest=latest, month=month)

    household_form = HouseholdForm(request.POST)
    formset = MemberFormSet(request.POST, prefix=MEMBERS_PREFIX, form_kwargs={"month": month})
    if request.POST.get("action") == "ajouter":
        # Without JavaScript: redraw the page with the typed values and one more blank row.
        kept = [redisplay(f) for f in formset.forms if not (f.is_valid() and f.cleaned_data.get("DELETE"))]
        household_form = HouseholdForm(initial=redisplay(household_form))
        formset = member_formset_class(1)(initial=kept, prefix=MEMBERS_PREFIX, form_kwargs={"month": month})
        return _render_form(request, record, household_form, formset, latest=latest, month=month)

    if household_form.is_valid() and formset.is_valid():
        members = formset.kept_forms()
        household = build_household(month, household_form, members)
        person = Person.objects.get(pk=person_id)
        try:
            saved = []
            if household_form.cleaned_data["save_to_file"]:
                names = {m.to_member().id: m.cleaned_data["first_name"] for m in members}
                saved = save_situation_to_file(request.user, person, household, first_names=names)
            check = run_check(request.user, person, household)
        except SituationError as exc:
            attach_engine_errors(exc.errors, household_form, members)
        except PermissionDenied as exc:
            household_form.add_error(None, str(exc))
        else:
            if saved:
                messages.success(request, "Le dossier a été mis à jour avec ces informations.")
            return redirect("web:rights_check_detail", check_id=check.pk)
    return _render_form(request, record, household_form, formset, latest=latest, month=month, status=400)


def _contract_prefill(request: HttpRequest, person_id: int, situation: dict, month: str):
    """``?contrat=<id>``: the applicant's work as the contract draft linked to this file sets it."""
    raw = request.GET.get("contrat", "")
    if not raw:
        return None
    from carte_blanche.contracts.bridge import applicant_from_contract
    from carte_blanche.contracts.models import ContractDraft

    contract = ContractDraft.objects.filter(pk=int(raw) if raw.isdigit() else 0, person_id=person_id).first()
    if contract is None:
        raise Http404("Aucun projet de contrat de ce numéro n'est rattaché à ce dossier.")
    values = applicant_from_contract(contract.draft, month)
    salary = values.pop("salary", None)
    for member in situation.get("members") or []:
        if member.get("role") == MemberRole.APPLICANT.value:
            member.update(values)
            if salary:
                others = [i for i in member.get("incomes") or [] if i.get("kind") != salary["kind"]]
                member["incomes"] = [*others, salary]
            break
    messages.info(
        request,
        f"Pré-rempli avec le projet de contrat n° {contract.pk} ({contract.get_kind_display()}"
        f"{', temps partiel' if contract.part_time else ''}) : le salaire net est estimé avec OpenFisca à partir "
        "du brut du contrat ; confirmez-le avec la personne (bulletin de paie).",
    )
    return contract


def _render_form(request, record, household_form, formset, *, latest, month, status=200) -> HttpResponse:
    summary = _error_summary(household_form, formset) if household_form.is_bound else []
    return render(
        request,
        FORM_TEMPLATE,
        {
            "record": record,
            "form": household_form,
            "formset": formset,
            "latest": latest,
            "month": month,
            "error_summary": summary,
            "can_save_health": record.has(DataCategory.HEALTH_AUTONOMY),
            "page_title": f"Vérifier les droits de {record.display_name}",
        },
        status=status,
    )


def rights_member_row(request: HttpRequest) -> HttpResponse:
    """HTMX: one more blank member row, and the formset's new form count (out of band)."""
    _agent(request)
    raw = request.GET.get(f"{MEMBERS_PREFIX}-TOTAL_FORMS", "")
    index = int(raw) if raw.isdigit() else 0
    if index >= 15:
        raise Http404("Un foyer compte au plus 15 personnes.")
    form = MemberForm(prefix=f"{MEMBERS_PREFIX}-{index}", month=current_month(timezone.localdate()))
    formset = MemberFormSet(prefix=MEMBERS_PREFIX, form_kwargs={"month": current_month(timezone.localdate())})
    formset.add_fields(form, index)
    return render(request, "web/rights/_member_row.html", {"member": form, "number": index + 1, "total": index + 1})


def _check_for(request: HttpRequest, check_id: int) -> tuple[RightsCheck, PersonRecord]:
    _agent(request)
    check = RightsCheck.objects.select_related("created_by", "previous").filter(pk=check_id).first()
    if check is None:
        raise Http404("Aucune vérification ne porte ce numéro.")
    return check, _read(request, check.person_id)


def _procedures_by_code(codes: set[str]) -> dict[str, list[Procedure]]:
    found: dict[str, list[Procedure]] = {code: [] for code in codes}
    if codes:
        for procedure in Procedure.objects.active().select_related("operator").order_by("title"):
            for code in procedure.benefits or []:
                if code in found:
                    found[code].append(procedure)
    return found


def result_context(check: RightsCheck) -> dict:
    result = check.check_result
    wanted = {b.code for b in result.benefits if b.unclaimed or b.status is Status.TO_CHECK}
    procedures = _procedures_by_code(wanted)

    def row(b):
        return {
            "benefit": b,
            "per": "par an" if b.frequency is Frequency.YEARLY else "par mois",
            "procedures": procedures.get(b.code, []),
        }

    def labels(codes):
        return [BY_CODE[c].label if c in BY_CODE else c for c in codes]

    return {
        "check": check,
        "result": result,
        "unclaimed": [row(b) for b in result.benefits if b.unclaimed],
        "received": [row(b) for b in result.benefits if b.status is Status.ELIGIBLE and b.already_received],
        "to_check": [row(b) for b in result.benefits if b.status is Status.TO_CHECK],
        "not_eligible": [row(b) for b in result.benefits if b.status is Status.NOT_ELIGIBLE],
        "monthly_total": result.monthly_unclaimed_total,
        "month_label": month_label(check.month),
        "appeared": labels(check.appeared),
        "disappeared": labels(check.disappeared),
    }


def rights_check_detail(request: HttpRequest, check_id: int) -> HttpResponse:
    check, record = _check_for(request, check_id)
    context = result_context(check)
    context.update(record=record, page_title=f"Droits de {record.display_name}")
    return render(request, "web/rights/check_detail.html", context)


def rights_check_pdf(request: HttpRequest, check_id: int) -> HttpResponse:
    """A summary for the person, in plain French, as an A4 PDF (WeasyPrint)."""
    from weasyprint import HTML

    check, record = _check_for(request, check_id)
    context = result_context(check)
    identity = record.identity or {}
    context.update(
        record=record,
        name=f"{identity.get('first_names', '')} {identity.get('last_name', '')}".strip() or record.display_name,
        structure=request.user.structure,
    )
    html = render_to_string("web/rights/summary_pdf.html", context, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="droits-{check.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def recent_checks(record: PersonRecord, user) -> list[RightsCheck] | None:
    """The person's checks for the file page: agents, with the household and incomes granted (None: hidden)."""
    if getattr(user, "role", "") != Role.AGENT or not record.has(DataCategory.HOUSEHOLD_INCOME):
        return None
    return list(RightsCheck.objects.of_person(record.person_id).select_related("created_by")[:20])
