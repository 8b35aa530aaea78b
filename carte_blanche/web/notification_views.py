"""Letters to print and calls to make: the agent's side of the messages the platform cannot send itself."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from carte_blanche.appointments.models import Appointment
from carte_blanche.consent.access import access_person, name_persons
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.messaging.models import Channel, Notification, NotificationStatus
from carte_blanche.messaging.notify import mark_done
from carte_blanche.people.models import Person
from carte_blanche.referrals.models import Referral


def _for_structure(user):
    """Messages about the referrals and appointments of the agent's structure (others: none)."""
    if user.role != "agent":
        raise PermissionDenied("Seul un agent polyvalent imprime les courriers et passe les appels.")
    if not user.structure_id:
        return Notification.objects.none()
    referrals = Referral.objects.filter(structure_id=user.structure_id).values("pk")
    appointments = Appointment.objects.filter(structure_id=user.structure_id).values("pk")
    about_referrals = Q(related_kind="referral", related_id__in=referrals)
    about_appointments = Q(related_kind="appointment", related_id__in=appointments)
    return Notification.objects.filter(about_referrals | about_appointments, person__isnull=False)


def _get(user, notification_id: int) -> Notification:
    notification = _for_structure(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404("Aucun courrier ni appel ne porte ce numéro.")
    return notification


def notification_list(request: HttpRequest) -> HttpResponse:
    rows = list(_for_structure(request.user).to_do().order_by("created_at", "id"))
    names = name_persons(request.user, [n.person_id for n in rows], Purpose.ACCOMPANIMENT)
    entries = [{"notification": n, "name": names.get(n.person_id, f"Personne n° {n.person_id}")} for n in rows]
    return render(
        request,
        "web/notification_list.html",
        {
            "letters": [e for e in entries if e["notification"].channel == Channel.LETTER],
            "calls": [e for e in entries if e["notification"].channel == Channel.PHONE],
            "page_title": "Courriers et appels",
        },
    )


def notification_letter(request: HttpRequest, notification_id: int) -> HttpResponse:
    return render(request, "web/notification_letter.html", _letter_context(request, notification_id))


def notification_letter_pdf(request: HttpRequest, notification_id: int) -> HttpResponse:
    """The same letter as an A4 PDF, addressed for a window envelope."""
    from weasyprint import HTML

    context = _letter_context(request, notification_id)
    html = render_to_string("web/letter_pdf.html", context, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="courrier-{notification_id}.pdf"'
    return response


def _letter_context(request: HttpRequest, notification_id: int) -> dict:
    notification = _get(request.user, notification_id)
    if notification.channel != Channel.LETTER:
        raise Http404("Ce message n'est pas un courrier.")
    try:
        record = access_person(
            request.user, notification.person_id, Purpose.ACCOMPANIMENT, {DataCategory.IDENTITY, DataCategory.CONTACT}
        )
    except Person.DoesNotExist as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc
    identity = record.identity or {}
    contact = record.contact or {}
    commune = contact.get("commune")
    postal_codes = getattr(commune, "postal_codes", None) or []
    return {
        "notification": notification,
        "title": identity.get("title_display", "") if identity.get("title") else "",
        "name": f"{identity.get('first_names', '')} {identity.get('last_name', '').upper()}".strip(),
        "address": contact.get("address", ""),
        "town": f"{postal_codes[0] + ' ' if postal_codes else ''}{getattr(commune, 'name', '')}".strip(),
        "structure": request.user.structure,
        "page_title": f"Courrier n° {notification.pk}",
    }


@require_POST
def notification_done(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = _get(request.user, notification_id)
    if notification.status not in (NotificationStatus.TO_PRINT, NotificationStatus.TO_CALL):
        messages.info(request, "Ce courrier ou cet appel était déjà marqué comme fait.")
    else:
        mark_done(notification, by=request.user)
        what = "Courrier" if notification.channel == Channel.LETTER else "Appel"
        messages.success(request, f"{what} n° {notification.pk} marqué comme fait.")
    return redirect("web:notification_list")
