"""Asking the question and recording its answer."""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.messaging.sms import SmsError, send_sms
from carte_blanche.satisfaction.models import (
    COMMENT_MAX_LENGTH,
    VALIDITY,
    AboutKind,
    SatisfactionSurvey,
    SurveyChannel,
    hash_token,
)

logger = logging.getLogger(__name__)

SMS_LIMIT = 160  # one GSM-7 segment
SMS_TEXT = "Carte Blanche : votre demande à {operator} est-elle résolue ? Répondez ici : {link}"
SMS_SHORT_TEXT = "Carte Blanche : votre demande est-elle résolue ? Répondez ici : {link}"

UNKNOWN = _("Ce lien n'est pas valable. Vérifiez qu'il est complet, tel qu'il figure dans le SMS.")
ALREADY = _("Vous avez déjà répondu à cette question. Merci !")
EXPIRED = _("Ce lien a expiré : la question n'attend plus de réponse. Merci quand même !")


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 43 url-safe characters


def public_link(token: str) -> str:
    return settings.CB_PUBLIC_URL.rstrip("/") + reverse("web:satisfaction_answer", args=[token])


def sms_text(operator_name: str, link: str) -> str:
    """One SMS when it fits (the operator's name is dropped before going over 160 characters)."""
    text = SMS_TEXT.format(operator=operator_name, link=link)
    if len(text) > SMS_LIMIT:
        text = SMS_SHORT_TEXT.format(link=link)
    return text


def _create(**fields) -> tuple[SatisfactionSurvey, str]:
    token = new_token()
    now = timezone.now()
    survey = SatisfactionSurvey.objects.create(
        token_hash=hash_token(token), created_at=now, expires_at=now + VALIDITY, **fields
    )
    return survey, token


def ask_after_referral(referral) -> SatisfactionSurvey:
    """Ask the person of a closed referral: by an SMS link if they prefer SMS, else at their next visit.

    Asked once per referral: a second call returns the existing question. The SMS leaves after commit.
    """
    existing = SatisfactionSurvey.objects.filter(about_kind=AboutKind.REFERRAL, about_id=referral.pk).first()
    if existing is not None:
        return existing
    person = referral.person
    by_sms = person.preferred_channel == "sms" and bool(person.phone)
    with transaction.atomic():
        survey, token = _create(
            person=person,
            about_kind=AboutKind.REFERRAL,
            about_id=referral.pk,
            structure_id=referral.structure_id,
            operator_id=referral.operator_id,
            channel=SurveyChannel.SMS if by_sms else SurveyChannel.COUNTER,
        )
    if by_sms:
        text = sms_text(referral.operator.short_name, public_link(token))
        phone = person.phone

        def send() -> None:
            try:
                send_sms(phone, text)
            except SmsError:
                logger.warning("SMS de satisfaction non envoyé (question %s)", survey.pk)

        transaction.on_commit(send)
    return survey


def record_counter_answer(visit, resolved: bool, by) -> SatisfactionSurvey:
    """The agent notes, at the end of a visit, whether the person's request was resolved."""
    if not (by.is_authenticated and by.is_active and by.role == "agent" and by.structure_id == visit.structure_id):
        raise PermissionDenied(_("Seul un agent de la structure de la visite peut noter sa réponse."))
    if not isinstance(resolved, bool):
        raise ValidationError({"resolved": _("Répondez par oui ou par non.")})
    if SatisfactionSurvey.objects.filter(about_kind=AboutKind.VISIT, about_id=visit.pk).exists():
        raise ValidationError(_("La réponse pour cette visite est déjà notée."), code="answered")
    with transaction.atomic():
        survey, _token = _create(
            person_id=visit.person_id,
            about_kind=AboutKind.VISIT,
            about_id=visit.pk,
            structure_id=visit.structure_id,
            operator=None,
            channel=SurveyChannel.COUNTER,
        )
        survey.answered_at = survey.created_at
        survey.resolved = resolved
        survey.save(update_fields=["answered_at", "resolved"])
    return survey


def find(token: str) -> SatisfactionSurvey:
    """The question behind a link, if it still waits for an answer; a French ValidationError otherwise."""
    survey = SatisfactionSurvey.objects.filter(token_hash=hash_token(token or "")).first()
    _check_open(survey)
    return survey


def _check_open(survey: SatisfactionSurvey | None) -> None:
    if survey is None or survey.channel != SurveyChannel.SMS:
        raise ValidationError(UNKNOWN, code="unknown")
    if survey.is_answered:
        raise ValidationError(ALREADY, code="answered")
    if survey.is_expired():
        raise ValidationError(EXPIRED, code="expired")


def answer(token: str, resolved: bool, comment: str = "") -> SatisfactionSurvey:
    """The person's answer from the public page: once only, before the link expires."""
    if not isinstance(resolved, bool):
        raise ValidationError({"resolved": _("Touchez « Oui » ou « Non ».")}, code="invalid")
    comment = " ".join((comment or "").split())
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"comment": _("Le commentaire est limité à %(max)d caractères.") % {"max": COMMENT_MAX_LENGTH}},
            code="invalid",
        )
    with transaction.atomic():
        survey = SatisfactionSurvey.objects.select_for_update().filter(token_hash=hash_token(token or "")).first()
        _check_open(survey)
        survey.answered_at = timezone.now()
        survey.resolved = resolved
        survey.comment = comment
        survey.save(update_fields=["answered_at", "resolved", "comment"])
    return survey
