from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from carte_blanche.consent.categories import DataCategory, Purpose, category_choices, purpose_choices
from carte_blanche.consent.models import ConsentMethod
from carte_blanche.people.models import HouseholdMember, Person
from carte_blanche.people.validators import normalise_phone
from carte_blanche.territory.models import Commune, Operator

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "title", "first_names", "last_name", "birth_name", "birth_date", "nir",
            "address", "commune", "phone", "email", "preferred_channel", "digital_autonomy",
            "housing_status", "monthly_rent", "monthly_resources", "resources_description",
            "health_insurance", "has_complementary_health", "disability_recognised", "autonomy_gir",
        ]  # fmt: skip
        widgets = {"birth_date": DATE_WIDGET}
        help_texts = {
            "nir": "Facultatif. 15 caractères, clé comprise.",
            "phone": "Par exemple 06 12 34 56 78 ; il sera enregistré au format international.",
        }

    def __init__(self, *args, only: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if only is not None:
            # Editing shows only the categories the user may read: nothing else reaches the page.
            for name in list(self.fields):
                if name not in only:
                    del self.fields[name]
        if "commune" in self.fields:
            self.fields["commune"].queryset = Commune.objects.order_by("name")
        if "has_complementary_health" in self.fields:
            widget = forms.NullBooleanSelect()
            widget.choices = [("unknown", "Non renseigné"), ("true", "Oui"), ("false", "Non")]
            self.fields["has_complementary_health"].widget = widget

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_nir(self):
        return self.cleaned_data.get("nir", "").replace(" ", "").upper()

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value is None:
            return value
        if value > timezone.localdate():
            raise ValidationError("La date de naissance ne peut pas être dans le futur.")
        if value.year < 1900:
            raise ValidationError("Vérifiez l'année de naissance.")
        return value


class HouseholdMemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["first_name", "last_name", "birth_date", "relationship", "is_dependent"]
        widgets = {"birth_date": DATE_WIDGET}


HouseholdFormSet = forms.inlineformset_factory(
    Person, HouseholdMember, form=HouseholdMemberForm, extra=2, can_delete=False, max_num=12
)


def _default_until() -> dt.date:
    today = timezone.localdate()
    return (
        today.replace(year=today.year + 1)
        if not (today.month == 2 and today.day == 29)
        else today + dt.timedelta(days=365)
    )


class ConsentForm(forms.Form):
    operator = forms.ModelChoiceField(label="Organisme autorisé", queryset=Operator.objects.order_by("short_name"))
    categories = forms.MultipleChoiceField(
        label="Données partagées", choices=category_choices(), widget=forms.CheckboxSelectMultiple
    )
    purposes = forms.MultipleChoiceField(
        label="Pour quoi faire", choices=purpose_choices(consentable_only=True), widget=forms.CheckboxSelectMultiple
    )
    valid_until = forms.DateField(label="Valable jusqu'au", widget=DATE_WIDGET, initial=_default_until)
    method = forms.ChoiceField(label="Recueilli", widget=forms.RadioSelect)
    witnessed = forms.BooleanField(
        label="J'ai expliqué à la personne ce qui sera partagé, avec qui et pourquoi.",
        help_text="En personne : elle a signé le formulaire papier. Par SMS : elle vous lira le code reçu.",
        required=True,
    )

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        if role == "resident":
            self.fields["method"].choices = [(ConsentMethod.ONLINE.value, ConsentMethod.ONLINE.label)]
            self.fields["method"].initial = ConsentMethod.ONLINE.value
            self.fields["witnessed"].label = "Je comprends ce qui sera partagé, avec qui et pourquoi."
        else:
            self.fields["method"].choices = [
                (ConsentMethod.IN_PERSON.value, ConsentMethod.IN_PERSON.label),
                (ConsentMethod.SMS_CODE.value, "Par un code envoyé par SMS à la personne"),
            ]
            self.fields["method"].initial = ConsentMethod.IN_PERSON.value

    def clean_categories(self):
        return [DataCategory(c) for c in self.cleaned_data["categories"]]

    def clean_purposes(self):
        return [Purpose(p) for p in self.cleaned_data["purposes"]]


class ConsentCodeForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres reçu par la personne",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{6}"}),
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Nom, prénom ou téléphone", min_length=2, max_length=100, required=False)
