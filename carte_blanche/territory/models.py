"""Reference data of a territory: communes, EPCIs, operators, service points, structures."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carte_blanche.territory.validators import validate_opening_hours


class Epci(models.Model):
    """Établissement public de coopération intercommunale (SIREN code)."""

    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self) -> str:
        return self.name


class CommuneQuerySet(models.QuerySet):
    def by_insee(self, code: str):
        return self.get(insee_code=code)


class Commune(models.Model):
    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, related_name="communes")
    population = models.PositiveIntegerField(_("population municipale"))
    postal_codes = models.JSONField(_("codes postaux"), default=list)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    area_km2 = models.FloatField(_("superficie (km²)"), null=True, blank=True)
    # GeoJSON geometry (WGS84) of the commune outline, for maps; no spatial database needed.
    geometry = models.JSONField(_("contour GeoJSON"), null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"


class OperatorKind(models.TextChoices):
    SOCIAL_SECURITY = "social_security", _("Organisme de sécurité sociale")
    STATE = "state", _("Service de l'État")
    LOCAL_AUTHORITY = "local_authority", _("Collectivité territoriale")
    EMPLOYMENT = "employment", _("Emploi et insertion")
    ASSOCIATION = "association", _("Association")
    PUBLIC_COMPANY = "public_company", _("Opérateur public")
    FRANCE_SERVICES = "france_services", _("France services")


class Operator(models.Model):
    """An organisation that serves residents (CAF, CPAM, France Travail, a mairie...)."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("sigle"), max_length=40)
    kind = models.CharField(_("type"), max_length=30, choices=OperatorKind.choices)
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("missions"), blank=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("opérateur")

    def __str__(self) -> str:
        return self.short_name


class ServicePoint(models.Model):
    """A permanent place where residents meet an operator."""

    class GeoPrecision(models.TextChoices):
        ADDRESS = "address", _("adresse")
        COMMUNE = "commune", _("centre de la commune")

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="service_points")
    name = models.CharField(_("nom"), max_length=200)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="service_points")
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    geo_precision = models.CharField(_("précision"), max_length=10, choices=GeoPrecision.choices)
    # OpenStreetMap `opening_hours` syntax, e.g. "Mo-Fr 09:00-12:00,14:00-17:00".
    opening_hours = models.CharField(
        _("horaires (syntaxe OSM)"), max_length=300, blank=True, validators=[validate_opening_hours]
    )
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["commune__name", "name"]
        verbose_name = _("point de service")
        verbose_name_plural = _("points de service")
        constraints = [models.UniqueConstraint(fields=["operator", "name"], name="uniq_service_point_name")]

    def __str__(self) -> str:
        return self.name


class StructureKind(models.TextChoices):
    FRANCE_SERVICES = "france_services", _("France services")
    MAIRIE = "mairie", _("Mairie")
    BUS = "bus", _("Bus France services")
    OPERATOR_OFFICE = "operator_office", _("Agence d'un opérateur")


class Structure(models.Model):
    """Where front-desk agents work: a France services site, a mairie, the bus."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=StructureKind.choices)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="structures")
    # The legal operator behind the structure: consents given to it cover its agents.
    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="structures")
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="structures"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("structure")

    def __str__(self) -> str:
        return self.name
