"""Identifiers are validated, stored and compared in one normal form (docs/rules.md §8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from tests.factories import credit_code, resident_id
from yiwang.accounts import services
from yiwang.accounts.models import Enterprise, Person
from yiwang.accounts.selectors import enterprise_by_credit_code, person_search
from yiwang.core.errors import Conflict, ServiceError
from yiwang.core.validators import USCC_ALPHABET, uscc_check_character, validate_resident_id, validate_uscc

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_rules_examples_are_valid() -> None:
    validate_resident_id("11010519491231002X")
    validate_resident_id("440524188001010014")
    validate_uscc("91350100M000100Y43")


@pytest.mark.parametrize("table", [ARABIC_INDIC, str.maketrans("0123456789", "०१२३४५६७८९")])
def test_digits_of_other_scripts_are_refused(table: dict[int, str]) -> None:
    with pytest.raises(ValidationError):
        validate_resident_id("440524188001010014".translate(table))
    with pytest.raises(ValidationError):
        validate_uscc("91350100M000100Y43".translate(table))


@pytest.mark.django_db
def test_a_full_width_id_is_the_same_person() -> None:
    number = resident_id("19800101", 7)
    person = services.person_register(actor=None, name="张三", id_number=number.translate(FULL_WIDTH))
    assert Person.objects.get(pk=person.pk).id_number == number
    with pytest.raises(Conflict):
        services.person_register(actor=None, name="张三", id_number=number)
    assert list(person_search(number.translate(FULL_WIDTH))) == [person]
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_arabic_indic_id_is_refused_and_nothing_saved() -> None:
    with pytest.raises(ServiceError):
        services.person_register(actor=None, name="张三", id_number=resident_id().translate(ARABIC_INDIC))
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_a_full_width_credit_code_is_the_same_enterprise() -> None:
    code = credit_code(5)
    ent = services.enterprise_register(
        actor=None, name="甲公司", credit_code=code.translate(FULL_WIDTH).lower(), legal_representative="李四"
    )
    assert Enterprise.objects.get(pk=ent.pk).credit_code == code
    with pytest.raises(Conflict):
        services.enterprise_register(actor=None, name="甲公司", credit_code=code, legal_representative="李四")
    assert enterprise_by_credit_code(code.translate(FULL_WIDTH)) == ent


def _with_check(body: str) -> str:
    return body + uscc_check_character(body)


@pytest.mark.django_db
@pytest.mark.parametrize("authority", ["N1", "N2", "N3", "Y1", "A1", "51"])
def test_credit_codes_with_a_letter_authority_are_accepted(authority: str) -> None:
    code = _with_check(f"{authority}440307MA5F00000")
    validate_uscc(code)
    ent = services.enterprise_register(
        actor=None, name="股份经济合作社", credit_code=code, legal_representative="王"
    )
    assert ent.credit_code == code


def test_a_wrong_check_character_is_refused() -> None:
    code = _with_check("N1440307MA5F00000")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError):
        validate_uscc(wrong)


ORG = st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789", min_size=8, max_size=8), ORG)
def test_check_character_agrees_with_python_stdnum(prefix: str, org: str) -> None:
    body = prefix + org
    assert uscc_check_character(body) == stdnum_uscc.calc_check_digit(body)
    validate_uscc(_with_check(body))
