"""The procedures catalogue: public search and pages, coordinators' edits."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from carte_blanche.catalogue.actions import EDITORS, update_procedure
from carte_blanche.catalogue.benefits import BENEFITS
from carte_blanche.catalogue.models import Procedure, Theme
from carte_blanche.catalogue.searching import search_procedures
from carte_blanche.territory.models import Operator


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label="Une démarche, un organisme, un mot", max_length=100, required=False)


class LinesField(forms.CharField):
    """A list edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ProcedureForm(forms.ModelForm):
    documents = LinesField(label="Pièces à fournir (une par ligne)", required=False)
    keywords = LinesField(
        label="Mots-clés (un par ligne)",
        required=False,
        help_text="Les mots que les gens emploient : « allocs », « carte grise »…",
    )
    online_url = forms.URLField(label="Service en ligne", max_length=400, required=False, assume_scheme="https")
    benefits = forms.MultipleChoiceField(
        label="Droits demandés", choices=list(BENEFITS.items()), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Procedure
        fields = [
            "title", "theme", "operator", "audience", "documents", "online_url", "cerfa", "typical_delay",
            "on_the_spot", "benefits", "keywords", "lot_notes", "is_active",
        ]  # fmt: skip
        widgets = {"audience": forms.Textarea(attrs={"rows": 3}), "on_the_spot": forms.Textarea(attrs={"rows": 3}),
                   "lot_notes": forms.Textarea(attrs={"rows": 2})}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.order_by("title")
        self.fields["operator"].queryset = Operator.objects.order_by("short_name")


@login_not_required
def procedure_search(request: HttpRequest) -> HttpResponse:
    form = CatalogueSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    hits = search_procedures(query) if query else None
    context = {
        "form": form,
        "query": query,
        "hits": hits,
        "themes": None if query else Theme.objects.all(),
        "page_title": "Catalogue des démarches",
    }
    if request.htmx:
        return render(request, "web/_procedure_results.html", context)
    return render(request, "web/procedure_search.html", context)


@login_not_required
def procedure_detail(request: HttpRequest, slug: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure.objects.select_related("operator", "theme"), slug=slug)
    return render(
        request,
        "web/procedure_detail.html",
        {
            "procedure": procedure,
            "benefit_labels": [BENEFITS[b] for b in procedure.benefits if b in BENEFITS],
            "can_edit": request.user.is_authenticated and request.user.role in EDITORS,
            "revisions": procedure.revisions.select_related("changed_by")[:10],
            "page_title": procedure.title,
        },
    )


@login_not_required
def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    return render(
        request,
        "web/theme_detail.html",
        {
            "theme": theme,
            "procedures": theme.procedures.active().select_related("operator"),
            "page_title": theme.title,
        },
    )


def procedure_edit(request: HttpRequest, slug: str) -> HttpResponse:
    if request.user.role not in EDITORS:
        raise PermissionDenied("Seule la coordination du territoire modifie le catalogue.")
    procedure = get_object_or_404(Procedure, slug=slug)
    form = ProcedureForm(request.POST or None, instance=Procedure.objects.get(pk=procedure.pk))
    if request.method == "POST" and form.is_valid():
        try:
            updated = update_procedure(procedure, by=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Démarche enregistrée (version {updated.version}).")
            return redirect("web:procedure_detail", slug=slug)
    return render(
        request,
        "web/procedure_form.html",
        {"form": form, "procedure": procedure, "page_title": f"Modifier — {procedure.title}"},
    )
