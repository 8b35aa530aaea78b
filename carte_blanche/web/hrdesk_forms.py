"""Forms of the HR centre's question pages."""

from __future__ import annotations

import datetime as dt

from django import forms

from carte_blanche.employers.models import Employer, HrTheme
from carte_blanche.hrdesk.actions import MAX_ATTACHMENTS
from carte_blanche.territory.models import Commune

ATTACHMENTS_HELP = (
    f"Facultatif. PDF, PNG ou JPEG, {MAX_ATTACHMENTS} fichiers au plus. "
    "N'y mettez pas de données de santé de vos salariés."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class EmployerForm(forms.Form):
    siret = forms.CharField(
        label="SIRET", max_length=20, help_text="14 chiffres, sur l'avis de situation INSEE ou un bulletin de paie."
    )
    name = forms.CharField(label="Raison sociale", max_length=200)
    naf_code = forms.CharField(label="Code NAF (APE)", max_length=6, help_text="Par exemple 88.10A.")
    headcount = forms.IntegerField(
        label="Effectif salarié", min_value=0, help_text="Le centre accompagne les entreprises de moins de 11 salariés."
    )
    idcc = forms.CharField(
        label="Convention collective (IDCC)",
        max_length=4,
        required=False,
        help_text="Facultatif. 4 chiffres, indiqués sur les bulletins de paie.",
    )
    commune = forms.ModelChoiceField(label="Commune", queryset=Commune.objects.order_by("name"))
    address = forms.CharField(label="Adresse", max_length=300, required=False)


class QuestionForm(forms.Form):
    employer = forms.ModelChoiceField(label="Entreprise", queryset=Employer.objects.none())
    theme = forms.ChoiceField(label="Thème", choices=[("", "Choisir un thème")] + list(HrTheme.choices))
    subject = forms.CharField(
        label="Objet", max_length=200, help_text="En une ligne, par exemple : Renouveler le CDD d'une aide à domicile."
    )
    body = forms.CharField(
        label="Votre question",
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="La situation (poste, type de contrat, dates, temps de travail) et ce que vous voulez faire.",
    )
    attachments = MultipleFileField(label="Pièces jointes", help_text=ATTACHMENTS_HELP)

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.only_employer = employers.first() if len(employers) == 1 else None
        if self.only_employer is not None:
            del self.fields["employer"]  # one company: nothing to choose


class InboxFilter(forms.Form):
    SCOPES = [("", "Mes questions et la file du centre"), ("toutes", "Toutes les questions ouvertes")]
    scope = forms.ChoiceField(label="Afficher", choices=SCOPES, required=False)
    theme = forms.ChoiceField(label="Thème", choices=[("", "Tous")] + list(HrTheme.choices), required=False)
    late = forms.BooleanField(label="En retard seulement", required=False)


class AnswerForm(forms.Form):
    theme = forms.ChoiceField(label="Thème", choices=[("", "Choisir un thème")] + list(HrTheme.choices))
    title = forms.CharField(label="Titre", max_length=200)
    body = forms.CharField(label="Réponse", widget=forms.Textarea(attrs={"rows": 12}))
    sources = forms.CharField(
        label="Sources et liens",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=(
            "Une source par ligne : article du Code du travail, page de service-public.fr, convention collective."
        ),
    )


class LibrarySearchForm(forms.Form):
    q = forms.CharField(
        label="Rechercher une réponse type",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    theme = forms.ChoiceField(label="Thème", choices=[("", "Tous")] + list(HrTheme.choices), required=False)


DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PeriodForm(forms.Form):
    du = forms.DateField(label="Du", widget=DATE_WIDGET, required=False)
    au = forms.DateField(label="Au (inclus)", widget=DATE_WIDGET, required=False)

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        start = end = None
        if self.is_valid():
            start, end = self.cleaned_data["du"], self.cleaned_data["au"]
        end = end or today
        start = start or end - dt.timedelta(days=89)
        if start > end:
            start, end = end, start
        return start, end
