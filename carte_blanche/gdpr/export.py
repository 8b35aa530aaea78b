"""Everything the platform holds about a person, for the person (right of access, article 15 of
the GDPR): their file, household, consents, the access journal, and every service's records.

The file itself is read through ``access_person`` with the purpose ``self`` (only the person's own
account may), so the export is journaled like any other read.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from carte_blanche.consent.access import PERSON_FIELDS, access_person
from carte_blanche.consent.categories import CATEGORY_LABELS, PURPOSE_LABELS, DataCategory, Purpose
from carte_blanche.consent.models import Consent
from carte_blanche.journal.models import JournalEntry, JournalEvent


def _plain(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk") and hasattr(value, "_meta"):
        return str(value)
    return value


def _fields(record, category: DataCategory) -> dict:
    values = getattr(record, category.value, None) or {}
    return {name: _plain(values.get(name)) for name in PERSON_FIELDS[category] if name in values}


def export_person(user, person_id: int) -> dict:
    """The person's own export (raises like ``access_person`` for anyone else)."""
    record = access_person(user, person_id, Purpose.SELF, channel="export")
    from carte_blanche.appointments.models import Appointment
    from carte_blanche.documents.models import Document
    from carte_blanche.messaging.models import Notification
    from carte_blanche.mobility.models import Eligibility, RideRequest
    from carte_blanche.people.models import HouseholdMember
    from carte_blanche.referrals.models import Referral
    from carte_blanche.rights.models import RightsCheck
    from carte_blanche.visits.models import Visit
    from carte_blanche.webhooks.models import Propagation

    visits = Visit.objects.filter(person_id=person_id).select_related("structure").prefetch_related("procedures")
    referrals = Referral.objects.filter(person_id=person_id).select_related("operator").prefetch_related("messages")
    data = {
        "exported_at": timezone.now().isoformat(),
        "person_id": person_id,
        "file": {CATEGORY_LABELS[c]: _fields(record, c) for c in DataCategory if c is not DataCategory.DOCUMENTS},
        "household": [
            {"first_name": m.first_name, "last_name": m.last_name, "birth_date": m.birth_date.isoformat(),
             "relationship": m.get_relationship_display(), "dependent": m.is_dependent}
            for m in HouseholdMember.objects.filter(person_id=person_id)
        ],
        "consents": [
            {"operator": c.operator.name, "category": CATEGORY_LABELS.get(c.category, c.category),
             "purpose": PURPOSE_LABELS.get(c.purpose, c.purpose), "granted_at": _plain(c.granted_at),
             "valid_until": _plain(c.valid_until), "method": c.get_method_display(),
             "withdrawn_at": _plain(c.revoked_at)}
            for c in Consent.objects.filter(person_id=person_id).select_related("operator").order_by("granted_at")
        ],
        "journal": [
            {"at": _plain(e.created_at), "event": JournalEvent(e.event).label if e.event in JournalEvent.values
             else e.event, "who": e.actor_label, "purpose": PURPOSE_LABELS.get(e.purpose, e.purpose),
             "details": e.details}
            for e in JournalEntry.objects.filter(person_id=person_id).order_by("seq")
        ],
        "visits": [
            {"at": _plain(v.happened_at), "structure": v.structure.name, "channel": v.get_channel_display(),
             "procedures": [p.title for p in v.procedures.all()], "outcomes": v.outcomes, "minutes": v.minutes,
             "note": v.note}
            for v in visits
        ],
        "referrals": [
            {"id": r.pk, "operator": r.operator.name, "question": r.question, "status": r.get_status_display(),
             "sent_at": _plain(r.sent_at), "deadline": _plain(r.deadline),
             "messages": [{"at": _plain(m.created_at), "text": m.text} for m in r.messages.all()]}
            for r in referrals
        ],
        "appointments": [
            {"at": _plain(a.slot.starts_at), "operator": a.slot.permanence.operator.name,
             "place": a.slot.permanence.location, "status": a.get_status_display()}
            for a in Appointment.objects.filter(person_id=person_id).select_related("slot__permanence__operator")
        ],
        "documents": [
            {"title": d.title, "kind": d.get_kind_display(), "issued_on": _plain(d.issued_on),
             "valid_until": _plain(d.valid_until), "uploaded_at": _plain(d.uploaded_at), "sha256": d.sha256}
            for d in Document.objects.filter(person_id=person_id)
        ],
        "rights_checks": [
            {"at": _plain(c.created_at), "month": c.month, "situation": c.situation, "result": c.result,
             "openfisca_version": c.openfisca_version}
            for c in RightsCheck.objects.filter(person_id=person_id)
        ],
        "mobility": {
            "eligibility": [
                {"status": e.status_label, "reason": e.get_reason_display(), "decided_at": _plain(e.decided_at),
                 "valid_until": _plain(e.valid_until)}
                for e in Eligibility.objects.filter(person_id=person_id)
            ],
            "rides": [
                {"day": _plain(r.day), "from": r.origin_commune.name,
                 "to": r.destination_name or r.destination_commune.name,
                 "purpose": r.get_purpose_display(), "cancelled_at": _plain(r.cancelled_at),
                 "legs": [{"direction": leg.get_direction_display(), "status": leg.status_label,
                           "planned_pickup": _plain(leg.planned_pickup)} for leg in r.legs.all()]}
                for r in RideRequest.objects.filter(person_id=person_id).select_related(
                    "origin_commune", "destination_commune").prefetch_related("legs")
            ],
        },
        "messages": [
            {"at": _plain(n.created_at), "channel": n.get_channel_display(), "subject": n.subject, "text": n.body,
             "status": n.get_status_display()}
            for n in Notification.objects.filter(person_id=person_id)
        ],
        "operators_told": [
            {"at": _plain(p.created_at), "operator": p.operator.name, "category": CATEGORY_LABELS.get(p.category),
             "fields": p.fields, "source": p.source}
            for p in Propagation.objects.filter(person_id=person_id).select_related("operator")
        ],
    }  # fmt: skip
    return data
