"""Local job offers published by the HR centre's employers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carte_blanche.jobs.schedule import WEEKDAY_LABELS, WorkSchedule
from carte_blanche.jobs.states import STATE_LABELS, State

FULL_TIME_HOURS = Decimal("35")
MAX_WEEKLY_HOURS = Decimal("48")


class ContractKind(models.TextChoices):
    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    INTERIM = "interim", _("Intérim")
    APPRENTICESHIP = "apprenticeship", _("Apprentissage")


class JobOfferQuerySet(models.QuerySet):
    def of_employer(self, employer):
        return self.filter(employer=employer)

    def open_on(self, day: dt.date):
        """Published and not past their closing date: what an agent may show a job seeker."""
        return self.filter(state=State.PUBLISHED).filter(Q(closes_on__isnull=True) | Q(closes_on__gte=day))


class JobOffer(models.Model):
    employer = models.ForeignKey(
        "employers.Employer", verbose_name=_("employeur"), on_delete=models.CASCADE, related_name="job_offers"
    )
    title = models.CharField(_("intitulé du poste"), max_length=200)
    description = models.TextField(_("description du poste"))
    contract_kind = models.CharField(_("type de contrat"), max_length=16, choices=ContractKind.choices)
    duration_months = models.PositiveSmallIntegerField(
        _("durée du contrat (mois)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("Obligatoire pour un CDD."),
    )
    part_time = models.BooleanField(_("temps partiel"), default=False)
    weekly_hours = models.DecimalField(
        _("heures par semaine"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(MAX_WEEKLY_HOURS)],
        help_text=_("Obligatoire pour un temps partiel."),
    )
    # The schedule stays structured: the ride check of the mobility service will read it.
    work_days = models.JSONField(_("jours travaillés"), default=list, blank=True)
    start_time = models.TimeField(_("heure de début"), null=True, blank=True)
    end_time = models.TimeField(_("heure de fin"), null=True, blank=True)
    schedule_note = models.CharField(
        _("précisions sur les horaires"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple : coupure de 12 h à 14 h, un week-end sur deux, planning remis chaque mois."),
    )
    commune = models.ForeignKey(
        "territory.Commune", verbose_name=_("commune du lieu de travail"), on_delete=models.PROTECT, related_name="+"
    )
    salary_min = models.DecimalField(
        _("salaire brut mensuel (€)"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    salary_max = models.DecimalField(
        _("jusqu'à (€ brut mensuel)"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Pour une fourchette de salaire ; sinon laissez vide."),
    )  # fmt: skip
    licence_required = models.BooleanField(_("permis de conduire exigé"), default=False)
    vehicle_required = models.BooleanField(_("véhicule personnel exigé"), default=False)
    start_date = models.DateField(_("date de prise de poste"), null=True, blank=True)
    closes_on = models.DateField(_("candidatures jusqu'au"), null=True, blank=True)
    positions = models.PositiveSmallIntegerField(
        _("nombre de postes"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    state = models.CharField(
        _("état"), max_length=10, choices=[(s.value, STATE_LABELS[s]) for s in State], default=State.DRAFT
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="job_offers")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobOfferQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("offre d'emploi")
        verbose_name_plural = _("offres d'emploi")
        indexes = [models.Index(fields=["state", "closes_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer.name})"

    @property
    def status(self) -> State:
        return State(self.state)

    @property
    def work_schedule(self) -> WorkSchedule:
        return WorkSchedule.build(self.work_days, self.start_time, self.end_time, self.schedule_note)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        unknown = [d for d in self.work_days or () if d not in {w.value for w in WEEKDAY_LABELS}]
        if unknown:
            errors["work_days"] = "Jour inconnu."
        else:
            errors.update(self.work_schedule.problems())
        if self.contract_kind == ContractKind.CDD and not self.duration_months:
            errors["duration_months"] = "Indiquez la durée du CDD, en mois."
        if self.contract_kind == ContractKind.CDI:
            self.duration_months = None
        if self.part_time:
            if self.weekly_hours is None:
                errors["weekly_hours"] = "Indiquez le nombre d'heures par semaine du temps partiel."
            elif self.weekly_hours >= FULL_TIME_HOURS:
                errors["weekly_hours"] = "Un temps partiel compte moins de 35 heures par semaine."
        elif self.weekly_hours is not None and self.weekly_hours < FULL_TIME_HOURS:
            errors["weekly_hours"] = "Moins de 35 heures par semaine : cochez « temps partiel »."
        if self.salary_max is not None:
            if self.salary_min is None:
                errors["salary_min"] = "Indiquez le bas de la fourchette."
            elif self.salary_max < self.salary_min:
                errors["salary_max"] = "Le haut de la fourchette doit dépasser le bas."
        if self.vehicle_required and not self.licence_required:
            errors["licence_required"] = "Un véhicule personnel exigé suppose le permis de conduire : cochez-le aussi."
        if self.start_date and self.closes_on and self.closes_on > self.start_date:
            errors["closes_on"] = "Les candidatures doivent se clore au plus tard à la prise de poste."
        if errors:
            raise ValidationError(errors)

    @property
    def hours_label(self) -> str:
        hours = f"{self.weekly_hours.normalize():f} h par semaine" if self.weekly_hours is not None else ""
        if self.part_time:
            return f"Temps partiel, {hours}" if hours else "Temps partiel"
        return f"Temps plein, {hours}" if hours else "Temps plein"

    @property
    def contract_label(self) -> str:
        label = self.get_contract_kind_display()
        if self.duration_months and self.contract_kind != ContractKind.CDI:
            label += f" de {self.duration_months} mois"
        return label

    @property
    def salary_label(self) -> str:
        def euros(value: Decimal) -> str:
            whole = f"{int(value):,}".replace(",", "\u202f")
            cents = int((value % 1) * 100)
            return f"{whole},{cents:02d} €" if cents else f"{whole} €"

        if self.salary_min is None:
            return "Non précisé"
        if self.salary_max is not None and self.salary_max != self.salary_min:
            return f"De {euros(self.salary_min)} à {euros(self.salary_max)} brut par mois"
        return f"{euros(self.salary_min)} brut par mois"
