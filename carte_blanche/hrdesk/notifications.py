"""Telling advisors and employer accounts what happened to a question, by e-mail (messaging.notify)."""

from __future__ import annotations

from carte_blanche.messaging.notify import notify_user

# Transition → (who is told, template key)
TOLD = {
    "request_info": ("employer", "hrdesk.employer.request_info"),
    "answer": ("employer", "hrdesk.employer.answer"),
    "provide_info": ("advisor", "hrdesk.advisor.info"),
    "reopen": ("advisor", "hrdesk.advisor.reopen"),
}


def _values(question) -> dict:
    return {"id": question.pk, "subject": question.subject, "employer": question.employer.name}


def queue_advisors(question):
    """Advisors who may take an unassigned question: active, and covering its theme, sector and size."""
    from carte_blanche.employers.models import AdvisorProfile

    profiles = AdvisorProfile.objects.filter(active=True, user__is_active=True, user__role="hr_advisor").select_related(
        "user"
    )
    employer = question.employer
    return [p.user for p in profiles if p.covers(question.theme, employer.naf_code, employer.headcount)]


def tell_advisors_of_question(question_id: int) -> None:
    from carte_blanche.hrdesk.models import HrQuestion

    question = HrQuestion.objects.select_related("employer", "assigned_to").get(pk=question_id)
    advisors = [question.assigned_to] if question.assigned_to else queue_advisors(question)
    for advisor in advisors:
        if advisor.email:
            notify_user(
                advisor,
                "hrdesk.advisor.new",
                key=f"hrdesk:{question.pk}:asked:user{advisor.pk}",
                values={**_values(question), "due": f"{question.due_at:%d/%m/%Y %H:%M}"},
                related=("hr_question", question.pk),
            )


def tell_of_transition(question_id: int, transition: str, message_id: int) -> None:
    if transition not in TOLD:
        return
    from carte_blanche.hrdesk.models import HrQuestion

    question = HrQuestion.objects.select_related("employer", "assigned_to").get(pk=question_id)
    side, template = TOLD[transition]
    if side == "employer":
        recipients = list(question.employer.members.filter(is_active=True))
    else:
        recipients = [question.assigned_to] if question.assigned_to else queue_advisors(question)
    for user in recipients:
        if user.email:
            notify_user(
                user,
                template,
                key=f"hrdesk:{question.pk}:{transition}:{message_id}:user{user.pk}",
                values=_values(question),
                related=("hr_question", question.pk),
            )
