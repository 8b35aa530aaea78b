"""Rights checks in a person's timeline (see carte_blanche/visits/timeline.py)."""

from __future__ import annotations

from django.utils import timezone

from carte_blanche.consent.categories import DataCategory
from carte_blanche.rights.models import RightsCheck, Trigger
from carte_blanche.visits.timeline import TimelineItem, sees_whole_file_history


def rights_items(record, user) -> list[TimelineItem]:
    # What a check found says much about the household's resources: only with that category,
    # and only for agents and the person themself.
    if not record.has(DataCategory.HOUSEHOLD_INCOME) or not sees_whole_file_history(record, user):
        return []
    items = []
    for check in RightsCheck.objects.of_person(record.person_id).select_related("created_by"):
        result = check.check_result
        unclaimed = len(result.unclaimed)
        detail = f"{unclaimed} droit(s) probable(s) non demandé(s)" if unclaimed else "Aucun droit probable non demandé"
        if check.trigger == Trigger.RECHECK and (check.appeared or check.disappeared):
            detail += " — la situation des droits a changé depuis la vérification précédente"
        items.append(
            TimelineItem(
                when=timezone.localtime(check.created_at),
                kind="rights_check",
                title=f"Vérification des droits ({check.get_trigger_display().lower()})",
                detail=detail,
                who=check.created_by.get_full_name() if check.created_by else "Carte Blanche",
            )
        )
    return items
