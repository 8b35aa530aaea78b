"""Telling the agent (e-mail) and the person (their channel) that a partner answered.

Everything goes through :mod:`carte_blanche.messaging.notify`: an SMS or an e-mail leaves at once,
a letter waits to be printed and a call to be made in the agent's "Courriers et appels" list.
"""

from __future__ import annotations

from carte_blanche.messaging.notify import notify_person, notify_user

# Transitions the person is told of (a request for information concerns only the agent).
PERSON_TRANSITIONS = ("answer", "refuse")


def tell_of_answer(referral_id: int, transition: str) -> None:
    from carte_blanche.referrals.models import Referral

    referral = Referral.objects.select_related("person", "operator", "created_by").get(pk=referral_id)
    # The message the transition just wrote makes each answer (and each new request) its own event.
    last_message = referral.messages.order_by("-created_at", "-id").values_list("pk", flat=True).first()
    event = f"referral:{referral.pk}:{transition}:{last_message or 0}"
    values = {"id": referral.pk, "operator": referral.operator.short_name, "operator_name": referral.operator.name}
    related = ("referral", referral.pk)
    if referral.created_by.email:
        notify_user(
            referral.created_by, f"referral.agent.{transition}", key=f"{event}:agent", values=values, related=related
        )
    if transition in PERSON_TRANSITIONS:
        notify_person(referral.person, f"referral.{transition}", key=f"{event}:person", values=values, related=related)
