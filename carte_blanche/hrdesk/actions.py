"""HR questions and the answers library: one atomic function per state change.

Companies are not persons: nothing here goes to the access journal. Each question keeps its
own history (``HrQuestionEvent``) and each library answer its versions (``AnswerVersion``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from carte_blanche.accounts.models import Role
from carte_blanche.documents.actions import detect_content_type
from carte_blanche.documents.scanning import scan
from carte_blanche.documents.storage import vault
from carte_blanche.employers.models import AdvisorProfile, HrTheme
from carte_blanche.hrdesk.models import (
    DEFAULT_FIRST_ANSWER_HOURS,
    Answer,
    AnswerVersion,
    EventKind,
    HrAttachment,
    HrMessage,
    HrQuestion,
    HrQuestionEvent,
    MessageKind,
    ServiceLevel,
)
from carte_blanche.hrdesk.notifications import tell_advisors_of_question, tell_of_transition
from carte_blanche.hrdesk.routing import route
from carte_blanche.hrdesk.states import Side, Transition, next_status, performed_by

MAX_ATTACHMENTS = 5
STORAGE_PREFIX = "hrdesk/"
MESSAGE_KINDS = {
    Transition.REQUEST_INFO: MessageKind.INFO_REQUEST,
    Transition.PROVIDE_INFO: MessageKind.INFO,
    Transition.ANSWER: MessageKind.ANSWER,
    Transition.REOPEN: MessageKind.REOPEN,
}
NEEDS_TEXT = {
    Transition.REQUEST_INFO: _("Précisez les informations attendues."),
    Transition.PROVIDE_INFO: _("Écrivez les précisions demandées."),
    Transition.ANSWER: _("Écrivez la réponse."),
    Transition.REOPEN: _("Dites ce qui reste à éclaircir."),
}


# --- who may do what ---------------------------------------------------------------------------


def is_advisor(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.HR_ADVISOR)


def is_centre_reader(user) -> bool:
    """Advisors and coordinators open any company's case file and questions."""
    return bool(user.is_authenticated and user.is_active and user.role in (Role.HR_ADVISOR, Role.COORDINATOR))


def is_member(user, employer) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.EMPLOYER
        and employer.members.filter(pk=user.pk).exists()
    )


def can_open_employer(user, employer) -> bool:
    return is_centre_reader(user) or is_member(user, employer)


def side_of(user, question: HrQuestion) -> Side | None:
    if is_advisor(user):
        return Side.ADVISOR
    if is_member(user, question.employer):
        return Side.EMPLOYER
    return None


# --- deadline and routing ----------------------------------------------------------------------


def first_answer_hours(theme: str) -> int:
    level = ServiceLevel.objects.filter(theme=theme).values_list("first_answer_hours", flat=True).first()
    return level or DEFAULT_FIRST_ANSWER_HOURS


def deadline_for(theme: str, start: dt.datetime) -> dt.datetime:
    """Calendar hours: the centre answers evenings and weekends included in its commitment."""
    return start + dt.timedelta(hours=first_answer_hours(theme))


def open_loads() -> dict[int, int]:
    rows = HrQuestion.objects.open().filter(assigned_to__isnull=False).values("assigned_to").annotate(n=Count("id"))
    return {row["assigned_to"]: row["n"] for row in rows}


def choose_advisor(employer, theme: str):
    """The advisor the routing picks for this company and theme, or None (the centre's queue)."""
    profiles = AdvisorProfile.objects.filter(active=True, user__is_active=True, user__role=Role.HR_ADVISOR)
    user_id = route(
        list(profiles), theme=theme, naf_code=employer.naf_code, headcount=employer.headcount, loads=open_loads()
    )
    if user_id is None:
        return None
    from carte_blanche.accounts.models import User

    return User.objects.get(pk=user_id)


# --- attachments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content: bytes
    content_type: str


