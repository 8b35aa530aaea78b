"""Forms of the job offers: the employer's offer, and the agents' search near a commune."""

from __future__ import annotations

from django import forms

from carte_blanche.jobs.models import ContractKind, JobOffer
from carte_blanche.jobs.nearby import DEFAULT_RADIUS_KM, RADIUS_CHOICES_KM
from carte_blanche.jobs.schedule import WEEKDAY_LABELS
from carte_blanche.territory.models import Commune
from carte_blanche.web.forms import DATE_WIDGET

TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
EUROS_WIDGET = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"})


class JobOfferForm(forms.ModelForm):
    work_days = forms.MultipleChoiceField(
        label="Jours travaillés",
        choices=[(d.value, label.capitalize()) for d, label in WEEKDAY_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = JobOffer
        fields = [
            "title", "description", "contract_kind", "duration_months", "part_time", "weekly_hours",
            "work_days", "start_time", "end_time", "schedule_note", "commune", "salary_min", "salary_max",
            "licence_required", "vehicle_required", "start_date", "closes_on", "positions",
        ]  # fmt: skip
        widgets = {
            "contract_kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "weekly_hours": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5", "min": "1"}),
            "start_time": TIME_WIDGET,
            "end_time": TIME_WIDGET,
            "salary_min": EUROS_WIDGET,
            "salary_max": EUROS_WIDGET,
            "start_date": DATE_WIDGET,
            "closes_on": DATE_WIDGET,
        }
        help_texts = {
            "description": "Les missions, les qualités attendues, les conditions de travail. Pas de critère "
            "discriminatoire (âge, sexe, origine…).",
            "start_date": "Laissez vide pour « dès que possible ».",
            "closes_on": "Laissez vide si les candidatures restent ouvertes jusqu'au recrutement.",
            "licence_required": "Seulement si le poste l'exige vraiment : c'est souvent ce qui écarte les "
            "personnes éloignées de l'emploi.",
            "start_time": "Le début de la journée de travail, au format 08:30.",
            "end_time": "La fin de la journée de travail.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.order_by("name")
        self.fields["contract_kind"].choices = list(ContractKind.choices)
        self.fields["salary_min"].help_text = "Facultatif. Le salaire, ou le bas de la fourchette."


PART_TIME_CHOICES = [("", "Indifférent"), ("plein", "Temps plein"), ("partiel", "Temps partiel")]


class JobSearchForm(forms.Form):
    """GET form: only ``commune`` is missing on a person's page, where the file gives it."""

    commune = forms.ModelChoiceField(
        label="Commune de la personne",
        queryset=Commune.objects.order_by("name"),
        to_field_name="insee_code",
        empty_label="Choisissez une commune",
    )
    rayon = forms.TypedChoiceField(
        label="Rayon",
        choices=[(str(km), f"{km} km") for km in RADIUS_CHOICES_KM],
        coerce=int,
        initial=str(DEFAULT_RADIUS_KM),
        required=False,
        empty_value=DEFAULT_RADIUS_KM,
    )
    contrat = forms.ChoiceField(label="Type de contrat", choices=[("", "Tous"), *ContractKind.choices], required=False)
    temps = forms.ChoiceField(label="Durée du travail", choices=PART_TIME_CHOICES, required=False)
    sans_permis = forms.BooleanField(label="Sans permis de conduire ni véhicule exigé", required=False)

    def __init__(self, *args, with_commune: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_commune:
            del self.fields["commune"]

    def criteria(self) -> dict:
        data = self.cleaned_data
        part_time = {"plein": False, "partiel": True}.get(data.get("temps") or "")
        return {
            "radius_km": data.get("rayon") or DEFAULT_RADIUS_KM,
            "contract_kind": data.get("contrat") or None,
            "part_time": part_time,
            "without_licence": bool(data.get("sans_permis")),
        }
