"""What the other apps call: kept small so that importing it pulls in nothing else."""

from __future__ import annotations


def after_transition(referral, name) -> None:
    """Call inside ``referrals.actions.transition`` (same transaction): a closed referral asks its question."""
    if str(name) != "close":
        return
    from carte_blanche.satisfaction.actions import ask_after_referral

    ask_after_referral(referral)
