"""The person (usager) and their household.

Nothing reads these models for display except through
:func:`carte_blanche.consent.access.access_person` and its siblings, which check role,
consent and purpose and write the journal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carte_blanche.people.validators import validate_e164, validate_nir


class ContactChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Téléphone")
    LETTER = "letter", _("Courrier")
    EMAIL = "email", _("Courriel")


class DigitalAutonomy(models.TextChoices):
    AUTONOMOUS = "autonomous", _("Fait ses démarches en ligne seul")
    WITH_HELP = "with_help", _("Fait ses démarches en ligne avec de l'aide")
    NEEDS_SOMEONE = "needs_someone", _("A besoin qu'on fasse les démarches pour lui")


class Title(models.TextChoices):
    MRS = "mme", _("Madame")
    MR = "m", _("Monsieur")
    NONE = "", _("Non précisé")


class HousingStatus(models.TextChoices):
    TENANT = "tenant", _("Locataire")
    SOCIAL_TENANT = "social_tenant", _("Locataire d'un logement social")
    OWNER = "owner", _("Propriétaire")
    HOSTED = "hosted", _("Hébergé à titre gratuit")
    NO_HOME = "no_home", _("Sans logement stable")
    UNKNOWN = "", _("Non renseigné")


class HealthInsurance(models.TextChoices):
    GENERAL = "general", _("Régime général (CPAM)")
    AGRICULTURAL = "agricultural", _("Régime agricole (MSA)")
    OTHER = "other", _("Autre régime")
    NONE = "none", _("Sans couverture")
    UNKNOWN = "", _("Non renseigné")


class PersonQuerySet(models.QuerySet):
    def matching(self, query: str):
        """Persons whose names, birth name or phone contain every word of the query."""
        qs = self
        for word in query.split():
            qs = qs.filter(
                models.Q(last_name__icontains=word)
                | models.Q(first_names__icontains=word)
                | models.Q(birth_name__icontains=word)
                | models.Q(phone__icontains=word.lstrip("0"))
            )
        return qs


class Person(models.Model):
    # Identity
    title = models.CharField(_("civilité"), max_length=3, choices=Title.choices, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=150)
    last_name = models.CharField(_("nom d'usage"), max_length=150)
    birth_name = models.CharField(_("nom de naissance"), max_length=150, blank=True)
    birth_date = models.DateField(_("date de naissance"))
    nir = models.CharField(_("numéro de sécurité sociale"), max_length=15, blank=True, validators=[validate_nir])

    # Contact (and how the person deals with online procedures)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="residents"
    )
    phone = models.CharField(_("téléphone"), max_length=16, blank=True, validators=[validate_e164])
    email = models.EmailField(_("courriel"), blank=True)
    preferred_channel = models.CharField(
        _("moyen de contact préféré"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.LETTER
    )
    digital_autonomy = models.CharField(
        _("autonomie numérique"), max_length=20, choices=DigitalAutonomy.choices, default=DigitalAutonomy.WITH_HELP
    )

    # Household, housing and resources
    housing_status = models.CharField(_("logement"), max_length=20, choices=HousingStatus.choices, blank=True)
    monthly_rent = models.DecimalField(_("loyer mensuel (€)"), max_digits=8, decimal_places=2, null=True, blank=True)
    monthly_resources = models.DecimalField(
        _("ressources mensuelles du foyer (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    resources_description = models.CharField(_("nature des ressources"), max_length=300, blank=True)

    # Health and autonomy
    health_insurance = models.CharField(
        _("assurance maladie"), max_length=20, choices=HealthInsurance.choices, blank=True
    )
    has_complementary_health = models.BooleanField(_("complémentaire santé"), null=True, blank=True)
    disability_recognised = models.BooleanField(_("handicap reconnu (MDPH)"), default=False)
    autonomy_gir = models.PositiveSmallIntegerField(
        _("GIR (perte d'autonomie, 1 à 6)"),
        null=True,
        blank=True,
        choices=[(i, f"GIR {i}") for i in range(1, 7)],
    )

    # A resident who has an account sees their own file through it.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the file was erased (GDPR erasure or end of retention): what remains is pseudonymous.
    erased_at = models.DateTimeField(_("effacé le"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_names"]
        verbose_name = _("personne")
        constraints = [
            models.UniqueConstraint(fields=["nir"], condition=~models.Q(nir=""), name="uniq_person_nir_when_known"),
        ]

    def __str__(self) -> str:
        return f"{self.first_names} {self.last_name}"


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Conjoint ou conjointe")
    CHILD = "child", _("Enfant")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Autre personne du foyer")


class HouseholdMember(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household")
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    birth_date = models.DateField(_("date de naissance"))
    relationship = models.CharField(_("lien"), max_length=10, choices=Relationship.choices)
    is_dependent = models.BooleanField(_("à charge"), default=False)

    class Meta:
        ordering = ["birth_date"]
        verbose_name = _("membre du foyer")
        verbose_name_plural = _("membres du foyer")

    def __str__(self) -> str:
        return f"{self.first_name} ({self.get_relationship_display()})"
