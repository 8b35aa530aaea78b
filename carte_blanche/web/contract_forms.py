"""The contract draft form: one Django form over the pure ``Draft``; the legal rules stay in the rules module."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from carte_blanche.contracts.rules import (
    CDD_REASON_LABELS,
    WEEKDAYS,
    Category,
    Draft,
    Kind,
    Problem,
    ReducedHoursBasis,
    TrialUnit,
)
from carte_blanche.web.forms import DATE_WIDGET

HOURS_WIDGET = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.25", "min": "0"})
HOURS = {"min_value": 0, "max_digits": 6, "decimal_places": 2, "required": False, "widget": HOURS_WIDGET}
TIME_CHOICES = [("complet", "Temps complet (35 h par semaine)"), ("partiel", "Temps partiel")]
# The fields each kind of contract shows; the others are kept out of the page and of the draft.
PART_TIME_FIELDS = (
    "monthly_hours", "weekly_hours", *(f"heures_{d}" for d in WEEKDAYS), "distribution_changes",
    "schedule_notice", "complementary_percent", "complementary_branch", "reduced_hours_basis",
)  # fmt: skip
CDD_FIELDS = (
    "cdd_reason", "cdd_reason_detail", "replaced_name", "replaced_job", "replaced_on_strike", "dangerous_work",
    "economic_dismissal_6_months", "end_date", "minimum_weeks", "renewals", "branch_max_months",
    "branch_max_renewals", "pension_fund",
)  # fmt: skip
DEFAULT_CHANGES = (
    "surcroît d'activité, absence d'un autre salarié, changement des horaires d'un client ou d'un bénéficiaire."
)
DEFAULT_NOTICE = "un planning écrit remis ou envoyé au salarié chaque mois, au moins sept jours à l'avance."


def _float(value) -> float | None:
    return float(value) if value is not None else None


class ContractForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type de contrat", choices=[(k.value, k.label) for k in Kind], widget=forms.RadioSelect
    )
    time = forms.ChoiceField(label="Durée du travail", choices=TIME_CHOICES, widget=forms.RadioSelect)

    employer_name = forms.CharField(label="Raison sociale", max_length=200)
    employer_address = forms.CharField(label="Adresse de l'entreprise", max_length=300, required=False)
    collective_agreement = forms.CharField(
        label="Convention collective applicable",
        max_length=200,
        required=False,
        help_text="Son intitulé, par exemple « Branche de l'aide, de l'accompagnement, des soins et des services "
        "à domicile ».",
    )
    welfare_body = forms.CharField(label="Organisme de prévoyance (le cas échéant)", max_length=200, required=False)

    employee_first_names = forms.CharField(label="Prénom(s) du salarié", max_length=150, required=False)
    employee_last_name = forms.CharField(label="Nom du salarié", max_length=150, required=False)
    employee_birth_date = forms.DateField(label="Date de naissance", widget=DATE_WIDGET, required=False)
    employee_address = forms.CharField(label="Adresse du salarié", max_length=300, required=False)

    job_title = forms.CharField(label="Intitulé du poste", max_length=200, required=False)
    qualification = forms.CharField(
        label="Qualification et classification",
        max_length=200,
        required=False,
        help_text="Selon la grille de la convention collective : niveau, échelon, coefficient.",
    )
    category = forms.ChoiceField(label="Catégorie", choices=[(c.value, c.label) for c in Category])
    workplace = forms.CharField(label="Lieu de travail", max_length=300, required=False)
    start_date = forms.DateField(label="Date d'embauche", widget=DATE_WIDGET, required=False)
    trial_value = forms.IntegerField(
        label="Période d'essai", min_value=0, max_value=365, initial=0, help_text="0 : pas de période d'essai."
    )
    trial_unit = forms.ChoiceField(label="Unité", choices=[(u.value, u.value) for u in TrialUnit])
    gross_monthly_salary = forms.DecimalField(
        label="Salaire brut mensuel (€)",
        min_value=0,
        max_digits=9,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )

    monthly_hours = forms.DecimalField(
        label="Heures par mois", help_text="Par exemple 104 (24 h par semaine). Ou les heures par semaine.", **HOURS
    )
    weekly_hours = forms.DecimalField(label="Heures par semaine", **HOURS)
    distribution_changes = forms.CharField(
        label="Cas de modification de la répartition",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        initial=DEFAULT_CHANGES,
    )
    schedule_notice = forms.CharField(
        label="Communication des horaires de chaque journée",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        initial=DEFAULT_NOTICE,
    )
    complementary_percent = forms.IntegerField(
        label="Limite des heures complémentaires (% de la durée du contrat)", min_value=0, max_value=100, initial=10
    )
    complementary_branch = forms.BooleanField(
        label="Un accord collectif permet d'aller au-delà du dixième (jusqu'au tiers)", required=False
    )
    reduced_hours_basis = forms.ChoiceField(
        label="Moins de 24 heures par semaine : dérogation",
        choices=[(b.value, b.label) for b in ReducedHoursBasis],
        required=False,
    )

    cdd_reason = forms.ChoiceField(
        label="Motif du CDD",
        choices=[("", "Choisir le motif"), *((r.value, label) for r, label in CDD_REASON_LABELS.items())],
        required=False,
    )
    cdd_reason_detail = forms.CharField(
        label="Définition précise du motif",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text="Par exemple : remplacement pendant son congé de maternité ; surcroît lié à tel marché.",
    )
    replaced_name = forms.CharField(label="Nom de la personne remplacée", max_length=200, required=False)
    replaced_job = forms.CharField(label="Qualification de la personne remplacée", max_length=200, required=False)
    replaced_on_strike = forms.BooleanField(label="La personne remplacée est en grève", required=False)
    dangerous_work = forms.BooleanField(
        label="Le poste comporte des travaux de la liste des travaux particulièrement dangereux", required=False
    )
    economic_dismissal_6_months = forms.BooleanField(
        label="Un licenciement économique a touché ce poste dans les six derniers mois", required=False
    )
    end_date = forms.DateField(label="Date de fin (terme précis)", widget=DATE_WIDGET, required=False)
    minimum_weeks = forms.IntegerField(
        label="Sans terme précis : durée minimale (semaines)", min_value=1, max_value=520, required=False
    )
    renewals = forms.IntegerField(label="Renouvellements prévus", min_value=0, max_value=10, initial=0)
    branch_max_months = forms.IntegerField(
        label="Durée maximale fixée par la convention de branche (mois)",
        help_text="Seulement si la branche fixe une autre durée que la loi.",
        min_value=1,
        max_value=60,
        required=False,
    )
    branch_max_renewals = forms.IntegerField(
        label="Nombre de renouvellements permis par la convention de branche",
        min_value=0,
        max_value=10,
        required=False,
    )
    pension_fund = forms.CharField(label="Caisse de retraite complémentaire", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[f"heures_{day}"] = forms.DecimalField(label=day.capitalize(), **HOURS)
        kind, part_time = self.chosen()
        hidden = set()
        if not part_time:
            hidden.update(PART_TIME_FIELDS)
        if kind is not Kind.CDD:
            hidden.update(CDD_FIELDS)
        for name in hidden:
            del self.fields[name]

    def chosen(self) -> tuple[Kind, bool]:
        """The kind and time of work the page is drawn for (the submitted or the initial ones)."""
        source = self.data if self.is_bound else self.initial
        try:
            kind = Kind(source.get("kind") or Kind.CDI)
        except ValueError:
            kind = Kind.CDI
        return kind, source.get("time") == "partiel"

    @property
    def day_fields(self):
        return [self[f"heures_{d}"] for d in WEEKDAYS if f"heures_{d}" in self.fields]

    def to_draft(self) -> Draft:
        d = self.cleaned_data
        kind, part_time = Kind(d["kind"]), d["time"] == "partiel"
        values = {name: d[name] for name in self.fields if name in Draft.__dataclass_fields__}
        for name, value in list(values.items()):
            if isinstance(value, Decimal):
                values[name] = float(value)
            elif value is None and Draft.__dataclass_fields__[name].type in ("str", "int"):
                values.pop(name)
        values.update(kind=kind, part_time=part_time, category=Category(d["category"]))
        values["trial_unit"] = TrialUnit(d["trial_unit"])
        if part_time:
            values["reduced_hours_basis"] = ReducedHoursBasis(d.get("reduced_hours_basis") or "")
            values["distribution"] = {day: float(d[f"heures_{day}"]) for day in WEEKDAYS if d.get(f"heures_{day}")}
        for name in ("cdd_reason_detail", "replaced_name", "replaced_job", "distribution_changes", "schedule_notice"):
            if name in values and values[name] is None:
                values[name] = ""
        return Draft(**values)

    def attach(self, problems: list[Problem]) -> list[Problem]:
        """Put each blocking problem on its field; return those that have no field on this page."""
        left = []
        for problem in problems:
            name = problem.field
            if name == "distribution":
                name = "heures_lundi"
            if name in self.fields and problem.blocking:
                self.add_error(name, problem.message)
            elif problem.blocking:
                left.append(problem)
        return left


def initial_from_draft(draft: Draft) -> dict:
    data = draft.to_dict()
    initial = {k: v for k, v in data.items() if k not in ("distribution", "part_time")}
    initial["time"] = "partiel" if draft.part_time else "complet"
    for day, hours in draft.distribution.items():
        initial[f"heures_{day}"] = hours
    if not initial.get("distribution_changes"):
        initial["distribution_changes"] = DEFAULT_CHANGES
    if not initial.get("schedule_notice"):
        initial["schedule_notice"] = DEFAULT_NOTICE
    return initial


def data_from_initial(initial: dict) -> dict:
    """The initial values as submitted data: to show a saved draft's problems on its fields."""
    data = {}
    for key, value in initial.items():
        if value is None or value is False:
            continue
        data[key] = "on" if value is True else str(value)
    return data
