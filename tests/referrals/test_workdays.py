import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from carte_blanche.referrals.workdays import add_working_days, is_working_day, working_days_between


def test_weekends_and_public_holidays_are_skipped():
    # Friday 8 May 2026 is Victory Day; Thursday 14 May is Ascension.
    assert add_working_days(dt.date(2026, 5, 7), 1) == dt.date(2026, 5, 11)
    assert add_working_days(dt.date(2026, 5, 13), 1) == dt.date(2026, 5, 15)
    # Sent on a Friday, 5 working days: the next Friday.
    assert add_working_days(dt.date(2026, 11, 20), 5) == dt.date(2026, 11, 27)
    # Around Christmas and New Year.
    assert add_working_days(dt.date(2026, 12, 24), 2) == dt.date(2026, 12, 29)


@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(0, 30))
def test_the_deadline_is_a_working_day_exactly_n_working_days_later(start, days):
    end = add_working_days(start, days)
    assert working_days_between(start, end) == days
    assert days == 0 or is_working_day(end)
