"""Ids and numbers from GET/POST parameters: bad or out-of-range input is ``None``."""

from __future__ import annotations

import pytest

from nap1325.core.params import MAX_ID, parse_id, parse_int


@pytest.mark.parametrize(
    ("text", "as_int", "as_id"),
    [
        ("12", 12, 12),
        (" 7 ", 7, 7),
        ("+3", 3, 3),
        ("-1", -1, None),
        ("0", 0, None),
        ("9223372036854775807", MAX_ID, MAX_ID),  # 2^63 - 1, the largest database key
        ("9223372036854775808", None, None),  # 2^63
        ("-9223372036854775808", -MAX_ID - 1, None),
        ("-9223372036854775809", None, None),
        ("10000000000000000000000000", None, None),
        ("1" * 100_000, None, None),
        ("00000000000000000000012", None, None),  # more than 19 digits, whatever they say
        ("²", None, None),  # str.isdigit() is true, int() refuses it
        ("٣", None, None),  # Arabic-Indic three: int() would read it
        ("1.5", None, None),
        ("1e3", None, None),
        ("1_000", None, None),
        ("", None, None),
        ("-", None, None),
        ("abc", None, None),
        (None, None, None),
        (12, None, None),  # only parameter text is read
    ],
)
def test_parse_int_and_parse_id(text, as_int, as_id):
    assert parse_int(text) == as_int
    assert parse_id(text) == as_id