def check_files(files) -> list[CheckedFile]:
    """Read and check uploads before anything is saved: real type (PDF, PNG, JPEG), size, antivirus."""
    files = [f for f in files or () if f]
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("%(n)s pièces jointes au plus.") % {"n": MAX_ATTACHMENTS}})
    limit = settings.DOCUMENT_MAX_BYTES
    checked = []
    for uploaded in files:
        too_big = _("« %(name)s » dépasse la taille maximale de %(mo)s Mo.") % {
            "name": uploaded.name,
            "mo": round(limit / 1_000_000),
        }
        if uploaded.size is not None and uploaded.size > limit:
            raise ValidationError({"attachments": too_big})
        uploaded.seek(0)
        content = uploaded.read(limit + 1)
        if len(content) > limit:
            raise ValidationError({"attachments": too_big})
        if not content:
            raise ValidationError({"attachments": _("« %(name)s » est vide.") % {"name": uploaded.name}})
        try:
            content_type = detect_content_type(content)
        except ValidationError:
            raise ValidationError(
                {"attachments": _("« %(name)s » n'est ni un PDF, ni une image PNG ou JPEG.") % {"name": uploaded.name}}
            ) from None
        try:
            scan(content)
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.messages}) from None
        checked.append(CheckedFile((uploaded.name or "piece")[-200:], content, content_type))
    return checked


@dataclass(frozen=True)
class StoredFile:
    checked: CheckedFile
    storage_name: str


def _save_to_vault(files: list[CheckedFile]) -> list[StoredFile]:
    """Write the files to the vault before the transaction; ``_discard`` removes them if it fails."""
    storage = vault()
    return [StoredFile(f, storage.save(STORAGE_PREFIX + secrets.token_hex(20), ContentFile(f.content))) for f in files]


def _discard(stored: list[StoredFile]) -> None:
    storage = vault()
    for item in stored:
        storage.delete(item.storage_name)


def _attach(question: HrQuestion, message: HrMessage, stored: list[StoredFile], by) -> None:
    for item in stored:
        HrAttachment.objects.create(
            question=question,
            message=message,
            filename=item.checked.filename,
            content_type=item.checked.content_type,
            size=len(item.checked.content),
            sha256=hashlib.sha256(item.checked.content).hexdigest(),
            storage_name=item.storage_name,
            uploaded_by=by,
        )


def open_attachment(user, attachment_id: int) -> tuple[HrAttachment, bytes]:
    """The attachment and its bytes, when the user may read its question (else DoesNotExist)."""
    attachment = HrAttachment.objects.select_related("question").get(
        pk=attachment_id, question__in=HrQuestion.objects.visible_to(user)
    )
    with vault().open(attachment.storage_name, "rb") as handle:
        return attachment, handle.read()


# --- questions ---------------------------------------------------------------------------------


def ask_question(employer, *, by, theme: str, subject: str, body: str, files=()) -> HrQuestion:
    """An employer account asks the centre; the question is routed and gets its deadline."""
    if not is_member(by, employer):
        raise PermissionDenied(_("Seul un compte de l'entreprise pose une question en son nom."))
    errors = {}
    if theme not in HrTheme.values:
        errors["theme"] = _("Choisissez un thème.")
    subject, body = (subject or "").strip(), (body or "").strip()
    if len(subject) < 5:
        errors["subject"] = _("Donnez un objet à votre question (5 caractères au moins).")
    if len(body) < 20:
        errors["body"] = _("Décrivez la situation en quelques phrases (20 caractères au moins).")
    if errors:
        raise ValidationError(errors)
    stored = _save_to_vault(check_files(files))
    try:
        question = _create_question(employer, by, theme, subject, body, stored)
    except BaseException:
        _discard(stored)
        raise
    return question


def _create_question(employer, by, theme, subject, body, stored) -> HrQuestion:
    now = timezone.now()
    with transaction.atomic():
        advisor = choose_advisor(employer, theme)
        question = HrQuestion.objects.create(
            employer=employer,
            asked_by=by,
            theme=theme,
            subject=subject[:200],
            body=body,
            assigned_to=advisor,
            asked_at=now,
            due_at=deadline_for(theme, now),
        )
        message = HrMessage.objects.create(question=question, author=by, kind=MessageKind.QUESTION, text=body)
        _attach(question, message, stored, by)
        HrQuestionEvent.objects.create(
            question=question, kind=EventKind.ASKED, actor=by, details={"due_at": question.due_at.isoformat()}
        )
        if advisor is not None:
            HrQuestionEvent.objects.create(question=question, kind=EventKind.ROUTED, details={"advisor": advisor.pk})
        else:
            HrQuestionEvent.objects.create(question=question, kind=EventKind.QUEUED)
        transaction.on_commit(lambda: tell_advisors_of_question(question.pk))
    return question


