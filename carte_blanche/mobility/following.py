"""The appointments hook: rides follow their appointment (registered in ``apps.py``)."""

from __future__ import annotations


def follow_appointment(old, new, by) -> None:
    from carte_blanche.mobility.actions import follow_appointment_change

    follow_appointment_change(old, new, by)
