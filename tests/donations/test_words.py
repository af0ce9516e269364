from decimal import Decimal

import pytest

from donations.words import amount_in_words, cardinal


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1", "un euro"),
        ("80", "quatre-vingts euros"),
        ("81", "quatre-vingt-un euros"),
        ("180", "cent quatre-vingts euros"),
        ("200", "deux cents euros"),
        ("201", "deux cent un euros"),
        ("1000000", "un million d\u2019euros"),
        ("0.50", "cinquante centimes"),
        # Further cases of the same rules.
        ("0", "zéro euro"),
        ("2", "deux euros"),
        ("21", "vingt et un euros"),
        ("71", "soixante et onze euros"),
        ("91", "quatre-vingt-onze euros"),
        ("100", "cent euros"),
        ("280", "deux cent quatre-vingts euros"),
        ("1000", "mille euros"),
        ("2000", "deux mille euros"),
        ("80000", "quatre-vingt mille euros"),
        ("200000", "deux cent mille euros"),
        ("1000001", "un million un euros"),
        ("2000000", "deux millions d\u2019euros"),
        ("2500000", "deux millions cinq cent mille euros"),
        ("80000000", "quatre-vingts millions d\u2019euros"),
        ("1000000000", "un milliard d\u2019euros"),
        ("0.01", "un centime"),
        ("1.01", "un euro et un centime"),
        ("180.50", "cent quatre-vingts euros et cinquante centimes"),
        ("61.20", "soixante et un euros et vingt centimes"),
        ("0.80", "quatre-vingts centimes"),
    ],
)
def test_an_amount_is_written_in_french_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_the_amount_is_rounded_half_up_to_the_cent():
    assert amount_in_words(Decimal("1.005")) == "un euro et un centime"
    assert amount_in_words(Decimal("0.994")) == "quatre-vingt-dix-neuf centimes"


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        amount_in_words(Decimal("-1"))
    with pytest.raises(ValueError):
        cardinal(-3)


def test_the_currency_mode_of_num2words_is_not_used():
    # Its currency mode reads 180 as « un euro et quatre-vingts centimes »: ours does not.
    assert "centime" not in amount_in_words(180)
    assert amount_in_words(180) == amount_in_words("180.00") == amount_in_words(Decimal(180))
