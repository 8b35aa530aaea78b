"""Referral transitions: one atomic, journaled function each."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.consent.models import Consent
from carte_blanche.journal.actions import record
from carte_blanche.journal.models import JournalEvent
from carte_blanche.referrals.models import MessageKind, Referral, ReferralMessage, ServiceLevel
from carte_blanche.referrals.notifications import tell_of_answer
from carte_blanche.referrals.states import TRANSITIONS, Transition, next_status
from carte_blanche.referrals.workdays import add_working_days
from carte_blanche.satisfaction.hooks import after_transition

DEFAULT_WORKING_DAYS = 5
MESSAGE_KINDS = {
    Transition.REQUEST_INFO: MessageKind.INFO_REQUEST,
    Transition.PROVIDE_INFO: MessageKind.INFO,
    Transition.REFUSE: MessageKind.REFUSAL,
    Transition.ANSWER: MessageKind.ANSWER,
}
NEEDS_TEXT = {
    Transition.REQUEST_INFO: _("Précisez le complément attendu."),
    Transition.PROVIDE_INFO: _("Écrivez le complément apporté."),
    Transition.REFUSE: _("Le motif du refus est obligatoire."),
    Transition.ANSWER: _("Écrivez la réponse."),
}


def deadline_for(operator, sent: dt.date) -> dt.date:
    level = ServiceLevel.objects.filter(operator=operator).first()
    return add_working_days(sent, level.working_days if level else DEFAULT_WORKING_DAYS)


def send_referral(person, *, operator, question: str, by, procedure=None, documents=()) -> Referral:
    """An agent hands the person's request to a partner, who must have the person's consent to see it.

    ``documents`` (the person's own) are attached only when the person allowed the operator to see
    their documents for the referral.
    """
    if not (by.is_authenticated and by.is_active and by.role == "agent" and by.structure_id):
        raise PermissionDenied(_("Seul un agent polyvalent oriente une personne."))
    question = (question or "").strip()
    if len(question) < 10:
        raise ValidationError({"question": _("Décrivez la demande en une phrase au moins.")})
    consented = Consent.objects.active_for(operator, Purpose.REFERRAL).filter(
        person=person, category=DataCategory.IDENTITY
    )
    if not consented.exists():
        raise ValidationError(
            _(
                "%(operator)s ne peut pas recevoir cette orientation : la personne ne lui a pas donné son accord "
                "(identité, pour le traitement d'une orientation). Recueillez d'abord son consentement."
            )
            % {"operator": operator.short_name}
        )
    documents = list(documents or ())
    if any(d.person_id != person.pk for d in documents):
        raise ValidationError({"documents": _("Une pièce jointe n'appartient pas au dossier de cette personne.")})
    if (
        documents
        and not (
            Consent.objects.active_for(operator, Purpose.REFERRAL).filter(
                person=person, category=DataCategory.DOCUMENTS
            )
        ).exists()
    ):
        raise ValidationError(
            {
                "documents": _(
                    "%(operator)s ne peut pas recevoir ces pièces jointes : la personne ne lui a pas donné son "
                    "accord (pièces justificatives, pour le traitement d'une orientation)."
                )
                % {"operator": operator.short_name}
            }
        )
    now = timezone.now()
    with transaction.atomic():
        referral = Referral.objects.create(
            person=person,
            operator=operator,
            procedure=procedure,
            question=question,
            created_by=by,
            structure=by.structure,
            sent_at=now,
            deadline=deadline_for(operator, timezone.localdate(now)),
        )
        ReferralMessage.objects.create(referral=referral, author=by, kind=MessageKind.QUESTION, text=question)
        if documents:
            referral.documents.set(documents)
        record(
            JournalEvent.REFERRAL_SENT,
            actor=by,
            person=person,
            operator=operator,
            purpose=Purpose.REFERRAL,
            details={
                "referral_id": referral.pk,
                "procedure": procedure.slug if procedure else None,
                "deadline": referral.deadline.isoformat(),
                "documents": sorted(d.pk for d in documents),
            },
        )
        from carte_blanche.webhooks.events import referral_changed

        referral_changed(referral, created=True)
    return referral


def _check_side(referral: Referral, transition: Transition, by) -> None:
    side = TRANSITIONS[transition][2]
    if not (by.is_authenticated and by.is_active):
        raise PermissionDenied
    if side == "partner" and not (by.role == "partner_referent" and by.operator_id == referral.operator_id):
        raise PermissionDenied(_("Seul un référent de l'organisme destinataire peut faire cela."))
    if side == "agent" and not (by.role == "agent" and by.structure_id == referral.structure_id):
        raise PermissionDenied(_("Seul un agent de la structure qui a orienté peut faire cela."))


def transition(referral: Referral, name: Transition | str, *, by, text: str = "") -> Referral:
    """Move a referral along its lifecycle; illegal moves and missing texts change nothing."""
    name = Transition(name)
    text = (text or "").strip()
    with transaction.atomic():
        referral = Referral.objects.select_for_update().select_related("person", "operator").get(pk=referral.pk)
        _check_side(referral, name, by)
        target = next_status(referral.state, name)
        if name in NEEDS_TEXT and not text:
            raise ValidationError({"text": NEEDS_TEXT[name]})
        previous = referral.status
        referral.status = target.value
        now = timezone.now()
        if name in (Transition.ACCEPT, Transition.ANSWER, Transition.REFUSE, Transition.REQUEST_INFO):
            referral.handled_by = by
        if name is Transition.ANSWER or name is Transition.REFUSE:
            referral.answered_at = now
        if name is Transition.CLOSE:
            referral.closed_at = now
        if name is Transition.PROVIDE_INFO:
            # The partner gets its full delay again from the day the missing piece arrives.
            referral.deadline = deadline_for(referral.operator, timezone.localdate(now))
            referral.escalation_level = 0
        referral.save()
        if name in MESSAGE_KINDS:
            ReferralMessage.objects.create(referral=referral, author=by, kind=MESSAGE_KINDS[name], text=text)
        record(
            JournalEvent.REFERRAL_TRANSITION,
            actor=by,
            person=referral.person,
            operator=referral.operator,
            purpose=Purpose.REFERRAL,
            details={"referral_id": referral.pk, "transition": name.value, "from": previous, "to": target.value},
        )
        # Once closed, the person is asked whether the request was resolved.
        after_transition(referral, name)
        from carte_blanche.webhooks.events import referral_changed

        referral_changed(referral, created=False)
        if name in (Transition.ANSWER, Transition.REFUSE, Transition.REQUEST_INFO):
            transaction.on_commit(lambda: tell_of_answer(referral.pk, name.value))
    return referral
