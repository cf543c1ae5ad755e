"""The identifier's check character against python-stdnum's independent ISO 7064 MOD 37,36."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.iso7064 import mod_37_36

from yiwang.licences.identifier import (
    ALPHABET,
    Identifier,
    MalformedIdentifier,
    check_character,
    check_valid,
    parse,
)

part = st.text(alphabet=ALPHABET, min_size=1, max_size=24)


@settings(max_examples=3000, deadline=None)
@given(type_code=part, issuer=part, serial=part, version=st.integers(1, 999))
def test_check_character_agrees_with_stdnum(type_code: str, issuer: str, serial: str, version: int) -> None:
    ident = Identifier(type_code, issuer, serial, version)
    body = f"{type_code}{issuer}{serial}{version:03d}"
    assert ident.check == mod_37_36.calc_check_digit(body)
    assert mod_37_36.is_valid(body + ident.check)
    assert check_valid(body + ident.check)
    text = str(ident)
    assert text == f"1.2.156.3005.2.{type_code}.{issuer}.{serial}.{version:03d}.{ident.check}"
    assert parse(text) == ident


@settings(max_examples=1000, deadline=None)
@given(body=st.text(alphabet=ALPHABET, min_size=1, max_size=60), wrong=st.sampled_from(ALPHABET))
def test_a_wrong_check_character_is_refused_as_stdnum_refuses_it(body: str, wrong: str) -> None:
    right = check_character(body)
    assert check_valid(body + wrong) == (wrong == right) == mod_37_36.is_valid(body + wrong)


def test_a_real_looking_identifier() -> None:
    ident = Identifier("11100000000013338W", "11440307MB2C93058K", "2026000001", 1)
    assert str(ident).startswith("1.2.156.3005.2.11100000000013338W.11440307MB2C93058K.2026000001.001.")
    assert ident.with_version(2).check == mod_37_36.calc_check_digit(ident.with_version(2).body)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1.2.156.3005.1.A.B.C.001.X",
        "1.2.156.3005.2.A.B.C.1.X",
        "1.2.156.3005.2.A.B.C.001",
        "1.2.156.3005.2.A.B.C.000." + check_character("ABC000"),
        "1.2.156.3005.2.a-b.B.C.001.X",
        "1.2.156.3005.2.A.B.C.001.XY",
        "x" * 500,
    ],
)
def test_malformed(text: str) -> None:
    with pytest.raises(MalformedIdentifier):
        parse(text)


def test_a_changed_character_is_caught() -> None:
    ident = Identifier("LT01", "11440307MB2C93058K", "000123", 3)
    text = str(ident)
    with pytest.raises(MalformedIdentifier, match="check"):
        parse(text.replace(".000123.", ".000124."))
