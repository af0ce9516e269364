"""When debits fall (donations.debit_calendar)."""

from datetime import date, timedelta

import pytest

from donations import debit_calendar


@pytest.mark.parametrize(
    ("confirmed_on", "debit_day", "expected"),
    [
        # 14 days later is 11 Dec: the 15th of December comes first.
        (date(2026, 11, 27), 15, date(2026, 12, 15)),
        # The 5th of December is too early: 5 January 2027 (a Tuesday).
        (date(2026, 11, 27), 5, date(2027, 1, 5)),
        # Exactly 14 days before the debit day is enough.
        (date(2026, 6, 1), 15, date(2026, 6, 15)),
        # 15 August 2026 is a Saturday: moved to Monday 17th.
        (date(2026, 7, 20), 15, date(2026, 8, 17)),
        # 5 April 2026 is Easter Sunday, 6 April Easter Monday: Tuesday 7th.
        (date(2026, 3, 10), 5, date(2026, 4, 7)),
        # 1 May 2026 (Friday, a TARGET2 holiday): Monday 4 May for a debit on the 1st.
        (date(2026, 4, 1), 1, date(2026, 5, 4)),
        # 26 December 2025 is a Friday and a holiday; 25th too: Monday 29th.
        (date(2025, 12, 1), 26, date(2025, 12, 29)),
        # Good Friday 3 April 2026: Tuesday 7 April (Easter Monday in between).
        (date(2026, 3, 1), 3, date(2026, 4, 7)),
    ],
)
def test_the_first_debit_is_on_a_target2_business_day_at_least_14_days_later(
    confirmed_on, debit_day, expected
):
    first = debit_calendar.first_debit_date(confirmed_on, debit_day)
    assert first == expected
    assert (first - confirmed_on).days >= 14


def test_target2_holidays_of_2026():
    assert debit_calendar.target2_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 12, 25),
        date(2026, 12, 26),
    }


def test_the_schedule_moves_each_month_to_a_business_day():
    assert debit_calendar.debit_dates(date(2026, 12, 15), 15, 3) == [
        date(2026, 12, 15),
        date(2027, 1, 15),
        date(2027, 2, 15),
    ]
    # 5 September 2026 is a Saturday.
    assert debit_calendar.debit_dates(date(2026, 8, 5), 5, 2) == [
        date(2026, 8, 5),
        date(2026, 9, 7),
    ]


@pytest.mark.parametrize("debit_day", [1, 5, 15, 28])
def test_every_confirmation_day_of_two_years_gives_the_first_allowed_business_day(debit_day):
    day = date(2026, 1, 1)
    while day < date(2028, 1, 1):
        first = debit_calendar.first_debit_date(day, debit_day)
        assert debit_calendar.is_business_day(first), (day, first)
        assert (first - day).days >= 14, (day, first)
        # The nominal date is the first ``debit_day`` at least 14 days on, at most a month
        # and a few holidays later.
        assert (first - day).days <= 14 + 31 + 4, (day, first)
        nominal = first
        while nominal.day != debit_day:
            nominal -= timedelta(days=1)
        assert (nominal - day).days >= 14 and (nominal - day).days < 14 + 31, (day, first)
        day += timedelta(days=1)


@pytest.mark.parametrize("debit_day", [0, 29, 31])
def test_a_debit_day_that_some_months_lack_is_refused(debit_day):
    with pytest.raises(ValueError):
        debit_calendar.first_debit_date(date(2026, 1, 20), debit_day)
