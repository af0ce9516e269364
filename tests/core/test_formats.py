from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.formats import (
    NBSP,
    format_date,
    format_int,
    format_moment,
    format_money,
    french_typography,
)


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        (594400, f"594{NBSP}400", "594,400"),
        (2000000, f"2{NBSP}000{NBSP}000", "2,000,000"),
        (999, "999", "999"),
    ],
)
def test_numbers_are_grouped_the_way_of_each_language(value, fr, en):
    assert format_int(value, "fr") == fr
    assert format_int(value, "en") == en


def test_money_always_has_two_decimals():
    assert format_money(Decimal("5.1"), "fr") == f"5,10{NBSP}€"
    assert format_money(Decimal("1000"), "fr") == f"1{NBSP}000,00{NBSP}€"
    assert format_money(Decimal("5.1"), "en") == "€5.10"


@pytest.mark.parametrize(
    ("value", "precision", "fr", "en"),
    [
        (date(2024, 8, 1), "day", "1er août 2024", "August 1, 2024"),
        (date(2022, 3, 24), "day", "24 mars 2022", "March 24, 2022"),
        (date(2016, 4, 1), "month", "avril 2016", "April 2016"),
        (date(2023, 1, 1), "year", "2023", "2023"),
    ],
)
def test_dates_are_written_to_their_precision(value, precision, fr, en):
    assert format_date(value, precision, "fr") == fr
    assert format_date(value, precision, "en") == en


def test_french_typography_puts_no_break_spaces_where_they_belong():
    assert french_typography("Merci ! Vraiment ?") == f"Merci{NBSP}! Vraiment{NBSP}?"
    assert french_typography("«Liberté»") == f"«{NBSP}Liberté{NBSP}»"
    assert french_typography("voir https://exemple.org") == "voir https://exemple.org"
    assert (
        french_typography("dans la limite de 20 % du revenu")
        == f"dans la limite de 20{NBSP}% du revenu"
    )


def test_french_typography_curls_apostrophes_between_letters_only():
    assert french_typography("l'appel d'« urgence » aujourd'hui") == (
        f"l’appel d’«{NBSP}urgence{NBSP}» aujourd’hui"
    )
    assert french_typography("<a href='/x'>Q'eqchi'</a>") == "<a href='/x'>Q’eqchi'</a>"


def test_a_moment_is_its_date_then_its_time():
    moment = datetime(2024, 8, 1, 9, 5, tzinfo=ZoneInfo("Europe/Paris"))
    assert format_moment(moment, "fr") == "1er août 2024 à 09:05"
    assert format_moment(moment, "en") == "August 1, 2024 at 09:05"
