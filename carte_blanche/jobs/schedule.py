"""The working schedule of an offer, as plain data (pure module).

The solidarity-mobility service will ask "can a volunteer driver take this person there on
these days, arriving before the start and leaving after the end?": it needs the weekdays and
the times, not a sentence. ``WorkSchedule.to_dict()`` is the form it will read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Weekday(StrEnum):
    MONDAY = "mon"
    TUESDAY = "tue"
    WEDNESDAY = "wed"
    THURSDAY = "thu"
    FRIDAY = "fri"
    SATURDAY = "sat"
    SUNDAY = "sun"


WEEKDAY_LABELS = {
    Weekday.MONDAY: "lundi",
    Weekday.TUESDAY: "mardi",
    Weekday.WEDNESDAY: "mercredi",
    Weekday.THURSDAY: "jeudi",
    Weekday.FRIDAY: "vendredi",
    Weekday.SATURDAY: "samedi",
    Weekday.SUNDAY: "dimanche",
}
ORDER = list(Weekday)


def time_fr(value: dt.time) -> str:
    return f"{value.hour} h {value.minute:02d}"


@dataclass(frozen=True)
class WorkSchedule:
    weekdays: tuple[Weekday, ...] = ()
    start: dt.time | None = None
    end: dt.time | None = None
    note: str = ""

    @classmethod
    def build(cls, weekdays, start=None, end=None, note="") -> WorkSchedule:
        days = sorted({Weekday(d) for d in weekdays or ()}, key=ORDER.index)
        return cls(tuple(days), start, end, (note or "").strip())

    @property
    def is_known(self) -> bool:
        """Days and times both given: enough for a later ride check."""
        return bool(self.weekdays) and self.start is not None and self.end is not None

    def problems(self) -> dict[str, str]:
        """Field → message; the times go together, and the day ends after it starts."""
        errors = {}
        if (self.start is None) != (self.end is None):
            errors["end_time" if self.end is None else "start_time"] = (
                "Indiquez l'heure de début et l'heure de fin, ou aucune des deux."
            )
        elif self.start is not None and self.end is not None and self.end <= self.start:
            errors["end_time"] = "L'heure de fin doit suivre l'heure de début (un poste de nuit : précisez-le en note)."
        return errors

    def days_label(self) -> str:
        names = [WEEKDAY_LABELS[d] for d in self.weekdays]
        if len(names) >= 3 and [ORDER.index(d) for d in self.weekdays] == list(
            range(ORDER.index(self.weekdays[0]), ORDER.index(self.weekdays[-1]) + 1)
        ):
            return f"du {names[0]} au {names[-1]}"
        if len(names) > 1:
            return ", ".join(names[:-1]) + " et " + names[-1]
        return names[0] if names else ""

    def describe(self) -> str:
        parts = []
        if self.weekdays:
            parts.append(self.days_label())
        if self.start is not None and self.end is not None:
            parts.append(f"de {time_fr(self.start)} à {time_fr(self.end)}")
        text = ", ".join(parts)
        if self.note:
            text = f"{text} ({self.note})" if text else self.note
        return text[:1].upper() + text[1:] if text else "Horaires non précisés"

    def to_dict(self) -> dict:
        return {
            "weekdays": [d.value for d in self.weekdays],
            "start": self.start.strftime("%H:%M") if self.start else None,
            "end": self.end.strftime("%H:%M") if self.end else None,
            "note": self.note,
        }
