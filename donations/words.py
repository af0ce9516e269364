"""An amount of money written out in French words, as a tax receipt must carry it.

Composed from num2words' French *cardinals* only. Its currency mode is wrong in French
(it reads 180 as « un euro et quatre-vingts centimes » and writes « zéro euros »), so the
units are added here, by the rules of French grammar:

- « euro » is singular for one (and zero), plural from two: « un euro », « deux euros »;
- « million » and « milliard » are nouns, so a round number of them takes « de » before the
  unit: « un million d’euros », « deux milliards d’euros », but « un million un euros »;
- the cardinals bring their own agreement: « quatre-vingts » and « deux cents » take an s
  when nothing follows them, « quatre-vingt-un », « deux cent un » do not;
- cents are « centimes », joined with « et »: « un euro et cinquante centimes »; an amount
  under one euro is the cents alone: « cinquante centimes ».

A plain function with no Django import, tested word for word.
"""

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

APOSTROPHE = "\u2019"
_NOUNS = ("million", "millions", "milliard", "milliards")


def cardinal(number: int) -> str:
    """A whole number in French words (traditional spelling: hyphens below one hundred)."""
    if number < 0:
        raise ValueError("A cardinal is zero or more")
    return num2words(number, lang="fr")


def _units(count: int, singular: str, plural: str) -> str:
    words = cardinal(count)
    unit = singular if count < 2 else plural
    if words.rsplit(" ", 1)[-1] in _NOUNS:
        # « un million d’euros »: the elided « de » before a vowel.
        joiner = f" d{APOSTROPHE}" if unit[0] in "aeiouy" else " de "
        return words + joiner + unit
    return f"{words} {unit}"


def amount_in_words(amount: Decimal | int | str) -> str:
    """Decimal('180') -> 'cent quatre-vingts euros'; Decimal('0.50') -> 'cinquante centimes'.

    The amount is rounded half up to the cent; a negative amount is refused.
    """
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("An amount in words is zero or more")
    euros = int(amount)
    cents = int((amount - euros) * 100)
    parts = []
    if euros or not cents:
        parts.append(_units(euros, "euro", "euros"))
    if cents:
        parts.append(_units(cents, "centime", "centimes"))
    return " et ".join(parts)
