"""Celery tasks of the mobility service (eager in development: they run in the request)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task(name="mobility.dispatch_day")
def dispatch_day_task(day: str, trigger: str = "manual") -> dict:
    from carte_blanche.mobility.dispatching import dispatch_day

    run = dispatch_day(dt.date.fromisoformat(day), trigger=trigger)
    return {"day": day, "served": run.served, "unserved": run.unserved, "legs": run.legs}


@shared_task(name="mobility.dispatch_coming_days")
def dispatch_coming_days() -> int:
    """Plan each of the coming days that has open legs (the periodic run)."""
    from carte_blanche.mobility.dispatching import days_to_plan, dispatch_day

    days = days_to_plan()
    for day in days:
        dispatch_day(day, trigger="periodic")
    return len(days)


@shared_task(name="mobility.expire_proposals")
def expire_proposals_task() -> int:
    from carte_blanche.mobility.actions import expire_proposals

    return expire_proposals()


@shared_task(name="mobility.remind_drivers")
def remind_drivers_task() -> int:
    """The day before, each driver gets the list of tomorrow's rides; past days are closed."""
    from carte_blanche.mobility.actions import close_past_days
    from carte_blanche.mobility.reminders import remind_drivers

    close_past_days()
    return remind_drivers(timezone.localdate() + dt.timedelta(days=1))
