"""Small businesses of the territory and the HR centre's advisors."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from carte_blanche.employers.identifiers import idcc_error, naf_error, normalise_siret, siret_error

# The centre serves very small businesses: fewer than 11 employees.
MAX_HEADCOUNT = 10


def validate_siret(value: str) -> None:
    error = siret_error(value)
    if error:
        raise ValidationError(error, code="siret")


def validate_naf(value: str) -> None:
    error = naf_error(value)
    if error:
        raise ValidationError(error, code="naf")


def validate_idcc(value: str) -> None:
    error = idcc_error(value)
    if error:
        raise ValidationError(error, code="idcc")


class HrTheme(models.TextChoices):
    RECRUITING = "recruiting", _("Recrutement")
    CONTRACT = "contract", _("Contrat de travail")
    PAY = "pay", _("Rémunération, paie")
    WORKING_TIME = "working_time", _("Temps de travail")
    ABSENCE_LEAVE = "absence_leave", _("Absences et congés")
    END_OF_CONTRACT = "end_of_contract", _("Fin de contrat")
    TRAINING = "training", _("Formation")
    HIRING_AIDS = "hiring_aids", _("Aides à l'embauche")


class EmployerQuerySet(models.QuerySet):
    def managed_by(self, user):
        """The companies a user acts for: an employer account its own, an HR advisor every one."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.role == "hr_advisor":
            return self.all()
        if user.role == "employer":
            return self.filter(members=user)
        return self.none()


class Employer(models.Model):
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])
    name = models.CharField(_("raison sociale"), max_length=200)
    naf_code = models.CharField(_("code NAF (APE)"), max_length=6, validators=[validate_naf])
    headcount = models.PositiveSmallIntegerField(
        _("effectif salarié"),
        validators=[
            MaxValueValidator(MAX_HEADCOUNT, _("Le centre accompagne les entreprises de moins de 11 salariés."))
        ],
    )
    idcc = models.CharField(_("convention collective (IDCC)"), max_length=4, blank=True, validators=[validate_idcc])
    commune = models.ForeignKey(
        "territory.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="employers"
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("comptes de l'entreprise"), related_name="employers", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("employeur")

    def __str__(self) -> str:
        return f"{self.name} ({self.siret})"

    def save(self, *args, **kwargs):
        self.siret = normalise_siret(self.siret)
        self.naf_code = (self.naf_code or "").strip().upper()
        super().save(*args, **kwargs)

    @property
    def siren(self) -> str:
        return self.siret[:9]


class AdvisorProfile(models.Model):
    """What an HR advisor of the centre answers: themes, and optionally sectors and sizes."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advisor_profile")
    themes = models.JSONField(_("thèmes"), default=list, help_text=_("Codes HrTheme ; vide : tous."))
    naf_prefixes = models.JSONField(
        _("secteurs (débuts de code NAF)"), default=list, blank=True, help_text=_("Ex. ['88', '47.24'] ; vide : tous.")
    )
    max_headcount = models.PositiveSmallIntegerField(_("effectif maximal suivi"), default=MAX_HEADCOUNT)
    active = models.BooleanField(_("disponible"), default=True)

    class Meta:
        verbose_name = _("profil de conseiller RH")

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({', '.join(self.themes) or 'tous thèmes'})"

    def covers(self, theme: str, naf_code: str, headcount: int) -> bool:
        return (
            self.active
            and (not self.themes or theme in self.themes)
            and (not self.naf_prefixes or any(naf_code.startswith(p) for p in self.naf_prefixes))
            and headcount <= self.max_headcount
        )

    def specificity(self) -> int:
        """Higher for a narrower profile: a sector specialist is preferred to a generalist."""
        return (10 - min(len(self.themes), 9) if self.themes else 0) + (5 if self.naf_prefixes else 0)
