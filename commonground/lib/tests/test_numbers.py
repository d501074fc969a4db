from __future__ import annotations

from typing import Any

import pytest
from django.template.defaultfilters import floatformat
from django.test import override_settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from commonground.lib.numbers import decimal_separator, fixed

numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from([0.0, -0.0, 0.05, 0.15, 0.25, 2.675, 1.005, -0.04, 56.0, 1e-7]),
)


@given(value=numbers, digits=st.integers(min_value=0, max_value=3))
def test_fixed_shows_what_floatformat_shows(value: float, digits: int) -> None:
    for language in ("en", "es"):
        with translation.override(language):
            expected = str(floatformat(value, digits))
            assert fixed(value, digits) == expected
            assert fixed(value, digits, decimal_separator()) == expected


@pytest.mark.parametrize("value", [None, "", "abc", True, float("nan"), float("inf")])
def test_fixed_hands_anything_else_to_floatformat(value: Any) -> None:
    assert fixed(value, 1) == str(floatformat(value, 1))


def test_fixed_follows_the_thousand_separator_setting() -> None:
    with override_settings(USE_THOUSAND_SEPARATOR=True), translation.override("en"):
        assert fixed(1234567.25, 1) == str(floatformat(1234567.25, 1)) == "1,234,567.3"
