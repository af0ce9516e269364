"""When debits fall: TARGET2 business days, the 14-day pre-notification, the monthly dates.

The TARGET2 closing days come from the pinned ``holidays`` library's ECB calendar
(``holidays.financial_holidays("XECB")``: 1 January, Good Friday, Easter Monday, 1 May,
25 and 26 December). No Django import: tested directly.
"""

from datetime import date, timedelta
from functools import cache

import holidays

PRENOTIFICATION_DAYS = 14


@cache
def target2_holidays(year: int) -> frozenset[date]:
    """The weekdays TARGET2 is closed in ``year``."""
    return frozenset(holidays.financial_holidays("XECB", years=year))


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in target2_holidays(day.year)


def next_business_day(day: date) -> date:
    """``day`` itself when TARGET2 is open, else the next day it is."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def _add_month(day: date, debit_day: int) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, debit_day)


def first_debit_date(confirmed_on: date, debit_day: int) -> date:
    """The first debit: on ``debit_day`` of the month, at least 14 days after the
    confirmation (the pre-notification delay), moved to the next TARGET2 business day."""
    if not 1 <= debit_day <= 28:
        raise ValueError("debit_day must be between 1 and 28")
    earliest = confirmed_on + timedelta(days=PRENOTIFICATION_DAYS)
    nominal = date(earliest.year, earliest.month, debit_day)
    if nominal < earliest:
        nominal = _add_month(nominal, debit_day)
    return next_business_day(nominal)


def debit_dates(start: date, debit_day: int, count: int) -> list[date]:
    """``count`` monthly debit dates from the first one, each moved to a business day."""
    dates = [start]
    nominal = date(start.year, start.month, debit_day)
    while len(dates) < count:
        nominal = _add_month(nominal, debit_day)
        dates.append(next_business_day(nominal))
    return dates
