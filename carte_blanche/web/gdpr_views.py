"""The person's own copy of everything the platform holds about them (JSON and a readable PDF)."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string

from carte_blanche.accounts.models import Role
from carte_blanche.gdpr.export import export_person


def _own_person_id(request: HttpRequest) -> int:
    person = getattr(request.user, "person", None)
    if request.user.role != Role.RESIDENT:
        raise PermissionDenied("Seule la personne elle-même télécharge ses données depuis son compte.")
    if person is None:
        raise Http404("Aucun dossier n'est lié à votre compte.")
    return person.pk


def my_data_json(request: HttpRequest) -> HttpResponse:
    data = export_person(request.user, _own_person_id(request))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-carte-blanche.json"'
    return response


def my_data_pdf(request: HttpRequest) -> HttpResponse:
    from weasyprint import HTML

    data = export_person(request.user, _own_person_id(request))
    html = render_to_string("web/gdpr/export_pdf.html", {"data": data})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-carte-blanche.pdf"'
    return response
