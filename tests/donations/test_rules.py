from datetime import date, timedelta
from decimal import Decimal

import pytest

from donations import rules

RATE = Decimal("0.66")


@pytest.mark.parametrize(
    ("amount", "net"),
    [
        ("10", "3.40"),
        ("15", "5.10"),
        ("20", "6.80"),
        ("30", "10.20"),
        ("50", "17.00"),
        ("5", "1.70"),
        ("7", "2.38"),
        ("13", "4.42"),
        ("999", "339.66"),
        ("1000", "340.00"),
    ],
)
def test_the_net_cost_is_the_amount_minus_the_reduction_rounded_to_the_cent(amount, net):
    assert rules.net_cost(Decimal(amount), RATE) == Decimal(net)


def test_the_reduction_is_rounded_half_up_to_the_cent():
    # 0.25 × 0.66 = 0.165: the reduction is 0.17, not the banker's 0.16.
    assert rules.net_cost(Decimal("0.25"), RATE) == Decimal("0.08")
    # 75 % (another rate staff could set): 10.10 × 0.75 = 7.575 -> 7.58
    assert rules.net_cost(Decimal("10.10"), Decimal("0.75")) == Decimal("2.52")


def test_a_new_mandate_reference_fits_the_sepa_rules():
    rum = rules.rum_new(pk=42)
    assert rules.rum_is_valid(rum)
    assert len(rum) <= 35
    assert rum.startswith("DON-00000042-")


def test_two_mandate_references_for_the_same_id_differ():
    assert len({rules.rum_new(pk=7) for _ in range(50)}) == 50


@pytest.mark.parametrize(
    ("rum", "valid"),
    [
        ("DON-00000042-ABCD1234", True),
        ("a/b-c?d:e(f).g,h'i+j", True),
        ("DON 42", False),
        ("DON_42", False),
        ("DON-é", False),
        ("", False),
        ("X" * 35, True),
        ("X" * 36, False),
    ],
)
def test_a_mandate_reference_uses_only_the_allowed_characters(rum, valid):
    assert rules.rum_is_valid(rum) is valid


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
    first = rules.first_debit_date(confirmed_on, debit_day)
    assert first == expected
    assert (first - confirmed_on).days >= 14


def test_target2_holidays_of_2026():
    assert rules.target2_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 12, 25),
        date(2026, 12, 26),
    }


def test_the_schedule_moves_each_month_to_a_business_day():
    assert rules.debit_dates(date(2026, 12, 15), 15, 3) == [
        date(2026, 12, 15),
        date(2027, 1, 15),
        date(2027, 2, 15),
    ]
    # 5 September 2026 is a Saturday.
    assert rules.debit_dates(date(2026, 8, 5), 5, 2) == [date(2026, 8, 5), date(2026, 9, 7)]


def test_an_iban_is_masked_but_for_its_country_check_digits_and_last_three():
    assert rules.iban_mask("FR7630006000011234567890189") == "FR76 **** **** **** **** **** 189"
    assert rules.iban_mask("fr76 3000 6000 0112 3456 7890 189") == (
        "FR76 **** **** **** **** **** 189"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FR7630006000011234567890189", "FR7630006000011234567890189"),
        ("DE89370400440532013000", "DE89370400440532013000"),
        ("fr76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        (" de89 3704 0044 0532 0130 00 ", "DE89370400440532013000"),
        ("CH9300762011623852957", "CH9300762011623852957"),
    ],
)
def test_valid_sepa_ibans_are_accepted_in_any_case_and_spacing(raw, expected):
    assert rules.iban_check(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("FR7630006000011234567890188", "checksum"),
        ("DE88370400440532013000", "checksum"),
        ("FR763000600001123456789018", "length"),
        ("DE8937040044053201300012", "length"),
        ("US64SVBKUS6S3300958879", "outside_sepa"),
        ("BR1800360305000010009795493C1", "outside_sepa"),
        # New Caledonia and French Polynesia are outside SEPA, under their own code...
        ("NC8430006000011234567890189", "outside_sepa"),
        ("PF5730006000011234567890189", "outside_sepa"),
        # ...and under FR with a bank of Nouméa (Banque calédonienne d'investissement).
        ("FR7617499000011234567890140", "outside_sepa"),
        ("not an iban", "format"),
        ("", "format"),
    ],
)
def test_invalid_or_non_sepa_ibans_are_refused_with_a_reason(raw, code):
    with pytest.raises(rules.IBANProblem) as problem:
        rules.iban_check(raw)
    assert problem.value.code == code


def test_the_bic_is_required_only_outside_the_eea():
    assert rules.bic_required("CH9300762011623852957")
    assert rules.bic_required("GB29NWBK60161331926819")
    assert not rules.bic_required("FR7630006000011234567890189")
    assert not rules.bic_required("DE89370400440532013000")


def test_a_bic_has_8_or_11_characters():
    assert rules.bic_check("pofi chbe xxx") == "POFICHBEXXX"
    assert rules.bic_check("POFICHBE") == "POFICHBE"
    with pytest.raises(rules.IBANProblem):
        rules.bic_check("POFICH")


@pytest.mark.parametrize(
    ("ics", "valid"),
    [
        ("FR72ZZZ123456", True),
        ("FR53ZZZ999999", True),
        ("FR73ZZZ123456", False),
        ("DE72ZZZ123456", False),
        ("FR72ZZZ12345", False),
    ],
)
def test_the_creditor_identifier_is_checked(ics, valid):
    assert rules.ics_is_valid(ics) is valid


@pytest.mark.parametrize("debit_day", [1, 5, 15, 28])
def test_every_confirmation_day_of_two_years_gives_the_first_allowed_business_day(debit_day):
    day = date(2026, 1, 1)
    while day < date(2028, 1, 1):
        first = rules.first_debit_date(day, debit_day)
        assert rules.is_business_day(first), (day, first)
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
        rules.first_debit_date(date(2026, 1, 20), debit_day)
