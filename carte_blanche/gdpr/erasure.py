"""Erasure (right to erasure, article 17, and the end of the retention period).

What goes: identity and contact (pseudonymised: the file keeps its number, the year of birth and
the commune for the statistics), household members, income and health fields, the supporting
documents (rows and files), the rights checks (they hold the household's situation), the free texts
of visits, referrals, rides and messages; every active consent is withdrawn and the person's
account closed. What stays, because the law or the service requires it: the access journal (it
holds no values and proves who read what — docs/register-of-processing.md), the dated facts
without content that the indicators count (a visit happened, a referral was answered, a ride
was driven), and the journal entry of the erasure itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

ERASED = "[effacé]"


@dataclass(frozen=True)
class Candidate:
    person_id: int
    last_activity: dt.datetime


def last_activity(person) -> dt.datetime:
    """The latest thing that happened on the file (a change, a visit, a referral, a consent…)."""
    from carte_blanche.appointments.models import Appointment
    from carte_blanche.consent.models import Consent
    from carte_blanche.referrals.models import Referral
    from carte_blanche.visits.models import Visit

    moments = [
        person.updated_at,
        Visit.objects.filter(person=person).aggregate(m=Max("happened_at"))["m"],
        Referral.objects.filter(person=person).aggregate(m=Max("sent_at"))["m"],
        Appointment.objects.filter(person=person).aggregate(m=Max("slot__starts_at"))["m"],
        Consent.objects.filter(person=person).aggregate(m=Max("granted_at"))["m"],
    ]
    return max(m for m in moments if m is not None)


def candidates(retention_years: int, *, now: dt.datetime | None = None) -> list[Candidate]:
    """Files without any activity for ``retention_years`` and not erased yet."""
    from carte_blanche.people.models import Person

    now = now or timezone.now()
    limit = now - dt.timedelta(days=365 * retention_years)
    found = []
    for person in Person.objects.filter(erased_at__isnull=True, updated_at__lt=limit).order_by("pk"):
        moment = last_activity(person)
        if moment < limit:
            found.append(Candidate(person.pk, moment))
    return found


def erase(person_id: int, *, reason: str, by=None) -> list[str]:
    """Erase one file, all or nothing; returns what was done (for the command's report)."""
    from carte_blanche.bus.models import Subscription
    from carte_blanche.consent.models import Consent
    from carte_blanche.documents.models import Document
    from carte_blanche.documents.storage import vault
    from carte_blanche.journal.actions import record
    from carte_blanche.journal.models import JournalEvent
    from carte_blanche.messaging.models import Notification
    from carte_blanche.mobility.models import Eligibility, RideRequest
    from carte_blanche.people.models import HouseholdMember, Person
    from carte_blanche.referrals.models import ReferralMessage
    from carte_blanche.rights.models import RightsCheck
    from carte_blanche.visits.models import Visit

    done: list[str] = []
    files: list[str] = []
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        if person.erased_at is not None:
            return ["déjà effacé"]
        now = timezone.now()
        person.title = ""
        person.first_names = "Personne"
        person.last_name = f"effacée n° {person.pk}"
        person.birth_name = ""
        person.birth_date = dt.date(person.birth_date.year, 1, 1)
        person.nir = ""
        person.address = ""
        person.phone = ""
        person.email = ""
        person.monthly_rent = None
        person.monthly_resources = None
        person.resources_description = ""
        person.housing_status = ""
        person.health_insurance = ""
        person.has_complementary_health = None
        person.disability_recognised = False
        person.autonomy_gir = None
        person.erased_at = now
        account = person.user
        person.user = None
        person.save()
        done.append("identité et coordonnées pseudonymisées, ressources et santé effacées")
        if account is not None:
            account.is_active = False
            account.save(update_fields=["is_active"])
            done.append("compte de la personne fermé")
        n, _ = HouseholdMember.objects.filter(person=person).delete()
        done.append(f"{n} membre(s) du foyer supprimé(s)")
        documents = list(Document.objects.filter(person=person))
        files = [d.storage_name for d in documents]
        for document in documents:
            document.delete()  # its links to referrals go with it
        done.append(f"{len(documents)} pièce(s) justificative(s) supprimée(s)")
        n, _ = RightsCheck.objects.filter(person=person).delete()
        done.append(f"{n} vérification(s) de droits supprimée(s)")
        revoked = Consent.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
        done.append(f"{revoked} consentement(s) retiré(s)")
        Visit.objects.filter(person=person).update(note="")
        ReferralMessage.objects.filter(referral__person=person).update(text=ERASED)
        person.referrals.update(question=ERASED)
        RideRequest.objects.filter(person=person).update(origin_address="", destination_address="", notes="",
                                                         purpose_detail="")  # fmt: skip
        Eligibility.objects.filter(person=person).update(comment="", referred_by=ERASED)
        Notification.objects.filter(person=person).update(subject="", body=ERASED)
        Subscription.objects.filter(person=person).delete()
        done.append("textes libres des visites, orientations, transports et messages effacés")
        record(
            JournalEvent.PERSON_ERASED,
            actor=by,
            person=person,
            details={"reason": reason, "documents": len(documents)},
        )

        def remove_files():
            storage = vault()
            for name in files:
                storage.delete(name)

        transaction.on_commit(remove_files)
    return done
