"""Numbers as text, the way Django's templates show them, but faster.

``{{ value|floatformat:1 }}`` costs tens of microseconds; a chart or a long table
calls it hundreds of times. ``fixed`` gives the same text for the numbers pages
show (ints and floats from a millionth to 10**15, 0 to 9 decimals) and hands
anything else to ``floatformat`` itself.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, getcontext
from typing import Any

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format

_EXPONENTS = {digits: Decimal(1).scaleb(-digits) for digits in range(10)}


def decimal_separator() -> str:
    """The active language's decimal separator (what ``floatformat`` puts before decimals)."""
    return str(get_format("DECIMAL_SEPARATOR"))


def fixed(value: Any, digits: int, separator: str | None = None) -> str:
    """The text of ``{{ value|floatformat:digits }}`` in the active language.

    Pass ``separator=decimal_separator()``, looked up once, when formatting many numbers
    (finding the active language is most of the cost).

    >>> from django.utils import translation
    >>> with translation.override("en"):
    ...     fixed(2.25, 1), fixed(-0.04, 1), fixed(56.0, 0), fixed(1234.5, 2)
    ('2.3', '0.0', '56', '1234.50')
    >>> with translation.override("es"):
    ...     fixed(2.25, 1)
    '2,3'
    """
    if (
        type(value) not in (int, float)
        or digits not in _EXPONENTS
        or not (value == 0 or 1e-6 <= abs(value) < 1e15)  # no exponent in repr(value)
        or settings.USE_THOUSAND_SEPARATOR
    ):
        return str(floatformat(value, digits))
    number = Decimal(repr(value))  # floatformat reads str(value); for a float, its repr
    if digits == 0 and number == number.to_integral_value():
        text = str(int(number))
    else:
        _sign, places, exponent = number.as_tuple()
        assert isinstance(exponent, int)  # finite
        units = len(places) + (-exponent if number % 1 else exponent)
        rounded = number.quantize(
            _EXPONENTS[digits],
            ROUND_HALF_UP,
            Context(prec=max(getcontext().prec, digits + units + 1)),
        )
        text = f"{rounded if rounded else rounded.copy_abs():f}"  # no "-0.0"
    if "." not in text:
        return text
    return text.replace(".", decimal_separator() if separator is None else separator)
