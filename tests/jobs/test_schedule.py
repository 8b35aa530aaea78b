"""The work schedule stays structured data for the future ride check."""

import datetime as dt

from carte_blanche.jobs.schedule import WorkSchedule


def test_weekdays_are_ordered_and_described_in_french():
    schedule = WorkSchedule.build(["fri", "mon", "wed", "tue", "thu"], dt.time(8, 30), dt.time(16, 30), "pause 1 h")
    assert schedule.describe() == "Du lundi au vendredi, de 8 h 30 à 16 h 30 (pause 1 h)"
    assert schedule.is_known
    assert schedule.to_dict() == {
        "weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "start": "08:30",
        "end": "16:30",
        "note": "pause 1 h",
    }


def test_separate_days_and_unknown_schedule():
    assert WorkSchedule.build(["sat", "mon"]).describe() == "Lundi et samedi"
    assert WorkSchedule.build([]).describe() == "Horaires non précisés"
    assert not WorkSchedule.build(["mon"]).is_known


def test_times_go_together_and_end_after_start():
    assert "start_time" in WorkSchedule.build(["mon"], None, dt.time(12, 0)).problems()
    assert "end_time" in WorkSchedule.build(["mon"], dt.time(12, 0), dt.time(8, 0)).problems()
    assert WorkSchedule.build(["mon"], dt.time(8, 0), dt.time(12, 0)).problems() == {}
