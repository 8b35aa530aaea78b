"""The nightly re-check: run each person's latest check again when something it rests on changed.

A check is due when the person's file changed since it was made (``Person.updated_at``, or
the household members, compared through their digest), or when OpenFisca-France was
upgraded. The new check starts from the saved situation brought up to date with the file
(:func:`carte_blanche.rights.prefill.build_situation`) for the current month, is saved with
``trigger=recheck`` and ``previous=`` the old one, and is journaled by the system. When a
probable right appears or disappears, the agent who made the check is told (e-mail, through
:mod:`carte_blanche.messaging.notify`).

A re-check reads the file without anyone at the counter: it runs only while the consent that
allowed the check stands (the agent's operator, ``household_income`` for the rights check),
and reads health data only under a consent for them too.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from tqdm import tqdm

from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.consent.models import Consent
from carte_blanche.journal.actions import record as journal
from carte_blanche.journal.models import JournalEvent
from carte_blanche.messaging.notify import notify_user
from carte_blanche.rights import engine
from carte_blanche.rights.actions import check_details
from carte_blanche.rights.engine import CODES, Household, SituationError
from carte_blanche.rights.engine.serialize import household_from_dict, household_to_dict
from carte_blanche.rights.models import RightsCheck, Trigger
from carte_blanche.rights.prefill import build_situation, current_month, facts_from_person, household_digest

logger = logging.getLogger(__name__)

FILE_CHANGED = "file_changed"
HOUSEHOLD_CHANGED = "household_changed"
ENGINE_UPGRADED = "openfisca_version"
CHUNK_SIZE = 100


@dataclass
class Due:
    check: RightsCheck
    household: Household
    reasons: list[str]
    digest: str


@dataclass
class RecheckReport:
    examined: int = 0
    up_to_date: int = 0
    no_consent: int = 0
    invalid: int = 0
    due: int = 0
    rechecked: int = 0
    agents_told: int = 0
    dry_run: bool = False
    reasons: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _consented_categories(check: RightsCheck) -> set[str]:
    agent = check.responsible_agent()
    operator = agent.acting_operator if agent is not None and agent.is_active else None
    if operator is None:
        return set()
    rows = Consent.objects.active_for(operator, Purpose.RIGHTS_CHECK).filter(person_id=check.person_id)
    return set(rows.values_list("category", flat=True))


def due_reasons(check: RightsCheck, *, updated_at: dt.datetime, digest: str, version: str) -> list[str]:
    reasons = []
    if updated_at > check.created_at:
        reasons.append(FILE_CHANGED)
    if digest != check.household_digest:
        reasons.append(HOUSEHOLD_CHANGED)
    if check.openfisca_version != version:
        reasons.append(ENGINE_UPGRADED)
    return reasons


def find_due(report: RecheckReport, *, month: str, version: str, progress: bool = False, stream=None) -> list[Due]:
    latest = RightsCheck.objects.latest_per_person().select_related("person__commune", "created_by", "previous")
    due: list[Due] = []
    bar = tqdm(latest, desc="Examen", unit="dossier", file=stream or sys.stderr, disable=not progress)
    for check in bar:
        report.examined += 1
        categories = _consented_categories(check)
        if DataCategory.HOUSEHOLD_INCOME not in categories:
            report.no_consent += 1
            continue
        facts = facts_from_person(
            check.person, household_income=True, health_autonomy=DataCategory.HEALTH_AUTONOMY in categories
        )
        digest = household_digest(facts)
        reasons = due_reasons(check, updated_at=check.person.updated_at, digest=digest, version=version)
        if not reasons:
            report.up_to_date += 1
            continue
        try:
            household = household_from_dict(build_situation(facts, check.situation, month))
            engine.validate(household, known_benefits=CODES)
        except SituationError as exc:
            # A child turned 25, a birth date now wrong: the agent will see it at the next visit.
            logger.info("Revérification impossible de la vérification n° %s : %s", check.pk, exc)
            report.invalid += 1
            continue
        for reason in reasons:
            report.reasons[reason] = report.reasons.get(reason, 0) + 1
        due.append(Due(check, household, reasons, digest))
    report.due = len(due)
    return due


def _chunks(items: list[Due], size: int) -> Iterator[list[Due]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def save_recheck(item: Due, result) -> RightsCheck:
    """Keep the new check and journal it (the system is the actor); tell the agent of a change."""
    old = item.check
    appeared, disappeared = engine.diff(old.check_result, result)
    with transaction.atomic():
        new = RightsCheck.objects.create(
            person_id=old.person_id,
            created_by=None,
            month=item.household.month,
            situation=household_to_dict(item.household),
            result=result.to_dict(),
            openfisca_version=result.openfisca_version,
            trigger=Trigger.RECHECK,
            previous=old,
            appeared=appeared,
            disappeared=disappeared,
            household_digest=item.digest,
        )
        journal(
            JournalEvent.RIGHTS_RECHECKED,
            person=old.person,
            purpose=Purpose.RIGHTS_CHECK,
            details={**check_details(new, result), "reasons": item.reasons},
        )
    return new


def tell_agent(check: RightsCheck) -> bool:
    """E-mail the agent behind a re-check whose probable rights changed (once per check)."""
    agent = check.responsible_agent()
    if not (check.appeared or check.disappeared) or agent is None or not agent.is_active or not agent.email:
        return False
    url = settings.CB_PUBLIC_URL.rstrip("/") + reverse("web:rights_check_detail", args=[check.pk])
    notify_user(
        agent,
        "rights.agent.changed",
        key=f"rights:{check.pk}:changed",
        values={"id": check.pk, "appeared": len(check.appeared), "disappeared": len(check.disappeared), "url": url},
        related=("rights_check", check.pk),
    )
    return True


def recheck_all(
    *,
    dry_run: bool = False,
    progress: bool = False,
    stream=None,
    today: dt.date | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> RecheckReport:
    """Re-run every due latest check (see the module doc); ``dry_run`` only counts them.

    ``progress`` draws progress bars on ``stream`` (standard error by default).
    """
    report = RecheckReport(dry_run=dry_run)
    month = current_month(today or timezone.localdate())
    due = find_due(report, month=month, version=engine.openfisca_version(), progress=progress, stream=stream)
    if dry_run or not due:
        return report
    bar = tqdm(total=len(due), desc="Calcul", unit="foyer", file=stream or sys.stderr, disable=not progress)
    for chunk in _chunks(due, chunk_size):
        results = engine.compute([item.household for item in chunk])
        for item, result in zip(chunk, results, strict=True):
            new = save_recheck(item, result)
            report.rechecked += 1
            report.agents_told += tell_agent(new)
        bar.update(len(chunk))
    bar.close()
    return report
