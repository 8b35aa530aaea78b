"""The legal rules of contract drafts, each with its article (pure: no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from carte_blanche.contracts.rules import (
    Category,
    CddReason,
    Draft,
    Kind,
    ReducedHoursBasis,
    TrialUnit,
    check,
    trial_end,
)
from tests.contracts.conftest import SMIC, fields_of, replacement_cdd, sarah_cdi


def problems(draft: Draft):
    return check(draft, smic_hourly=SMIC)


def messages(draft: Draft, field: str) -> str:
    return " ".join(p.message for p in problems(draft) if p.field == field and p.blocking)


def test_sarahs_part_time_cdi_passes():
    assert fields_of(problems(sarah_cdi())) == set()


def test_a_replacement_cdd_passes():
    assert fields_of(problems(replacement_cdd())) == set()


def test_a_blank_draft_lists_every_mandatory_information():
    found = fields_of(check(Draft()))
    assert {"employee_last_name", "job_title", "qualification", "workplace", "start_date"} <= found
    assert "R1221-34" in " ".join(p.message for p in check(Draft()))


def test_the_draft_round_trips_through_json():
    draft = replacement_cdd()
    assert Draft.from_dict(draft.to_dict()) == draft


# --- trial period


@pytest.mark.parametrize(
    ("category", "months", "ok"),
    [
        (Category.EMPLOYEE, 2, True),
        (Category.EMPLOYEE, 3, False),
        (Category.SUPERVISOR, 3, True),
        (Category.SUPERVISOR, 4, False),
        (Category.MANAGER, 4, True),
        (Category.MANAGER, 5, False),
    ],
)
def test_cdi_trial_period_maximum_by_category(category, months, ok):
    draft = sarah_cdi(category=category, trial_value=months, trial_unit=TrialUnit.MONTHS)
    assert ("trial_value" not in fields_of(problems(draft))) is ok
    if not ok:
        assert "L1221-19" in messages(draft, "trial_value")


def test_cdi_trial_period_in_days_is_compared_with_the_calendar():
    # From 1 December, two months run to 31 January: 62 days.
    assert "trial_value" in fields_of(problems(sarah_cdi(trial_value=63, trial_unit=TrialUnit.DAYS)))
    assert "trial_value" not in fields_of(problems(sarah_cdi(trial_value=62, trial_unit=TrialUnit.DAYS)))


def test_short_cdd_trial_is_one_day_per_week_up_to_two_weeks():
    # 4 weeks of contract: 4 days at most.
    short = replacement_cdd(end_date=dt.date(2026, 12, 28), trial_value=5, trial_unit=TrialUnit.DAYS)
    assert "L1242-10" in messages(short, "trial_value")
    assert "trial_value" not in fields_of(problems(replacement_cdd(end_date=dt.date(2026, 12, 28), trial_value=4)))
    # Six months at most: never beyond two weeks.
    assert "trial_value" in fields_of(problems(replacement_cdd(end_date=dt.date(2027, 5, 31), trial_value=15)))


def test_long_cdd_trial_is_one_month_at_most():
    long = replacement_cdd(end_date=dt.date(2027, 11, 30), trial_value=1, trial_unit=TrialUnit.MONTHS)
    assert "trial_value" not in fields_of(problems(long))
    long.trial_value = 5
    long.trial_unit = TrialUnit.WEEKS
    assert "L1242-10" in messages(long, "trial_value")


def test_trial_end_counts_calendar_months():
    assert trial_end(sarah_cdi(trial_value=2)) == dt.date(2027, 1, 31)


# --- CDD reasons and forbidden uses


def test_a_cdd_needs_a_legal_reason():
    text = messages(replacement_cdd(cdd_reason="poste_permanent"), "cdd_reason")
    assert "L1242-2" in text and "L1242-1" in text


@pytest.mark.parametrize("reason", list(CddReason))
def test_every_legal_reason_is_accepted(reason):
    draft = replacement_cdd(cdd_reason=reason.value, end_date=dt.date(2027, 5, 31))
    assert "cdd_reason" not in fields_of(problems(draft))


def test_replacement_names_the_replaced_person():
    draft = replacement_cdd(replaced_name="", replaced_job="")
    assert {"replaced_name", "replaced_job"} <= fields_of(problems(draft))
    assert "L1242-12" in messages(draft, "replaced_name")


def test_the_precise_reason_is_mandatory():
    assert "L1242-12" in messages(replacement_cdd(cdd_reason_detail=""), "cdd_reason_detail")


def test_replacing_a_striker_is_refused():
    assert "L1242-6" in messages(replacement_cdd(replaced_on_strike=True), "replaced_on_strike")


def test_dangerous_work_is_refused():
    assert "L1242-6" in messages(replacement_cdd(dangerous_work=True), "dangerous_work")


def test_temporary_increase_after_an_economic_dismissal_is_refused():
    draft = replacement_cdd(
        cdd_reason=CddReason.TEMPORARY_INCREASE.value, economic_dismissal_6_months=True, end_date=dt.date(2027, 5, 31)
    )
    assert "L1242-5" in messages(draft, "economic_dismissal_6_months")
    # Except a contract of three months at most that is not renewable.
    draft.end_date, draft.trial_value = dt.date(2027, 2, 15), 5
    assert "economic_dismissal_6_months" not in fields_of(problems(draft))


def test_the_cdd_names_its_pension_fund():
    assert "L1242-12" in messages(replacement_cdd(pension_fund=""), "pension_fund")


# --- CDD term, duration, renewals


def test_temporary_increase_needs_a_precise_term():
    draft = replacement_cdd(cdd_reason=CddReason.TEMPORARY_INCREASE.value, end_date=None, minimum_weeks=8)
    assert "L1242-7" in messages(draft, "end_date")


def test_replacement_without_precise_term_needs_a_minimum_duration():
    draft = replacement_cdd(end_date=None, trial_value=0)
    assert "L1242-7" in messages(draft, "minimum_weeks")
    draft.minimum_weeks = 12
    assert fields_of(problems(draft)) == set()


def test_eighteen_months_at_most_in_the_general_case():
    ok = replacement_cdd(end_date=dt.date(2028, 5, 31), trial_value=0)
    too_long = replacement_cdd(end_date=dt.date(2028, 6, 1), trial_value=0)
    assert "end_date" not in fields_of(problems(ok))
    assert "L1242-8-1" in messages(too_long, "end_date")


def test_nine_months_while_awaiting_a_cdi_hire():
    draft = replacement_cdd(cdd_reason=CddReason.AWAITING_HIRE.value, end_date=dt.date(2027, 9, 1), trial_value=0)
    assert "9 mois" in messages(draft, "end_date")


def test_twenty_four_months_before_a_post_is_abolished():
    draft = replacement_cdd(
        cdd_reason=CddReason.DEFINITIVE_DEPARTURE.value, end_date=dt.date(2028, 11, 30), trial_value=0
    )
    assert "end_date" not in fields_of(problems(draft))


def test_the_branch_agreement_may_set_another_maximum():
    draft = replacement_cdd(end_date=dt.date(2028, 8, 31), trial_value=0, branch_max_months=24)
    assert "end_date" not in fields_of(problems(draft))


def test_two_renewals_at_most():
    assert "renewals" not in fields_of(problems(replacement_cdd(renewals=2)))
    assert "L1243-13-1" in messages(replacement_cdd(renewals=3), "renewals")
    assert "renewals" not in fields_of(problems(replacement_cdd(renewals=3, branch_max_renewals=3)))


# --- part time


def test_hours_and_their_distribution_are_mandatory():
    draft = sarah_cdi(monthly_hours=None, weekly_hours=None)
    assert "L3123-6" in messages(draft, "monthly_hours")
    assert "L3123-6" in messages(sarah_cdi(distribution={}), "distribution")


def test_the_distribution_adds_up_to_the_weekly_hours():
    assert "L3123-6" in messages(sarah_cdi(distribution={"lundi": 6.0, "mardi": 6.0}), "distribution")


def test_change_cases_and_schedule_notice_are_mandatory():
    found = fields_of(problems(sarah_cdi(distribution_changes="", schedule_notice="")))
    assert {"distribution_changes", "schedule_notice"} <= found


def test_twenty_four_hours_a_week_at_least_unless_an_exception_is_recorded():
    draft = sarah_cdi(monthly_hours=86.67, distribution={"lundi": 5.0, "mardi": 5.0, "mercredi": 5.0, "jeudi": 5.0})
    assert "L3123-27" in messages(draft, "monthly_hours")
    draft.reduced_hours_basis = ReducedHoursBasis.EMPLOYEE_REQUEST
    assert "monthly_hours" not in fields_of(problems(draft))
    assert any("L3123-7" in p.message for p in problems(draft) if not p.blocking)


def test_the_student_exception_is_for_under_26():
    draft = sarah_cdi(
        monthly_hours=86.67,
        distribution={"lundi": 5.0, "mardi": 5.0, "mercredi": 5.0, "jeudi": 5.0},
        reduced_hours_basis=ReducedHoursBasis.STUDENT,
    )
    assert "L3123-7" in messages(draft, "reduced_hours_basis")


def test_a_replacement_cdd_may_be_under_24_hours():
    draft = replacement_cdd(
        part_time=True, weekly_hours=10.0, distribution={"lundi": 5.0, "mardi": 5.0}, gross_monthly_salary=600.0
    )
    assert fields_of(problems(draft)) == set()


def test_part_time_is_under_35_hours():
    week = dict.fromkeys(("lundi", "mardi", "mercredi", "jeudi", "vendredi"), 7.0)
    draft = sarah_cdi(weekly_hours=35.0, monthly_hours=None, distribution=week, gross_monthly_salary=1900.0)
    assert "L3123-1" in messages(draft, "weekly_hours")


def test_complementary_hours_limits():
    assert "L3123-20" in messages(sarah_cdi(complementary_percent=20), "complementary_percent")
    with_agreement = sarah_cdi(complementary_percent=20, complementary_branch=True)
    assert "complementary_percent" not in fields_of(problems(with_agreement))
    with_agreement.complementary_percent = 40
    assert "L3123-21" in messages(with_agreement, "complementary_percent")
    near_full = sarah_cdi(
        weekly_hours=33.0, monthly_hours=None, gross_monthly_salary=1800.0,
        distribution={"lundi": 7.0, "mardi": 7.0, "mercredi": 7.0, "jeudi": 6.0, "vendredi": 6.0},
    )  # fmt: skip
    assert "L3123-9" in messages(near_full, "complementary_percent")


# --- salary


def test_salary_not_under_the_prorated_smic():
    # 104 h × 12,31 € = 1 280,24 €
    text = messages(sarah_cdi(gross_monthly_salary=1280.0), "gross_monthly_salary")
    assert "SMIC" in text and "L3231" in text and "1 280,24" in text
    assert "gross_monthly_salary" not in fields_of(problems(sarah_cdi(gross_monthly_salary=1280.24)))


def test_full_time_salary_is_compared_with_151_67_hours():
    assert "gross_monthly_salary" in fields_of(problems(replacement_cdd(gross_monthly_salary=1860.0)))


def test_a_collective_agreement_adds_a_warning_on_its_minimum():
    assert "gross_monthly_salary" in fields_of(problems(sarah_cdi()), blocking=False)


def test_kind_labels():
    assert Kind.CDD.label.startswith("Contrat à durée déterminée")
