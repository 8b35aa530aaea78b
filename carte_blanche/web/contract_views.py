"""Employment contract drafts for the HR centre's employers, and the bridge to the employee's rights check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from carte_blanche.accounts.models import Role
from carte_blanche.contracts.actions import (
    NOTICE,
    GenerationBlocked,
    check_can_write,
    employers_of,
    generate,
    link_person,
    prefill_from_employer,
    problems_of,
    readable_by_agent,
    save_draft,
)
from carte_blanche.contracts.document import checklist, title_of
from carte_blanche.contracts.models import ContractDraft
from carte_blanche.contracts.odt import contract_odt
from carte_blanche.people.models import Person
from carte_blanche.web.contract_forms import ContractForm, data_from_initial, initial_from_draft
from carte_blanche.web.employer_choice import chosen_employer

FORM_TEMPLATE = "web/contracts/form.html"


def _writer(request: HttpRequest) -> None:
    if request.user.role not in (Role.EMPLOYER, Role.HR_ADVISOR):
        raise PermissionDenied("Les projets de contrat sont réservés aux employeurs et aux conseillers RH.")


def _contract(request: HttpRequest, draft_id: int, *, agent_may_read: bool = False) -> ContractDraft:
    contract = ContractDraft.objects.select_related("employer", "employer__commune").filter(pk=draft_id).first()
    if contract is None:
        raise Http404("Aucun projet de contrat ne porte ce numéro.")
    if agent_may_read and request.user.role == Role.AGENT:
        try:
            readable_by_agent(request.user, contract)
        except Person.DoesNotExist as exc:
            raise Http404("Aucun dossier ne porte ce numéro.") from exc
        if contract.person_id is None:
            raise PermissionDenied("Ce projet de contrat n'est rattaché à aucun dossier que vous suivez.")
        return contract
    _writer(request)
    check_can_write(request.user, contract.employer)
    return contract


def contract_list(request: HttpRequest) -> HttpResponse:
    _writer(request)
    employers = employers_of(request.user)
    wanted = request.GET.get("entreprise", "")
    if wanted.isdigit():
        employers = employers.filter(pk=int(wanted))
    drafts = ContractDraft.objects.filter(employer__in=employers).select_related("employer")[:200]
    companies = list(employers[:50]) if request.user.role == Role.EMPLOYER or wanted else []
    return render(
        request,
        "web/contracts/list.html",
        {"drafts": drafts, "companies": companies, "page_title": "Projets de contrat de travail"},
    )


def contract_create(request: HttpRequest) -> HttpResponse:
    _writer(request)
    employers = employers_of(request.user)
    employer = chosen_employer(request, employers, what="dont vous rédigez les contrats")
    check_can_write(request.user, employer)
    initial = initial_from_draft(prefill_from_employer(employer))
    initial.update(kind=request.GET.get("type", "cdi"), time=request.GET.get("temps", "complet"))
    return _edit(request, employer, None, initial)


def contract_edit(request: HttpRequest, draft_id: int) -> HttpResponse:
    contract = _contract(request, draft_id)
    return _edit(request, contract.employer, contract, initial_from_draft(contract.draft))


def _edit(request, employer, contract, initial) -> HttpResponse:
    if request.method == "POST":
        form = ContractForm(request.POST)
        if request.POST.get("action") == "actualiser":
            # Kind or time of work changed: redraw with that kind's clauses, nothing saved.
            form = ContractForm(initial={**initial, **request.POST.dict()})
            return _render_form(request, form, employer, contract)
        if form.is_valid():
            contract = save_draft(request.user, employer, form.to_draft(), contract=contract)
            blocking = [p for p in problems_of(contract.draft) if p.blocking]
            if blocking:
                messages.warning(
                    request, "Projet enregistré. Des points restent à corriger avant de générer le contrat."
                )
            else:
                messages.success(request, "Projet enregistré : le contrat peut être généré.")
            return redirect("web:contract_detail", draft_id=contract.pk)
        return _render_form(request, form, employer, contract, status=400)
    if contract is None:
        return _render_form(request, ContractForm(initial=initial), employer, contract)
    # A saved draft: show its problems on the fields.
    form = ContractForm(data=data_from_initial(initial))
    others = []
    if form.is_valid():
        others = form.attach(problems_of(form.to_draft()))
    return _render_form(request, form, employer, contract, others=others)


def _render_form(request, form, employer, contract, *, status=200, others=()) -> HttpResponse:
    kind, part_time = form.chosen()
    action = (
        reverse("web:contract_edit", args=[contract.pk])
        if contract
        else reverse("web:contract_create") + f"?entreprise={employer.pk}"
    )
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "employer": employer,
            "contract": contract,
            "action": action,
            "is_cdd": kind.value == "cdd",
            "part_time": part_time,
            "other_problems": others,
            "page_title": f"Projet de contrat — {employer.name}",
        },
        status=status,
    )


def contract_detail(request: HttpRequest, draft_id: int) -> HttpResponse:
    contract = _contract(request, draft_id, agent_may_read=True)
    draft = contract.draft
    problems = problems_of(draft)
    return render(
        request,
        "web/contracts/detail.html",
        {
            "contract": contract,
            "draft": draft,
            "title": title_of(draft),
            "blocking": [p for p in problems if p.blocking],
            "warnings": [p for p in problems if not p.blocking],
            "checklist": checklist(draft),
            "is_agent": request.user.role == Role.AGENT,
            "page_title": f"Projet de contrat n° {contract.pk}",
        },
    )


def _generated(request: HttpRequest, draft_id: int):
    contract = _contract(request, draft_id)
    try:
        return contract, generate(request.user, contract)
    except GenerationBlocked as exc:
        messages.error(
            request,
            f"Le contrat n'est pas généré : {len(exc.problems)} point(s) à corriger, signalés sur les champs.",
        )
        return contract, None


def contract_pdf(request: HttpRequest, draft_id: int) -> HttpResponse:
    from weasyprint import HTML

    contract, generated = _generated(request, draft_id)
    if generated is None:
        return redirect("web:contract_edit", draft_id=contract.pk)
    html = render_to_string(
        "web/contracts/contract_pdf.html",
        {"contract": contract, "text": generated.text, "checklist": generated.checklist, "notice": NOTICE},
        request=request,
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contrat-{contract.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def contract_odt_download(request: HttpRequest, draft_id: int) -> HttpResponse:
    contract, generated = _generated(request, draft_id)
    if generated is None:
        return redirect("web:contract_edit", draft_id=contract.pk)
    body = contract_odt(generated.text, generated.checklist, notice=NOTICE)
    response = HttpResponse(body, content_type="application/vnd.oasis.opendocument.text")
    response["Content-Disposition"] = f'attachment; filename="contrat-{contract.pk}.odt"'
    response["Cache-Control"] = "private, no-store"
    return response


def contract_link(request: HttpRequest) -> HttpResponse:
    """Agents: link a contract draft to the employee's file from the code she was given."""
    if request.user.role != Role.AGENT:
        raise PermissionDenied("Seul un agent polyvalent rattache un projet de contrat au dossier d'une personne.")
    person_raw = (request.POST.get("personne") or request.GET.get("personne") or "").strip()
    code = (request.POST.get("code") or "").strip()
    error = ""
    if request.method == "POST":
        if not person_raw.isdigit():
            error = "Indiquez le numéro du dossier de la personne."
        else:
            try:
                contract = link_person(request.user, code, int(person_raw))
            except Person.DoesNotExist as exc:
                raise Http404("Aucun dossier ne porte ce numéro.") from exc
            except ContractDraft.DoesNotExist:
                error = "Aucun projet de contrat ne porte ce code : vérifiez-le avec la personne."
            except PermissionDenied as exc:
                error = str(exc)
            else:
                messages.success(request, "Le projet de contrat est rattaché au dossier.")
                return redirect("web:contract_detail", draft_id=contract.pk)
    return render(
        request,
        "web/contracts/link.html",
        {"person": person_raw, "code": code, "error": error, "page_title": "Rattacher un projet de contrat"},
        status=400 if error else 200,
    )
