"""Validation of identifiers with python-stdnum: resident ID (GB 11643), credit code (GB 32100), mobile."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_resident_id(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_resident_id(value: str) -> None:
    """GB 11643: 18 characters, a real birth date, ISO 7064 MOD 11-2 check character.

    python-stdnum's ``ric.validate`` also rejects area codes missing from its table; codes are
    abolished and renumbered over the years while people keep their numbers (docs/rules.md §8 lists
    440524188001010014 as valid), so the area is not checked here.
    """
    number = ric.compact(normalize_resident_id(value))
    try:
        if len(number) != 18 or not number[:-1].isdigit():
            raise StdnumError()
        if number[-1] != ric.calc_check_digit(number):
            raise StdnumError()
        born = ric.get_birth_date(number)
        if born > timezone.localdate():
            raise StdnumError()
    except (StdnumError, ValueError) as exc:
        raise ValidationError(
            _(
                "Not a valid resident ID number (GB 11643): check the 18 characters and the last check character."
            ),
            code="invalid_resident_id",
        ) from exc


def normalize_uscc(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_uscc(value: str) -> None:
    try:
        uscc.validate(normalize_uscc(value))
    except StdnumError as exc:
        raise ValidationError(
            _(
                "Not a valid unified social credit code (GB 32100): 18 characters with a correct check character."
            ),
            code="invalid_uscc",
        ) from exc


def normalize_mobile(value: str) -> str:
    v = (value or "").strip().replace(" ", "").replace("-", "")
    if v.startswith("+86"):
        v = v[3:]
    return v


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_mobile(value)):
        raise ValidationError(
            _("Not a valid mobile number: 11 digits starting with 13–19."), code="invalid_mobile"
        )


def is_resident_id(value: str) -> bool:
    try:
        validate_resident_id(value)
    except ValidationError:
        return False
    return True
