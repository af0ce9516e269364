"""The tax cost of a gift (donations.tax)."""

from decimal import Decimal

import pytest

from donations import tax

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
    assert tax.net_cost(Decimal(amount), RATE) == Decimal(net)


def test_the_reduction_is_rounded_half_up_to_the_cent():
    # 0.25 × 0.66 = 0.165: the reduction is 0.17, not the banker's 0.16.
    assert tax.net_cost(Decimal("0.25"), RATE) == Decimal("0.08")
    # 75 % (another rate staff could set): 10.10 × 0.75 = 7.575 -> 7.58
    assert tax.net_cost(Decimal("10.10"), Decimal("0.75")) == Decimal("2.52")
