"""Rights checks (vérifications des droits): a household situation and the probable rights computed on it.

A check is written only by :mod:`carte_blanche.rights.actions` (at the counter) and
:mod:`carte_blanche.rights.recheck` (the nightly re-check); both journal it. The situation
and the result are kept as the engine's plain dicts (``engine.serialize.household_to_dict``
and ``CheckResult.to_dict()``), so a check can be shown, printed and re-run later exactly
as it was computed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from carte_blanche.rights.engine import CheckResult, Household
from carte_blanche.rights.engine.serialize import household_from_dict


class Trigger(models.TextChoices):
    COUNTER = "counter", _("Au guichet")
    RECHECK = "recheck", _("Revérification automatique")


class RightsCheckQuerySet(models.QuerySet):
    def latest_per_person(self):
        """Each person's most recent check (the one a re-check starts from)."""
        newest = (
            RightsCheck.objects.filter(person_id=OuterRef("person_id")).order_by("-created_at", "-id").values("pk")[:1]
        )
        return self.filter(pk=Subquery(newest))

    def of_person(self, person_id: int):
        return self.filter(person_id=person_id).order_by("-created_at", "-id")

    def to_review(self):
        """Re-checks whose probable rights changed and that no agent has marked as seen yet."""
        return (
            self.filter(trigger=Trigger.RECHECK, reviewed_at__isnull=True)
            .filter(~Q(appeared=[]) | ~Q(disappeared=[]))
            .order_by("created_at", "id")
        )

    def to_review_by(self, user) -> list:
        """The agent's tasks: changed re-checks of the chains this agent started."""
        return [check for check in self.to_review().select_related("previous") if check.responsible_agent() == user]


class RightsCheck(models.Model):
    person = models.ForeignKey(
        "people.Person", verbose_name=_("personne"), on_delete=models.CASCADE, related_name="rights_checks"
    )
    # Empty for a re-check made by the system.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fait par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("fait le"), auto_now_add=True)
    month = models.CharField(_("mois de calcul"), max_length=7)
    situation = models.JSONField(_("situation du foyer"))
    result = models.JSONField(_("résultat"))
    openfisca_version = models.CharField(_("version d'OpenFisca"), max_length=60)
    trigger = models.CharField(_("origine"), max_length=10, choices=Trigger.choices, default=Trigger.COUNTER)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("vérification précédente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_checks",
    )
    # Benefit codes that became, or stopped being, probable rights since ``previous``.
    appeared = models.JSONField(_("droits apparus"), default=list, blank=True)
    disappeared = models.JSONField(_("droits disparus"), default=list, blank=True)
    # A digest of the household members as the file held them when the check was made:
    # the re-check compares it with the file to notice a birth, a departure, a new partner.
    household_digest = models.CharField(max_length=64, blank=True)
    # A re-check whose rights changed is a task for the agent until marked as seen.
    reviewed_at = models.DateTimeField(_("vu le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vu par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RightsCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("vérification des droits")
        verbose_name_plural = _("vérifications des droits")
        indexes = [models.Index(fields=["person", "-created_at"], name="rights_check_person_recent")]

    def __str__(self) -> str:
        return f"Vérification n° {self.pk} ({self.month})"

    @property
    def check_result(self) -> CheckResult:
        return CheckResult.from_dict(self.result)

    @property
    def household(self) -> Household:
        return household_from_dict(self.situation)

    @property
    def needs_review(self) -> bool:
        return self.trigger == Trigger.RECHECK and bool(self.appeared or self.disappeared) and self.reviewed_at is None

    def responsible_agent(self):
        """The agent who made this check at the counter, or the one a re-check chain started from."""
        check, seen = self, set()
        while check is not None and check.pk not in seen:
            if check.created_by_id is not None:
                return check.created_by
            seen.add(check.pk)
            check = check.previous
        return None
