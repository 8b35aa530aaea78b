"""Pièces justificatives: the list and upload page of a person, and the download."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify

from carte_blanche.accounts.models import Role
from carte_blanche.consent.access import access_person
from carte_blanche.consent.categories import DataCategory
from carte_blanche.documents.actions import open_document, store_document
from carte_blanche.documents.models import Document, DocumentKind
from carte_blanche.people.models import Person
from carte_blanche.web.forms import DATE_WIDGET
from carte_blanche.web.views import _purpose


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Fichier", help_text="PDF, PNG ou JPEG, 10 Mo au plus. Le format est vérifié sur le contenu du fichier."
    )
    kind = forms.ChoiceField(label="Nature de la pièce", choices=DocumentKind.choices)
    title = forms.CharField(label="Intitulé", max_length=200, required=False, help_text="Par exemple « Avis 2025 ».")
    issued_on = forms.DateField(label="Délivrée le", required=False, widget=DATE_WIDGET)
    valid_until = forms.DateField(label="Valable jusqu'au", required=False, widget=DATE_WIDGET)


def document_list(request: HttpRequest, person_id: int) -> HttpResponse:
    purpose = _purpose(request)
    if request.method == "POST" and request.user.role != Role.AGENT:
        raise PermissionDenied("Seul un agent polyvalent dépose une pièce justificative.")
    try:
        record = access_person(request.user, person_id, purpose, {DataCategory.IDENTITY, DataCategory.DOCUMENTS})
    except Person.DoesNotExist as exc:
        raise Http404("Aucun dossier ne porte ce numéro.") from exc
    if not record.has(DataCategory.DOCUMENTS):
        raise PermissionDenied("La personne n'a pas partagé ses pièces justificatives avec vous pour cette finalité.")
    form = None
    if request.user.role == Role.AGENT:
        form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = store_document(
                Person.objects.get(pk=person_id),
                data["file"],
                kind=data["kind"],
                title=data["title"],
                issued_on=data["issued_on"],
                valid_until=data["valid_until"],
                by=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Pièce « {document.title} » déposée.")
            return redirect(f"{reverse('web:document_list', args=[person_id])}?finalite={purpose}")
    return render(
        request,
        "web/document_list.html",
        {
            "record": record,
            "purpose": purpose,
            "documents": Document.objects.filter(person_id=person_id),
            "form": form,
            "page_title": f"Pièces justificatives de {record.display_name}",
        },
    )


def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    purpose = _purpose(request)
    try:
        document, handle = open_document(request.user, document_id, purpose)
    except (Document.DoesNotExist, Person.DoesNotExist) as exc:
        raise Http404("Aucune pièce ne porte ce numéro.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{slugify(document.title) or 'piece'}.{document.extension}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