def transition(
    question: HrQuestion, name: Transition | str, *, by, text: str = "", files=(), library_answer: Answer | None = None
) -> HrQuestion:
    """Move a question along its lifecycle; illegal moves, wrong people and missing texts change nothing."""
    name = Transition(name)
    text = (text or "").strip()
    checked = check_files(files) if name in (Transition.PROVIDE_INFO, Transition.REOPEN) else []
    stored = _save_to_vault(checked)
    try:
        return _transition(question, name, by, text, stored, library_answer)
    except BaseException:
        _discard(stored)
        raise


def _transition(question, name: Transition, by, text: str, stored: list[StoredFile], library_answer) -> HrQuestion:
    with transaction.atomic():
        question = HrQuestion.objects.select_for_update().select_related("employer").get(pk=question.pk)
        side = side_of(by, question)
        if side is None or side not in performed_by(name):
            raise PermissionDenied(
                _("Seul un conseiller du centre peut faire cela.")
                if performed_by(name) == {Side.ADVISOR}
                else _("Seul un compte de l'entreprise peut faire cela.")
            )
        target = next_status(question.state, name)
        if name in NEEDS_TEXT and not text:
            raise ValidationError({"text": NEEDS_TEXT[name]})
        previous = question.status
        now = timezone.now()
        question.status = target.value
        if side is Side.ADVISOR and name in (Transition.TAKE, Transition.REQUEST_INFO, Transition.ANSWER):
            question.assigned_to = by
        if name is Transition.REQUEST_INFO:
            question.paused_at = now
        if name is Transition.PROVIDE_INFO:
            # The time spent waiting on the employer does not count against the centre.
            if question.paused_at:
                question.due_at += now - question.paused_at
            question.paused_at = None
            question.escalation_level = 0
        if name is Transition.ANSWER:
            question.answered_at = now
            if question.first_answered_at is None:
                question.first_answered_at = now
                question.first_answer_on_time = now <= question.due_at
        if name is Transition.REOPEN:
            # A follow-up gets the theme's full delay again.
            question.due_at = deadline_for(question.theme, now)
            question.escalation_level = 0
        if name is Transition.CLOSE:
            question.closed_at = now
        question.save()
        message = None
        if name in MESSAGE_KINDS:
            used = library_answer if name is Transition.ANSWER else None
            message = HrMessage.objects.create(
                question=question,
                author=by,
                kind=MESSAGE_KINDS[name],
                text=text,
                library_answer=used,
                library_version=used.version if used else None,
            )
            if used is not None:
                Answer.objects.filter(pk=used.pk).update(times_used=F("times_used") + 1)
            _attach(question, message, stored, by)
        details = {"transition": name.value, "from": previous, "to": target.value}
        if message is not None and message.library_answer_id:
            details["library_answer"] = message.library_answer_id
        HrQuestionEvent.objects.create(question=question, kind=EventKind.TRANSITION, actor=by, details=details)
        transaction.on_commit(lambda: tell_of_transition(question.pk, name.value, message.pk if message else 0))
    return question


# --- the answers library -----------------------------------------------------------------------


def save_answer(*, by, theme: str, title: str, body: str, sources: str = "", answer: Answer | None = None) -> Answer:
    """Write a library answer, or improve one: a new version, the previous ones kept."""
    if not is_advisor(by):
        raise PermissionDenied(_("Seul un conseiller du centre rédige les réponses types."))
    title, body, sources = (title or "").strip(), (body or "").strip(), (sources or "").strip()
    errors = {}
    if theme not in HrTheme.values:
        errors["theme"] = _("Choisissez un thème.")
    if len(title) < 5:
        errors["title"] = _("Donnez un titre (5 caractères au moins).")
    if len(body) < 20:
        errors["body"] = _("La réponse est trop courte.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        if answer is None:
            answer = Answer.objects.create(
                theme=theme, title=title, body=body, sources=sources, updated_by=by, updated_at=now
            )
        else:
            answer = Answer.objects.select_for_update().get(pk=answer.pk)
            if (answer.theme, answer.title, answer.body, answer.sources) == (theme, title, body, sources):
                return answer  # nothing changed: no new version
            answer.theme, answer.title, answer.body, answer.sources = theme, title, body, sources
            answer.version += 1
            answer.updated_by, answer.updated_at = by, now
            answer.save()
        AnswerVersion.objects.create(
            answer=answer,
            version=answer.version,
            theme=theme,
            title=title,
            body=body,
            sources=sources,
            updated_by=by,
            updated_at=now,
        )
    return answer
