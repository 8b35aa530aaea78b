"""Saved hiring-cost simulations, kept in the company's case file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HiringSimulationQuerySet(models.QuerySet):
    def for_employer(self, employer):
        return self.filter(employer=employer).select_related("created_by")


class HiringSimulation(models.Model):
    """One or two scenarios and their results, as computed (no personal data: a job, not a person)."""

    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("entreprise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="hiring_simulations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    label = models.CharField(_("intitulé"), max_length=200, blank=True)
    scenarios = models.JSONField(_("scénarios"), default=list)  # Scenario.to_dict() each
    results = models.JSONField(_("résultats"), default=list)  # CostResult.to_dict() each
    differences = models.JSONField(_("écarts"), default=dict, blank=True)  # second − first
    openfisca_version = models.CharField(_("version d'OpenFisca"), max_length=80)

    objects = HiringSimulationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("simulation d'embauche")

    def __str__(self) -> str:
        return self.label or f"Simulation du {self.created_at:%d/%m/%Y}"
