"""Forms of the volunteer driver's pages: self-registration, availability, dated slots."""

from __future__ import annotations

import phonenumbers
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from carte_blanche.mobility.models import DatedAvailability, Driver, HalfDay, Weekday
from carte_blanche.people.validators import normalise_phone
from carte_blanche.territory.models import Commune
from carte_blanche.web.forms import DATE_WIDGET

TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})

# The weekly grid: one checkbox per weekday × half-day, named "<weekday>-<half_day>" ("0-am").
WEEKLY_CHOICES = [(f"{day.value}-{half.value}", f"{day.label} {half.label}") for day in Weekday for half in HalfDay]


def weekly_value(weekday: int, half_day: str) -> str:
    return f"{weekday}-{half_day}"


def parse_weekly(value: str) -> tuple[int, str]:
    weekday, half_day = value.split("-")
    return int(weekday), half_day


def _mobile(raw: str) -> str:
    phone = normalise_phone(raw)
    number = phonenumbers.parse(phone)
    kind = phonenumbers.number_type(number)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationError(
            "Indiquez un numéro de téléphone mobile (06 ou 07) : les trajets vous sont proposés par SMS."
        )
    return phone


class DriverSignupForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Elle sert d'identifiant pour vous connecter.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Téléphone mobile",
        max_length=20,
        help_text="Les trajets vous sont proposés par SMS à ce numéro. Exemple : 06 12 34 56 78.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    home_commune = forms.ModelChoiceField(
        label="Commune de départ",
        queryset=Commune.objects.none(),
        help_text="La commune d'où vous partez, en général votre domicile.",
    )
    seats = forms.IntegerField(label="Places passagers", min_value=1, max_value=8, initial=3)
    wheelchair_accessible = forms.BooleanField(label="Mon véhicule est accessible en fauteuil roulant", required=False)
    max_distance_km = forms.IntegerField(
        label="Rayon accepté (km)",
        min_value=1,
        max_value=200,
        initial=30,
        help_text="La distance maximale entre votre commune et chaque lieu de prise en charge ou de dépose.",
    )
    max_rides_per_week = forms.IntegerField(label="Trajets par semaine au plus", min_value=1, max_value=30, initial=4)
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="12 caractères au moins.",
    )
    password2 = forms.CharField(
        label="Mot de passe, une seconde fois",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label="J'accepte que le service de mobilité solidaire utilise mes nom, téléphone, commune et "
        "disponibilités pour me proposer des trajets et établir mes relevés kilométriques.",
        help_text="Ces informations ne sont vues que par le coordinateur mobilité. Vous pouvez demander leur "
        "suppression à tout moment en quittant le service.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_commune"].queryset = Commune.objects.order_by("name").defer("geometry")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        User = get_user_model()
        if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "Un compte existe déjà avec cette adresse : connectez-vous, ou contactez le coordinateur mobilité."
            )
        return email

    def clean_phone(self) -> str:
        return _mobile(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif first:
            probe = get_user_model()(
                username=data.get("email", ""),
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                validate_password(first, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class DriverSettingsForm(forms.ModelForm):
    """The driver's vehicle and limits, and the weekly half-days grid."""

    weekly = forms.MultipleChoiceField(
        label="Mes demi-journées habituelles",
        choices=WEEKLY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Driver
        fields = ["seats", "wheelchair_accessible", "max_rides_per_week", "max_distance_km"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["weekly"] = [weekly_value(w.weekday, w.half_day) for w in self.instance.weekly.all()]


class DatedAvailabilityForm(forms.ModelForm):
    available = forms.TypedChoiceField(
        label="Type",
        choices=[("1", "Disponible en plus"), ("0", "Absent")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )

    class Meta:
        model = DatedAvailability
        fields = ["day", "starts", "ends", "available"]
        widgets = {"day": DATE_WIDGET, "starts": TIME_WIDGET, "ends": TIME_WIDGET}
        help_texts = {"starts": "Par exemple 08:00.", "ends": "Par exemple 12:00."}

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise ValidationError("Cette date est passée.")
        return day

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", "L'heure de fin doit suivre l'heure de début.")
        return data
