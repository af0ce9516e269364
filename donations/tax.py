"""The tax reduction on gifts (Code général des impôts, art. 200): the rates the law knows
and what a gift costs once the reduction is taken off.

No Django import: tested directly.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

# The rates of article 200 staff may choose, in percent. 66 % for any body of general
# interest (a human-rights NGO); 75 % only for bodies giving free meals, care or housing to
# people in difficulty (and, from 15 February 2025, helping victims of domestic violence),
# and only up to a yearly ceiling of gifts, 66 % above it.
RATE_GENERAL = 66
RATE_COLUCHE = 75
TAX_RATES = (RATE_GENERAL, RATE_COLUCHE)
# The 75 % ceiling, in euros of gifts a year (loi de finances; 1 000 € for 2024 to 2026).
COLUCHE_CEILINGS = {2024: Decimal("1000"), 2025: Decimal("1000"), 2026: Decimal("1000")}


def tax_rate_is_allowed(percent) -> bool:
    return percent in TAX_RATES


def coluche_ceiling(year: int) -> Decimal:
    """The yearly ceiling of the 75 % rate; the last one known for a later year."""
    known = [y for y in COLUCHE_CEILINGS if y <= year] or [min(COLUCHE_CEILINGS)]
    return COLUCHE_CEILINGS[max(known)]


def rate_fraction(percent) -> Decimal:
    """66 -> Decimal('0.66')."""
    return (Decimal(percent) / 100).quantize(CENT)


def net_cost(amount: Decimal, rate: Decimal) -> Decimal:
    """What a gift costs a taxable household once the reduction is taken off.

    ``amount − round_half_up(amount × rate)`` to the cent, ``rate`` a fraction (0.66):
    15 € at 66 % costs 5,10 €.
    """
    amount = Decimal(amount)
    reduction = (amount * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return (amount - reduction).quantize(CENT)
