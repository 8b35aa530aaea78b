"""Forms of the solidarity-mobility service: eligibility, ride requests, the indicators' period."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from carte_blanche.mobility.models import EligibilityReason, OfferKind, RidePurpose
from carte_blanche.mobility.states import EligibilityStatus
from carte_blanche.territory.models import Commune
from carte_blanche.web.forms import DATE_WIDGET

TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


def _communes():
    return Commune.objects.order_by("name")


class EligibilityForm(forms.Form):
    status = forms.ChoiceField(
        label="Décision",
        choices=[(s.value, s.label) for s in EligibilityStatus],
        widget=forms.RadioSelect,
        initial=EligibilityStatus.VALID.value,
    )
    no_vehicle = forms.BooleanField(label="La personne n'a pas de véhicule qu'elle peut conduire", required=False,
                                    initial=True)  # fmt: skip
    reason = forms.ChoiceField(label="Motif", choices=EligibilityReason.choices)
    referred_by = forms.CharField(
        label="Orientée par", max_length=200, help_text="Structure ou personne qui a orienté (ex. : CCAS de Cahors)."
    )
    valid_until = forms.DateField(label="Valable jusqu'au", widget=DATE_WIDGET, required=False,
                                  help_text="Par défaut : un an.")  # fmt: skip
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RideRequestForm(forms.Form):
    day = forms.DateField(label="Date du déplacement", widget=DATE_WIDGET)
    purpose = forms.ChoiceField(label="Motif du déplacement", choices=RidePurpose.choices)
    purpose_detail = forms.CharField(label="Précision sur le motif", max_length=200, required=False)
    origin_commune = forms.ModelChoiceField(label="Commune de départ", queryset=Commune.objects.none())
    origin_address = forms.CharField(label="Adresse de prise en charge", max_length=300, required=False)
    destination_name = forms.CharField(label="Lieu de destination", max_length=200, required=False,
                                       help_text="Ex. : cabinet médical, CPAM, pharmacie.")  # fmt: skip
    destination_commune = forms.ModelChoiceField(label="Commune de destination", queryset=Commune.objects.none())
    destination_address = forms.CharField(label="Adresse de destination", max_length=300, required=False)
    arrive_after = forms.TimeField(label="Arriver à destination à partir de", widget=TIME_WIDGET)
    arrive_before = forms.TimeField(label="Arriver à destination au plus tard à", widget=TIME_WIDGET)
    with_return = forms.BooleanField(label="Prévoir le retour", required=False, initial=True)
    return_after = forms.TimeField(label="Repartir à partir de", widget=TIME_WIDGET, required=False)
    return_before = forms.TimeField(label="Repartir au plus tard à", widget=TIME_WIDGET, required=False)
    wheelchair = forms.BooleanField(label="Se déplace en fauteuil roulant", required=False)
    companion = forms.BooleanField(label="Accompagnée d'une personne (une place de plus)", required=False)
    boarding_help = forms.BooleanField(label="A besoin d'aide pour monter en voiture", required=False)
    notes = forms.CharField(label="Informations pour le conducteur", max_length=300, required=False,
                            help_text="Pas d'information médicale : seulement ce qui aide le trajet.")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_commune"].queryset = _communes()
        self.fields["destination_commune"].queryset = _communes()

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError("La date est passée.")
        return day

    def clean(self):
        data = super().clean()
        after, before = data.get("arrive_after"), data.get("arrive_before")
        if after and before and before <= after:
            self.add_error("arrive_before", "L'heure limite d'arrivée doit suivre l'heure au plus tôt.")
        if data.get("with_return"):
            r_after, r_before = data.get("return_after"), data.get("return_before")
            if not r_after:
                self.add_error("return_after", "Indiquez à partir de quelle heure repartir.")
            if not r_before:
                self.add_error("return_before", "Indiquez l'heure limite du retour.")
            if r_after and r_before and r_before <= r_after:
                self.add_error("return_before", "L'heure limite du retour doit suivre l'heure au plus tôt.")
            if r_after and after and r_after < after:
                self.add_error("return_after", "Le retour ne peut pas partir avant l'arrivée de l'aller.")
        else:
            data["return_after"] = data["return_before"] = None
        return data


class AppointmentRideForm(forms.Form):
    origin_commune = forms.ModelChoiceField(label="Commune de départ", queryset=Commune.objects.none())
    origin_address = forms.CharField(label="Adresse de prise en charge", max_length=300, required=False)
    with_return = forms.BooleanField(label="Prévoir le retour après le rendez-vous", required=False, initial=True)
    wheelchair = forms.BooleanField(label="Se déplace en fauteuil roulant", required=False)
    companion = forms.BooleanField(label="Accompagnée d'une personne (une place de plus)", required=False)
    boarding_help = forms.BooleanField(label="A besoin d'aide pour monter en voiture", required=False)
    notes = forms.CharField(label="Informations pour le conducteur", max_length=300, required=False,
                            help_text="Pas d'information médicale : seulement ce qui aide le trajet.")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_commune"].queryset = _communes()


class PeriodForm(forms.Form):
    start = forms.DateField(label="Du", widget=DATE_WIDGET)
    end = forms.DateField(label="Au", widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "La fin de la période précède son début.")
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 366:
            self.add_error("end", "Choisissez une période d'un an au plus.")
        return data

    @staticmethod
    def this_month() -> dict:
        today = timezone.localdate()
        start = today.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return {"start": start, "end": end}


class OfferFilterForm(forms.Form):
    commune = forms.ModelChoiceField(label="Commune", queryset=Commune.objects.none(), required=False,
                                     empty_label="Toutes les communes")  # fmt: skip
    kind = forms.ChoiceField(label="Type d'offre", choices=[("", "Tous les types"), *OfferKind.choices],
                             required=False)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = _communes()
