"""Coordinators register the operators' systems that call the operator API (docs/operator-api.md).

A secret is shown once, in the answer to the creation or rotation (never stored, never redirected
through the session); the page is not cached.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carte_blanche.accounts.models import Role
from carte_blanche.operator_api.actions import (
    ALLOWED_CATEGORIES,
    ALLOWED_PURPOSES,
    ROTATION_GRACE,
    create_client,
    revoke_client,
    rotate_secret,
    source_fields,
)
from carte_blanche.operator_api.models import OperatorClient
from carte_blanche.territory.models import Operator


class OperatorClientForm(forms.Form):
    operator = forms.ModelChoiceField(
        label="Organisme", queryset=Operator.objects.all(), empty_label="Choisir l'organisme"
    )
    name = forms.CharField(
        label="Nom du système",
        max_length=100,
        help_text="Le logiciel qui appellera l'API, par exemple « Logiciel de gestion des prestations ». "
        "Il apparaît dans le journal des accès de chaque personne.",
    )
    purposes = forms.MultipleChoiceField(
        label="Finalités",
        choices=[(p.value, p.label) for p in ALLOWED_PURPOSES],
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label="Catégories de données",
        choices=[(c.value, c.label) for c in ALLOWED_CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        help_text="Le système ne lit jamais que ces catégories, et seulement quand la personne les a "
        "partagées avec l'organisme pour la finalité demandée.",
    )


def _coordinator(request: HttpRequest) -> None:
    if request.user.role != Role.COORDINATOR:
        raise PermissionDenied("Les systèmes des organismes sont gérés par la coordination du territoire.")


def _page(request: HttpRequest, form: OperatorClientForm, *, credential: str = "", shown_for=None, status=200):
    clients = OperatorClient.objects.select_related("operator", "created_by", "revoked_by").prefetch_related("secrets")
    rows = [
        {
            "client": c,
            "sources": ", ".join(cat.label for cat in source_fields(c.operator)) or "aucune",
            "secrets": list(c.secrets.all()),
        }
        for c in clients
    ]
    response = render(
        request,
        "web/operator_clients/list.html",
        {
            "form": form,
            "rows": rows,
            "credential": credential,
            "shown_for": shown_for,
            "grace_hours": int(ROTATION_GRACE.total_seconds() // 3600),
            "page_title": "Systèmes des organismes",
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def operator_client_list(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    if request.method != "POST":
        return _page(request, OperatorClientForm())
    form = OperatorClientForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            client, credential = create_client(
                data["operator"], data["name"], data["purposes"], data["categories"], by=request.user
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _page(request, OperatorClientForm(), credential=credential, shown_for=client)
    return _page(request, form, status=400)


def _client(client_pk: int) -> OperatorClient:
    client = OperatorClient.objects.select_related("operator").filter(pk=client_pk).first()
    if client is None:
        raise Http404("Aucun système ne porte ce numéro.")
    return client


@require_POST
def operator_client_rotate(request: HttpRequest, client_pk: int) -> HttpResponse:
    _coordinator(request)
    client = _client(client_pk)
    try:
        credential = rotate_secret(client, by=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("web:operator_client_list")
    return _page(request, OperatorClientForm(), credential=credential, shown_for=client)


@require_POST
def operator_client_revoke(request: HttpRequest, client_pk: int) -> HttpResponse:
    _coordinator(request)
    client = revoke_client(_client(client_pk), by=request.user)
    messages.success(
        request, f"« {client.name} » ({client.operator.short_name}) est révoqué : ses appels sont refusés."
    )
    return redirect("web:operator_client_list")
