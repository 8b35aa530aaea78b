"""The append-only, hash-chained access journal.

Rows are written only by :func:`carte_blanche.journal.actions.record`; the model refuses
updates and deletes, and ``manage.py journal_verify`` detects any change made behind the
code's back (raw SQL, database console).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carte_blanche.journal.chain import ChainLink


class JournalEvent(models.TextChoices):
    PERSON_READ = "person_read", _("Consultation du dossier")
    PERSON_READ_REFUSED = "person_read_refused", _("Consultation refusée")
    PERSON_SEARCH = "person_search", _("Recherche de personnes")
    PERSON_CREATED = "person_created", _("Création du dossier")
    PERSON_UPDATED = "person_updated", _("Modification du dossier")
    CONSENT_CODE_SENT = "consent_code_sent", _("Code de consentement envoyé par SMS")
    CONSENT_GRANTED = "consent_granted", _("Consentement donné")
    CONSENT_REVOKED = "consent_revoked", _("Consentement retiré")
    REFERRAL_SENT = "referral_sent", _("Orientation envoyée")
    REFERRAL_TRANSITION = "referral_transition", _("Orientation : changement d'état")
    REFERRAL_ESCALATED = "referral_escalated", _("Orientation en retard : relance")
    VISIT_RECORDED = "visit_recorded", _("Visite enregistrée")
    APPOINTMENT_BOOKED = "appointment_booked", _("Rendez-vous pris")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("Rendez-vous annulé")
    APPOINTMENT_MOVED = "appointment_moved", _("Rendez-vous déplacé")
    DOCUMENT_STORED = "document_stored", _("Pièce justificative déposée")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("Pièce justificative téléchargée")
    RIGHTS_CHECKED = "rights_checked", _("Vérification des droits")
    RIGHTS_RECHECKED = "rights_rechecked", _("Revérification automatique des droits")
    RIGHTS_HOUSEHOLD_UPDATED = "rights_household_updated", _("Foyer mis à jour depuis la vérification des droits")
    RIGHTS_REVIEWED = "rights_reviewed", _("Changement de droits vu par l'agent")
    MOBILITY_ELIGIBILITY = "mobility_eligibility", _("Éligibilité à la mobilité solidaire décidée")
    RIDE_REQUESTED = "ride_requested", _("Transport solidaire demandé")
    RIDE_CHANGED = "ride_changed", _("Transport solidaire modifié")
    RIDE_CANCELLED = "ride_cancelled", _("Transport solidaire annulé")
    RIDE_ASSIGNED = "ride_assigned", _("Transport solidaire attribué à un conducteur")
    RIDE_ANSWERED = "ride_answered", _("Réponse d'un conducteur à une proposition de transport")
    PERSON_ERASED = "person_erased", _("Dossier effacé (droit à l'effacement ou fin de conservation)")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a journal row."""


class JournalQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le journal est en ajout seul : aucune ligne ne peut être modifiée.")

    def delete(self):
        raise AppendOnlyError("Le journal est en ajout seul : aucune ligne ne peut être supprimée.")

    def about(self, person_id: int):
        return self.filter(person_id=person_id)


class JournalEntry(models.Model):
    # Plain integer references, not foreign keys: deleting a user or a person must never
    # cascade into the journal, and the chain must keep verifying.
    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    event = models.CharField(max_length=40, choices=JournalEvent.choices)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=200, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    operator_id = models.BigIntegerField(null=True, blank=True)
    purpose = models.CharField(max_length=40, blank=True)
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = JournalQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("entrées du journal")

    def __str__(self) -> str:
        return f"#{self.seq} {self.event} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Le journal est en ajout seul : aucune ligne ne peut être modifiée.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le journal est en ajout seul : aucune ligne ne peut être supprimée.")

    def as_link(self) -> ChainLink:
        return ChainLink(
            seq=self.seq,
            created_at=self.created_at.isoformat(),
            event=self.event,
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            person_id=self.person_id,
            operator_id=self.operator_id,
            purpose=self.purpose,
            details=self.details,
            prev_hash=self.prev_hash,
            hash=self.hash,
        )


class JournalHead(models.Model):
    """One row that records the chain's end; locking it serialises appends."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"tête du journal : {self.last_seq}"
