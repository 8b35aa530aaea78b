"""The situation form of a rights check: the household, each member, their incomes, the housing.

The forms read and write the engine's dict form (``engine.serialize.household_to_dict``)
for their initial values, and :func:`build_household` turns valid forms into an
``engine.Household``; :func:`attach_engine_errors` puts the engine's ``SituationError``
field paths back on the form fields.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms

from carte_blanche.rights.engine import (
    BENEFITS,
    Activity,
    Childcare,
    ContractType,
    FieldError,
    Household,
    Housing,
    HousingStatus,
    Income,
    IncomeKind,
    Member,
    Role,
    School,
    WorkTime,
)
from carte_blanche.territory.models import Commune
from carte_blanche.web.forms import DATE_WIDGET

MEMBERS_PREFIX = "membres"
INCOME_KINDS = (
    IncomeKind.SALARY,
    IncomeKind.UNEMPLOYMENT,
    IncomeKind.PENSION,
    IncomeKind.DISABILITY_PENSION,
    IncomeKind.ALIMONY,
)
MONTH_NAMES = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
SCHOOL_LABELS = {
    School.NONE: "Non scolarisé ou sans objet",
    School.NURSERY: "École maternelle",
    School.PRIMARY: "École élémentaire",
    School.MIDDLE: "Collège",
    School.HIGH: "Lycée",
    School.HIGHER: "Enseignement supérieur",
}
WORK_TIME_LABELS = {WorkTime.FULL_TIME: "Temps plein", WorkTime.PART_TIME: "Temps partiel"}
CONTRACT_LABELS = {ContractType.CDI: "CDI", ContractType.CDD: "CDD", ContractType.TEMPORARY: "Intérim"}
CHILDCARE_LABELS = {
    Childcare.NONE: "Aucun mode de garde payant",
    Childcare.CHILDMINDER: "Assistante maternelle agréée",
    Childcare.HOME_CARER: "Garde à domicile",
}
MAINTENANCE_CHOICES = [("", "Sans objet ou non demandé"), ("oui", "Oui"), ("non", "Non")]
AMOUNT = {"min_value": 0, "max_digits": 10, "decimal_places": 2, "required": False}
AMOUNT_WIDGET = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"})


def previous_months(month: str) -> list[str]:
    """The three months before ``month``, oldest first, as "août 2026"."""
    year, mon = (int(x) for x in month.split("-"))
    labels = []
    for back in (3, 2, 1):
        m = mon - back
        y = year + (m - 1) // 12
        m = (m - 1) % 12 + 1
        labels.append(f"{MONTH_NAMES[m - 1]} {y}")
    return labels


def _choices(enum, labels=None, *, blank: str | None = None) -> list[tuple[str, str]]:
    items = [(e.value, labels[e] if labels else e.label) for e in enum]
    return [("", blank), *items] if blank is not None else items


def _float(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


class MemberForm(forms.Form):
    """One person of the household; the applicant is the person whose file is open."""

    member_id = forms.CharField(widget=forms.HiddenInput, required=False)
    # A row added to the form is most often a child; a blank added row is left out.
    role = forms.ChoiceField(label="Place dans le foyer", choices=_choices(Role), initial=Role.CHILD.value)
    first_name = forms.CharField(
        label="Prénom", max_length=150, required=False, help_text="Pour s'y retrouver ; n'entre pas dans le calcul."
    )
    birth_date = forms.DateField(label="Date de naissance", widget=DATE_WIDGET)
    activity = forms.ChoiceField(label="Activité", choices=_choices(Activity), initial=Activity.INACTIVE.value)
    work_time = forms.ChoiceField(
        label="Temps de travail",
        choices=_choices(WorkTime, WORK_TIME_LABELS, blank="Sans objet"),
        required=False,
        initial="",
    )
    monthly_hours = forms.DecimalField(
        label="Heures payées par mois",
        help_text="À temps partiel seulement (24 h par semaine ≈ 104 h par mois).",
        min_value=0,
        max_value=250,
        max_digits=6,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    contract = forms.ChoiceField(
        label="Contrat", choices=_choices(ContractType, CONTRACT_LABELS, blank="Sans objet"), required=False
    )
    unemployment_start = forms.DateField(label="Inscrit à France Travail depuis le", widget=DATE_WIDGET, required=False)
    ass_work_history = forms.BooleanField(
        label="A travaillé au moins 5 ans au cours des 10 dernières années",
        help_text="Demandeur d'emploi en fin de droits : condition de l'allocation de solidarité spécifique.",
        required=False,
    )
    disability_rate = forms.IntegerField(
        label="Taux d'incapacité reconnu par la MDPH (%)",
        help_text="0 si aucun ou inconnu.",
        min_value=0,
        max_value=100,
        required=False,
    )
    employment_restriction = forms.BooleanField(
        label="Restriction substantielle et durable d'accès à l'emploi reconnue (RSDAE)", required=False
    )
    gir = forms.ChoiceField(
        label="GIR (perte d'autonomie)",
        choices=[("", "Non évalué")] + [(str(i), f"GIR {i}") for i in range(1, 7)],
        required=False,
    )
    home_help_plan = forms.DecimalField(label="Plan d'aide APA à domicile (€ par mois)", widget=AMOUNT_WIDGET, **AMOUNT)
    school = forms.ChoiceField(
        label="Scolarité (enfant)", choices=_choices(School, SCHOOL_LABELS), initial=School.NONE.value, required=False
    )
    pregnant = forms.BooleanField(label="Enceinte", required=False)

    def __init__(self, *args, month: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.month = month
        m1, m2, m3 = previous_months(month)
        for kind in INCOME_KINDS:
            for key, label in (("m1", m1), ("m2", m2), ("m3", m3)):
                self.fields[f"{kind.value}_{key}"] = forms.DecimalField(
                    label=f"{kind.label} — {label} (€)", widget=AMOUNT_WIDGET, **AMOUNT
                )
            self.fields[f"{kind.value}_total12"] = forms.DecimalField(
                label=f"{kind.label} — total des 12 derniers mois (€)",
                help_text="Laissé vide : 4 fois le total des 3 derniers mois.",
                widget=AMOUNT_WIDGET,
                **AMOUNT,
            )
        self.month_labels = (m1, m2, m3)

    def income_groups(self):
        """(kind label, the three monthly fields, the 12-month field, has a value) per income kind, for the page."""
        groups = []
        for kind in INCOME_KINDS:
            months = [self[f"{kind.value}_{key}"] for key in ("m1", "m2", "m3")]
            total = self[f"{kind.value}_total12"]
            filled = any(f.value() not in (None, "") for f in [*months, total]) or any(
                f.errors for f in [*months, total]
            )
            groups.append({"label": kind.label, "kind": kind.value, "months": months, "total": total, "open": filled})
        return groups

    def clean(self):
        data = super().clean()
        incomes = []
        for kind in INCOME_KINDS:
            months = [data.get(f"{kind.value}_{key}") for key in ("m1", "m2", "m3")]
            total = data.get(f"{kind.value}_total12")
            given = [m for m in months if m is not None]
            if not given and total is None:
                continue
            if not given:
                # Only the yearly total is known: spread it evenly.
                months = [total / 12] * 3
            elif len(given) == 1:
                # One amount typed: the same each month, the usual case.
                months = [given[0]] * 3
            else:
                months = [m if m is not None else Decimal(0) for m in months]
            values = tuple(round(float(m), 2) for m in months)
            last_12 = float(total) if total is not None else round(sum(values) * 4, 2)
            incomes.append(Income(kind=kind, last_3_months=values, last_12_months=last_12))
        data["incomes"] = tuple(incomes)
        return data

    def to_member(self) -> Member:
        d = self.cleaned_data
        return Member(
            id=d["member_id"] or f"nouveau-{self.prefix}",
            role=Role(d["role"]),
            birth_date=d["birth_date"],
            activity=Activity(d["activity"]),
            work_time=WorkTime(d["work_time"]) if d["work_time"] else None,
            monthly_hours=float(d["monthly_hours"]) if d["monthly_hours"] is not None else None,
            contract=ContractType(d["contract"]) if d["contract"] else None,
            incomes=d["incomes"],
            disability_rate=d["disability_rate"] or 0,
            employment_restriction=d["employment_restriction"],
            gir=int(d["gir"]) if d["gir"] else None,
            home_help_plan=_float(d["home_help_plan"]),
            unemployment_start=d["unemployment_start"],
            ass_work_history=d["ass_work_history"],
            pregnant=d["pregnant"],
            school=School(d["school"] or School.NONE.value),
        )


class BaseMemberFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Retirer cette personne du foyer"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        roles = [f.cleaned_data.get("role") for f in self.kept_forms()]
        if roles.count(Role.APPLICANT.value) != 1:
            raise forms.ValidationError("Le foyer doit compter exactement un demandeur (la personne du dossier).")

    def kept_forms(self) -> list[MemberForm]:
        """The members to compute, in page order: neither ticked for removal nor a row added and left blank."""
        n = self.initial_form_count()
        return [f for i, f in enumerate(self.forms) if not self._should_delete_form(f) and (i < n or f.has_changed())]


def member_formset_class(extra: int = 0):
    return forms.formset_factory(
        MemberForm,
        formset=BaseMemberFormSet,
        extra=extra,
        min_num=1,
        validate_min=True,
        max_num=15,
        validate_max=True,
        can_delete=True,
    )


MemberFormSet = member_formset_class()


class HouseholdForm(forms.Form):
    housing_status = forms.ChoiceField(label="Logement", choices=_choices(HousingStatus))
    rent = forms.DecimalField(
        label="Loyer mensuel hors charges, ou mensualité d'emprunt (€)",
        help_text="Pour un locataire ou un accédant ; laissez vide sinon.",
        widget=AMOUNT_WIDGET,
        **AMOUNT,
    )
    charges = forms.DecimalField(label="Charges mensuelles (€)", widget=AMOUNT_WIDGET, **AMOUNT)
    shared = forms.BooleanField(label="Colocation", required=False)
    commune = forms.ModelChoiceField(
        label="Commune du logement", queryset=Commune.objects.none(), to_field_name="insee_code"
    )
    childcare = forms.ChoiceField(
        label="Garde d'un enfant de moins de 6 ans",
        choices=_choices(Childcare, CHILDCARE_LABELS),
        initial=Childcare.NONE.value,
    )
    other_parent_pays_maintenance = forms.ChoiceField(
        label="Parent seul : l'autre parent verse-t-il une pension alimentaire ?",
        choices=MAINTENANCE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    savings = forms.DecimalField(label="Épargne (livret A et placements similaires, €)", widget=AMOUNT_WIDGET, **AMOUNT)
    already_received = forms.MultipleChoiceField(
        label="Prestations que le foyer perçoit déjà",
        choices=[(b.code, b.label) for b in BENEFITS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    save_to_file = forms.BooleanField(
        label="Enregistrer ces informations dans le dossier",
        help_text=(
            "Logement, loyer, commune, ressources du foyer et personnes qui y vivent (et le GIR ou le handicap "
            "si la personne a partagé ses données de santé) : elle n'aura pas à les redire."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.order_by("name")


def household_initial(situation: dict) -> dict:
    housing = situation.get("housing") or {}
    maintenance = situation.get("other_parent_pays_maintenance")
    return {
        "housing_status": housing.get("status") or None,
        "rent": housing.get("rent") or None,
        "charges": housing.get("charges") or None,
        "shared": bool(housing.get("shared")),
        "commune": housing.get("commune_insee") or None,
        "childcare": situation.get("childcare") or Childcare.NONE.value,
        "other_parent_pays_maintenance": "" if maintenance is None else ("oui" if maintenance else "non"),
        "savings": situation.get("savings") or None,
        "already_received": list(situation.get("already_received") or []),
    }


def member_initial(member: dict) -> dict:
    initial = {
        "member_id": member.get("id") or "",
        "role": member.get("role"),
        "first_name": member.get("first_name") or "",
        "birth_date": member.get("birth_date"),
        "activity": member.get("activity") or Activity.INACTIVE.value,
        "work_time": member.get("work_time") or "",
        "monthly_hours": member.get("monthly_hours"),
        "contract": member.get("contract") or "",
        "unemployment_start": member.get("unemployment_start"),
        "ass_work_history": bool(member.get("ass_work_history")),
        "disability_rate": member.get("disability_rate") or None,
        "employment_restriction": bool(member.get("employment_restriction")),
        "gir": str(member["gir"]) if member.get("gir") else "",
        "home_help_plan": member.get("home_help_plan") or None,
        "school": member.get("school") or School.NONE.value,
        "pregnant": bool(member.get("pregnant")),
    }
    for income in member.get("incomes") or []:
        kind = income.get("kind")
        months = income.get("last_3_months") or [None, None, None]
        for key, value in zip(("m1", "m2", "m3"), months, strict=False):
            initial[f"{kind}_{key}"] = value
        initial[f"{kind}_total12"] = income.get("last_12_months")
    return initial


def build_household(month: str, household_form: HouseholdForm, member_forms: list[MemberForm]) -> Household:
    d = household_form.cleaned_data
    maintenance = d.get("other_parent_pays_maintenance")
    status = HousingStatus(d["housing_status"])
    return Household(
        month=month,
        members=tuple(f.to_member() for f in member_forms),
        housing=Housing(
            status=status,
            commune_insee=d["commune"].insee_code,
            rent=_float(d["rent"]),
            charges=_float(d["charges"]),
            shared=d["shared"],
        ),
        childcare=Childcare(d["childcare"]),
        already_received=frozenset(d["already_received"]),
        other_parent_pays_maintenance=None if not maintenance else maintenance == "oui",
        savings=_float(d["savings"]),
    )


# Engine field paths (``FieldError.field``) → form field names.
MEMBER_FIELDS = {"birth_date", "monthly_hours", "disability_rate", "gir", "home_help_plan", "unemployment_start"}
HOUSEHOLD_FIELDS = {
    "housing.commune_insee": "commune",
    "housing.rent": "rent",
    "housing.charges": "charges",
    "housing.status": "housing_status",
    "childcare": "childcare",
    "savings": "savings",
    "already_received": "already_received",
    "other_parent_pays_maintenance": "other_parent_pays_maintenance",
}


def attach_engine_errors(errors: list[FieldError], household_form: HouseholdForm, member_forms: list[MemberForm]):
    """Put each engine error on the form field it is about (or the form's top when it is about the whole)."""
    for error in errors:
        parts = error.field.split(".")
        if parts[0] == "members" and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(member_forms):
            form = member_forms[int(parts[1])]
            rest = parts[2:]
            name = None
            if len(rest) == 1 and rest[0] in MEMBER_FIELDS:
                name = rest[0]
            elif len(rest) >= 2 and rest[0] == "incomes" and f"{rest[1]}_m1" in form.fields:
                name = f"{rest[1]}_total12" if rest[-1] == "last_12_months" else f"{rest[1]}_m1"
            form.add_error(name, error.message)
        else:
            household_form.add_error(HOUSEHOLD_FIELDS.get(error.field), error.message)


def redisplay(form: forms.Form) -> dict:
    """The values typed in a bound form, as initial values (to redraw the page without error messages)."""
    return {name: form[name].value() for name in form.fields}


def month_label(month: str) -> str:
    """ "2026-11" → "novembre 2026"."""
    year, mon = (int(x) for x in month.split("-"))
    return f"{MONTH_NAMES[mon - 1]} {year}"
