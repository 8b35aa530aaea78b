"""The procedures catalogue (démarches): versioned, searchable, editable by coordinators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carte_blanche.catalogue.search import Document, fold


class Theme(models.Model):
    """A service-public.fr theme (papiers, famille, social-santé…)."""

    slug = models.SlugField(_("identifiant"), max_length=40, unique=True)
    title = models.CharField(_("titre"), max_length=120)

    class Meta:
        ordering = ["title"]
        verbose_name = _("thème")

    def __str__(self) -> str:
        return self.title


class ProcedureQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Procedure(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    title = models.CharField(_("intitulé"), max_length=250)
    theme = models.ForeignKey(Theme, verbose_name=_("thème"), on_delete=models.PROTECT, related_name="procedures")
    operator = models.ForeignKey(
        "territory.Operator", verbose_name=_("organisme"), on_delete=models.PROTECT, related_name="procedures"
    )
    audience = models.TextField(_("qui est concerné"))
    documents = models.JSONField(_("pièces à fournir"), default=list, blank=True)
    online_url = models.URLField(_("service en ligne"), max_length=400, blank=True)
    cerfa = models.CharField(_("formulaire Cerfa"), max_length=20, blank=True)
    typical_delay = models.CharField(_("délai habituel"), max_length=200, blank=True)
    on_the_spot = models.TextField(_("ce que l'agent peut faire sur place"), blank=True)
    benefits = models.JSONField(_("droits demandés"), default=list, blank=True)
    keywords = models.JSONField(_("mots-clés"), default=list, blank=True)
    lot_notes = models.TextField(_("particularités dans le Lot"), blank=True)
    is_active = models.BooleanField(_("en vigueur"), default=True)

    version = models.PositiveIntegerField(default=1)
    # Hash of the entry as last read from the data file: a reload only overwrites an
    # entry whose file content changed, so coordinators' edits survive other reloads.
    file_hash = models.CharField(max_length=64, blank=True)
    # Folded text the search reads (title, keywords, operator, theme); kept by the actions.
    search_document = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("démarche")

    def __str__(self) -> str:
        return self.title

    def as_search_document(self) -> Document:
        return Document(
            id=self.pk,
            title=self.title,
            keywords=tuple(self.keywords),
            operator=f"{self.operator.short_name} {self.operator.name}",
            theme=self.theme.title,
        )

    def refresh_search_document(self) -> None:
        doc = self.as_search_document()
        self.search_document = fold(" ".join([doc.title, *doc.keywords, doc.operator, doc.theme]))

    def save_new_version(self, by, source: str) -> None:
        """Save the entry as its next version and keep that version in the history."""
        self.version += 1
        self.updated_by = by
        self.refresh_search_document()
        self.save()
        ProcedureRevision.objects.create(
            procedure=self, version=self.version, data=self.snapshot(), source=source, changed_by=by
        )

    def snapshot(self) -> dict:
        return {
            "slug": self.slug,
            "title": self.title,
            "theme": self.theme.slug,
            "operator": self.operator.slug,
            "audience": self.audience,
            "documents": list(self.documents),
            "online_url": self.online_url,
            "cerfa": self.cerfa,
            "typical_delay": self.typical_delay,
            "on_the_spot": self.on_the_spot,
            "benefits": list(self.benefits),
            "keywords": list(self.keywords),
            "lot_notes": self.lot_notes,
            "is_active": self.is_active,
        }


class RevisionSource(models.TextChoices):
    FILE = "file", _("fichier du catalogue")
    UI = "ui", _("modification en ligne")


class ProcedureRevision(models.Model):
    """Every version of every entry, whoever made it."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    source = models.CharField(max_length=10, choices=RevisionSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["procedure", "version"], name="uniq_procedure_version")]

    def __str__(self) -> str:
        return f"{self.procedure.slug} v{self.version}"
