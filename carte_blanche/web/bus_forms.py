"""Forms of the bus France services: the coordinator's tour, a stop, a resident's subscription."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from carte_blanche.bus.models import Stop, SubscriptionChannel
from carte_blanche.people.validators import normalise_phone
from carte_blanche.territory.models import Commune, Epci
from carte_blanche.web.forms import DATE_WIDGET

ALL = "tout"


def _next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


class TourForm(forms.Form):
    scope = forms.ChoiceField(label="Communes desservies", choices=())
    starts_on = forms.DateField(label="Début du cycle", widget=DATE_WIDGET, initial=_next_monday)
    weeks = forms.IntegerField(label="Durée du cycle (semaines)", min_value=1, max_value=8, initial=4)
    half_days_per_week = forms.IntegerField(label="Demi-journées de bus par semaine", min_value=1, max_value=10,
                                            initial=8)  # fmt: skip
    pinned = forms.CharField(
        label="Communes imposées", required=False,
        help_text="Une par ligne : code INSEE puis le nombre de passages au moins (ex. : 46310 2).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    forbidden = forms.CharField(
        label="Dates exclues", required=False,
        help_text="Une par ligne : « AAAA-MM-JJ motif » pour tout le territoire (les jours fériés sont déjà exclus), "
        "ou « code INSEE AAAA-MM-JJ motif » pour une commune (jour de marché).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    time_limit = forms.IntegerField(label="Temps de calcul (secondes)", min_value=5, max_value=120, initial=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(ALL, "Tout le territoire")] + [
            (e.siren, e.name) for e in Epci.objects.order_by("name")
        ]

    def clean_starts_on(self):
        day = self.cleaned_data["starts_on"]
        if day <= timezone.localdate():
            raise forms.ValidationError("Le cycle doit commencer après aujourd'hui.")
        return day

    def clean_pinned(self):
        pinned = {}
        for number, line in enumerate(self.cleaned_data["pinned"].splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) > 2 or (len(parts) == 2 and not parts[1].isdigit()):
                raise forms.ValidationError(f"Ligne {number} : écrivez le code INSEE puis un nombre (ex. : 46310 2).")
            if not Commune.objects.filter(insee_code=parts[0]).exists():
                raise forms.ValidationError(f"Ligne {number} : aucune commune n'a le code INSEE {parts[0]}.")
            pinned[parts[0]] = int(parts[1]) if len(parts) == 2 else 1
        return pinned

    def communes(self):
        scope = self.cleaned_data["scope"]
        communes = Commune.objects.order_by("insee_code")
        return communes if scope == ALL else communes.filter(epci__siren=scope)


class StopForm(forms.ModelForm):
    class Meta:
        model = Stop
        fields = ["name", "address", "lat", "lon", "accessibility", "active"]


class SubscriptionForm(forms.Form):
    channel = forms.ChoiceField(label="Être prévenu par", choices=SubscriptionChannel.choices,
                                widget=forms.RadioSelect, initial=SubscriptionChannel.SMS)  # fmt: skip
    name = forms.CharField(label="Nom (facultatif)", max_length=150, required=False)
    phone = forms.CharField(label="Téléphone mobile", max_length=20, required=False,
                            help_text="Pour un SMS, par exemple 06 12 34 56 78.")  # fmt: skip
    email = forms.EmailField(label="Courriel", required=False, help_text="Pour un courriel, ou l'adresse de la mairie.")
    agree = forms.BooleanField(
        label="J'accepte que ce numéro ou cette adresse serve seulement à annoncer les passages du bus ; "
        "je peux me désinscrire à tout moment par le lien reçu.",
    )

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"].strip())
