"""Operators' webhooks (the territory coordinator) and the operators' inbox of changes (partners)."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carte_blanche.accounts.models import Role
from carte_blanche.consent.access import name_persons
from carte_blanche.consent.categories import CATEGORY_LABELS, Purpose
from carte_blanche.territory.models import Operator
from carte_blanche.webhooks.delivery import deliver
from carte_blanche.webhooks.models import Delivery, DeliveryStatus, Propagation, PropagationChannel, Subscription
from carte_blanche.webhooks.signing import EVENTS


class SubscriptionForm(forms.Form):
    operator = forms.ModelChoiceField(label="Organisme", queryset=Operator.objects.order_by("short_name"))
    url = forms.URLField(label="Adresse de réception", max_length=500, assume_scheme="https",
                         help_text="L'adresse https du logiciel de l'organisme qui reçoit les événements.")  # fmt: skip
    events = forms.MultipleChoiceField(label="Événements", choices=list(EVENTS.items()),
                                       widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.startswith("https://"):
            raise forms.ValidationError(
                "L'adresse doit commencer par https:// : les événements sont signés et chiffrés."
            )
        return url


def _coordinator(request: HttpRequest) -> None:
    if request.user.role != Role.COORDINATOR:
        raise PermissionDenied("Réservé au coordinateur du territoire.")


def webhook_list(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    form = SubscriptionForm()
    status = 200
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            secret = "whsec_" + secrets.token_urlsafe(32)
            subscription = Subscription.objects.create(
                operator=form.cleaned_data["operator"], url=form.cleaned_data["url"],
                events=form.cleaned_data["events"], secret=secret, created_by=request.user,
            )  # fmt: skip
            return render(
                request, "web/webhooks/created.html",
                {"subscription": subscription, "secret": secret, "page_title": "Webhook créé"},
            )  # fmt: skip
        status = 422
    failures = (
        Delivery.objects.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.ABANDONED])
        .select_related("subscription__operator")
        .order_by("-created_at")[:100]
    )
    return render(
        request,
        "web/webhooks/list.html",
        {
            "form": form,
            "subscriptions": Subscription.objects.select_related("operator"),
            "failures": failures,
            "page_title": "Webhooks des organismes",
        },
        status=status,
    )


@require_POST
def webhook_toggle(request: HttpRequest, subscription_id: int) -> HttpResponse:
    _coordinator(request)
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        raise Http404("Aucun webhook ne porte ce numéro.")
    subscription.active = not subscription.active
    subscription.save(update_fields=["active"])
    messages.success(request, "Webhook réactivé." if subscription.active else "Webhook suspendu.")
    return redirect("web:webhook_list")


@require_POST
def delivery_retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    _coordinator(request)
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404("Aucun envoi ne porte ce numéro.")
    if delivery.status == DeliveryStatus.ABANDONED:
        delivery.status = DeliveryStatus.FAILED
        delivery.attempts = 0
        delivery.save(update_fields=["status", "attempts"])
    delivery = deliver(delivery.pk)
    if delivery.status == DeliveryStatus.DELIVERED:
        messages.success(request, "Envoi réussi.")
    else:
        messages.error(request, f"Nouvel échec : {delivery.last_error}")
    return redirect("web:webhook_list")


def partner_updates(request: HttpRequest) -> HttpResponse:
    """The operator's inbox of changes to persons who consented to it (no webhook configured)."""
    if request.user.role != Role.PARTNER_REFERENT:
        raise PermissionDenied("Réservé aux référents des organismes partenaires.")
    told = list(
        Propagation.objects.filter(operator=request.user.operator, channel=PropagationChannel.INBOX)
        .select_related("operator")
        .order_by("seen_at", "-created_at")[:200]
    )
    names = name_persons(request.user, [p.person_id for p in told], Purpose.CASE_MANAGEMENT)
    rows = [
        {"p": p, "name": names.get(p.person_id), "category": CATEGORY_LABELS.get(p.category, p.category)} for p in told
    ]
    return render(request, "web/webhooks/inbox.html", {"rows": rows, "page_title": "Mises à jour de dossiers"})


@require_POST
def partner_update_seen(request: HttpRequest, propagation_id: int) -> HttpResponse:
    if request.user.role != Role.PARTNER_REFERENT:
        raise PermissionDenied("Réservé aux référents des organismes partenaires.")
    updated = Propagation.objects.filter(
        pk=propagation_id, operator=request.user.operator, seen_at__isnull=True
    ).update(seen_at=timezone.now(), seen_by=request.user)
    if not updated:
        raise Http404("Aucune mise à jour à marquer comme lue.")
    return redirect("web:partner_updates")
