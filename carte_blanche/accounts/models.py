"""Accounts and roles. A user has exactly one role; the role decides what they may do."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent polyvalent")
    PARTNER_REFERENT = "partner_referent", _("Référent partenaire")
    COORDINATOR = "coordinator", _("Coordinateur du territoire")
    MOBILITY_COORDINATOR = "mobility_coordinator", _("Coordinateur mobilité")
    VOLUNTEER_DRIVER = "volunteer_driver", _("Conducteur bénévole")
    EMPLOYER = "employer", _("Employeur (TPE)")
    HR_ADVISOR = "hr_advisor", _("Conseiller RH")
    RESIDENT = "resident", _("Habitant")


# Roles that read personal data every day: they must use two-factor authentication.
TWO_FACTOR_ROLES = frozenset({Role.AGENT, Role.PARTNER_REFERENT, Role.COORDINATOR, Role.MOBILITY_COORDINATOR})


class User(AbstractUser):
    role = models.CharField(_("rôle"), max_length=30, choices=Role.choices)

    # `createsuperuser` asks for the role too: every account has one.
    REQUIRED_FIELDS = ["email", "role"]
    structure = models.ForeignKey(
        "territory.Structure",
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agents",
        help_text=_("Pour un agent polyvalent : la structure où il accueille le public."),
    )
    operator = models.ForeignKey(
        "territory.Operator",
        verbose_name=_("opérateur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referents",
        help_text=_("Pour un référent partenaire ou un conseiller RH : l'organisme qu'il représente."),
    )

    class Meta:
        verbose_name = _("utilisateur")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="agent") | models.Q(structure__isnull=False),
                name="agent_has_structure",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="partner_referent") | models.Q(operator__isnull=False),
                name="referent_has_operator",
            ),
        ]

    def clean(self):
        super().clean()
        if self.role == Role.AGENT and not self.structure_id:
            raise ValidationError({"structure": _("Un agent polyvalent doit être rattaché à une structure.")})
        if self.role == Role.PARTNER_REFERENT and not self.operator_id:
            raise ValidationError({"operator": _("Un référent partenaire doit être rattaché à un opérateur.")})

    @property
    def needs_two_factor(self) -> bool:
        # Staff reach the admin, so they need the second factor as well.
        return self.role in TWO_FACTOR_ROLES or self.is_staff

    @property
    def acting_operator(self):
        """The operator whose consents this user acts under (structure's for agents)."""
        if self.role == Role.AGENT and self.structure_id:
            return self.structure.operator
        return self.operator


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal token for an operator's software to call /api/v1/ as this user.

    It carries the user's role and operator, so the API applies the same rules as the
    pages. Only a SHA-256 of the token is kept; the token is shown once, at creation.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("jeton d'API")

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"
