"""Referrals (orientations): the agent sends, the partner works from an inbox and answers."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carte_blanche.catalogue.models import Procedure
from carte_blanche.consent.access import AccessDenied, access_person, name_persons
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.documents.models import Document
from carte_blanche.referrals.actions import send_referral, transition
from carte_blanche.referrals.models import Referral
from carte_blanche.referrals.states import STATUS_LABELS, IllegalTransition, Status, Transition, allowed
from carte_blanche.territory.models import Operator

TRANSITION_LABELS = {
    Transition.ACCEPT: "Prendre en charge",
    Transition.REQUEST_INFO: "Demander un complément",
    Transition.PROVIDE_INFO: "Apporter le complément",
    Transition.REFUSE: "Refuser (motif obligatoire)",
    Transition.ANSWER: "Répondre",
    Transition.CLOSE: "Clôturer",
}
ROLES = ("agent", "partner_referent")


class ReferralForm(forms.Form):
    operator = forms.ModelChoiceField(label="Partenaire", queryset=Operator.objects.order_by("short_name"))
    procedure = forms.ModelChoiceField(
        label="Démarche concernée", queryset=Procedure.objects.active().order_by("title"), required=False
    )
    question = forms.CharField(
        label="La demande",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce que la personne demande et ce qui a déjà été fait. Le partenaire la lira telle quelle.",
    )
    documents = forms.ModelMultipleChoiceField(
        label="Pièces jointes",
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Le partenaire ne les voit que si la personne lui a donné son accord pour ses pièces justificatives.",
    )

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if documents is None:
            del self.fields["documents"]
        else:
            self.fields["documents"].queryset = documents


class InboxFilter(forms.Form):
    status = forms.ChoiceField(
        label="État", required=False, choices=[("", "Tous")] + [(s.value, label) for s, label in STATUS_LABELS.items()]
    )
    late = forms.BooleanField(label="En retard seulement", required=False)


def _side(user) -> str:
    if user.role not in ROLES:
        raise PermissionDenied("Votre rôle ne donne pas accès aux orientations.")
    return "partner" if user.role == "partner_referent" else "agent"


def referral_create(request: HttpRequest, person_id: int) -> HttpResponse:
    if request.user.role != "agent":
        raise PermissionDenied("Seul un agent polyvalent oriente une personne.")
    from carte_blanche.people.models import Person

    try:
        record = access_person(
            request.user, person_id, Purpose.REFERRAL, {DataCategory.IDENTITY, DataCategory.DOCUMENTS}
        )
    except Person.DoesNotExist as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc
    initial = {}
    slug = request.GET.get("demarche")
    if slug:
        procedure = Procedure.objects.filter(slug=slug).select_related("operator").first()
        if procedure:
            initial = {"procedure": procedure, "operator": procedure.operator}
    # The agent picks attachments only among documents their own access lets them read.
    documents = Document.objects.filter(person_id=person_id) if record.has(DataCategory.DOCUMENTS) else None
    form = ReferralForm(request.POST or None, initial=initial, documents=documents)
    if request.method == "POST" and form.is_valid():
        try:
            referral = send_referral(
                Person.objects.get(pk=person_id),
                operator=form.cleaned_data["operator"],
                question=form.cleaned_data["question"],
                procedure=form.cleaned_data["procedure"],
                documents=form.cleaned_data.get("documents") or (),
                by=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"Orientation envoyée à {referral.operator.short_name} : réponse attendue le "
                f"{referral.deadline:%d/%m/%Y}.",
            )
            return redirect("web:referral_detail", referral_id=referral.pk)
    return render(
        request,
        "web/referral_form.html",
        {"form": form, "record": record, "page_title": f"Orienter {record.display_name}"},
    )


def referral_inbox(request: HttpRequest) -> HttpResponse:
    side = _side(request.user)
    today = timezone.localdate()
    form = InboxFilter(request.GET or None)
    referrals = Referral.objects.visible_to(request.user).select_related("operator", "procedure", "structure")
    if form.is_valid():
        if form.cleaned_data["status"]:
            referrals = referrals.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["late"]:
            referrals = referrals.overdue(today)
    else:
        referrals = referrals.exclude(status=Status.CLOSED.value)
    referrals = list(referrals.order_by("deadline", "id")[:200])
    names = name_persons(request.user, [r.person_id for r in referrals], Purpose.REFERRAL)
    rows = [
        {"referral": r, "name": names.get(r.person_id), "late": r.is_overdue(today), "status": STATUS_LABELS[r.state]}
        for r in referrals
    ]
    return render(
        request,
        "web/referral_inbox.html",
        {
            "rows": rows,
            "form": form,
            "side": side,
            "late_count": sum(row["late"] for row in rows),
            "page_title": "Orientations",
        },
    )


def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    side = _side(request.user)
    referral = (
        Referral.objects.visible_to(request.user)
        .select_related("operator", "procedure", "structure", "created_by")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("Aucune orientation ne porte ce numéro.")
    try:
        record = access_person(
            request.user,
            referral.person_id,
            Purpose.REFERRAL,
            {DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.DOCUMENTS},
        )
    except AccessDenied:
        record = None
    if request.method == "POST":
        if record is None:
            raise PermissionDenied("La personne a retiré son accord : cette orientation ne peut plus être traitée.")
        try:
            transition(referral, request.POST.get("transition", ""), by=request.user, text=request.POST.get("text", ""))
        except (ValueError, IllegalTransition) as exc:
            messages.error(request, str(exc) if isinstance(exc, IllegalTransition) else "Action inconnue.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Orientation mise à jour.")
        return redirect(reverse("web:referral_detail", args=[referral.pk]))
    today = timezone.localdate()
    return render(
        request,
        "web/referral_detail.html",
        {
            "referral": referral,
            "record": record,
            "status": STATUS_LABELS[referral.state],
            "late": referral.is_overdue(today),
            "actions": [(t.value, TRANSITION_LABELS[t]) for t in allowed(referral.state, side)] if record else [],
            "conversation": referral.messages.select_related("author") if record else [],
            # Attachments only while the person lets the reader see their documents for the referral.
            "attachments": list(referral.documents.all()) if record and record.has(DataCategory.DOCUMENTS) else None,
            "purpose": Purpose.REFERRAL,
            "page_title": f"Orientation n° {referral.pk}",
        },
    )
