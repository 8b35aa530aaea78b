"""Forms of the hiring-cost simulator: one form per scenario (prefixes a and b) and the page's own."""

from __future__ import annotations

from django import forms

from carte_blanche.employers.models import Employer
from carte_blanche.hiring.engine import Basis, Contract, FieldError, Scenario, WorkTime

BASIS_CHOICES = [
    (Basis.GROSS.value, "Salaire brut mensuel"),
    (Basis.NET.value, "Salaire net mensuel avant impôt"),
    (Basis.COST.value, "Coût total employeur mensuel"),
]
WORK_TIME_CHOICES = [(WorkTime.FULL_TIME.value, "Temps plein (35 h)"), (WorkTime.PART_TIME.value, "Temps partiel")]
CONTRACT_CHOICES = [(Contract.CDI.value, "CDI"), (Contract.CDD.value, "CDD")]


class ScenarioForm(forms.Form):
    label = forms.CharField(label="Nom du scénario", max_length=80, required=False)
    month = forms.RegexField(
        label="Mois simulé",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text="Format AAAA-MM, par exemple 2026-11.",
        error_messages={"invalid": "Mois attendu au format AAAA-MM (par exemple 2026-11)."},
    )
    basis = forms.ChoiceField(label="Montant saisi", choices=BASIS_CHOICES, widget=forms.RadioSelect)
    amount = forms.DecimalField(
        label="Montant mensuel (€)", max_digits=9, decimal_places=2, help_text="Par exemple 1800 ou 1800,50."
    )
    work_time = forms.ChoiceField(label="Durée du travail", choices=WORK_TIME_CHOICES, widget=forms.RadioSelect)
    monthly_hours = forms.DecimalField(
        label="Heures payées par mois (temps partiel)",
        max_digits=6,
        decimal_places=2,
        required=False,
        help_text="24 h par semaine = 104 h par mois ; 35 h par semaine = 151,67 h.",
    )
    contract = forms.ChoiceField(label="Contrat", choices=CONTRACT_CHOICES, widget=forms.RadioSelect)
    executive = forms.BooleanField(label="Poste de cadre", required=False)
    headcount = forms.IntegerField(label="Effectif de l'entreprise", help_text="Nombre de salariés.")
    commune = forms.CharField(
        label="Code INSEE de la commune du lieu de travail",
        max_length=5,
        required=False,
        help_text="Par exemple 46042 pour Cahors.",
    )
    withholding_rate = forms.DecimalField(
        label="Taux de prélèvement à la source du salarié (%)",
        max_digits=4,
        decimal_places=1,
        required=False,
        help_text=(
            "Facultatif : le taux transmis par l'administration fiscale. "
            "Sans taux, le net après impôt n'est pas calculé."
        ),
    )

    def to_scenario(self) -> Scenario:
        d = self.cleaned_data
        return Scenario(
            month=d["month"],
            amount=float(d["amount"]),
            basis=Basis(d["basis"]),
            work_time=WorkTime(d["work_time"]),
            monthly_hours=float(d["monthly_hours"]) if d.get("monthly_hours") is not None else None,
            contract=Contract(d["contract"]),
            executive=bool(d.get("executive")),
            headcount=d["headcount"],
            commune=(d.get("commune") or "").strip().upper(),
            withholding_rate=float(d["withholding_rate"]) if d.get("withholding_rate") is not None else None,
            label=(d.get("label") or "").strip(),
        )


class PageForm(forms.Form):
    employer = forms.ModelChoiceField(label="Entreprise", queryset=Employer.objects.none(), required=False)
    compare = forms.BooleanField(label="Comparer avec un second scénario", required=False)
    title = forms.CharField(label="Intitulé de la simulation (pour le dossier)", max_length=200, required=False)

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers


def scenario_initial(month: str, employer: Employer | None, **changes) -> dict:
    initial = {
        "month": month,
        "basis": Basis.GROSS.value,
        "work_time": WorkTime.FULL_TIME.value,
        "contract": Contract.CDI.value,
        "headcount": employer.headcount if employer else 1,
        "commune": employer.commune.insee_code if employer else "",
    }
    initial.update(changes)
    return initial


def attach_engine_errors(errors: list[FieldError], forms_by_index: list[ScenarioForm]) -> None:
    """Put the engine's errors ("amount" or "1.amount") on the matching scenario form's field."""
    for error in errors:
        index, _, name = error.field.rpartition(".")
        form = forms_by_index[int(index)] if index else forms_by_index[0]
        form.add_error(name if name in form.fields else None, error.message)
