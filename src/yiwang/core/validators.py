"""Validation of identifiers with python-stdnum: resident ID (GB 11643), credit code (GB 32100), mobile."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
RESIDENT_ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")
# GB 32100-2015: registering authority (1 机构编制, 5 民政, 9 工商, N 农业 …, Y 其他), the type within it,
# a 6-digit area code, the 9-character organisation code and the check character.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normal_form(value: str) -> str:
    """The one form identifiers are validated, stored and compared in: NFKC (full-width digits and
    letters become ASCII), upper case, without spaces or hyphens. Digits of other scripts (Arabic-Indic,
    Devanagari …) are left as they are and so fail the ASCII-only patterns."""
    v = unicodedata.normalize("NFKC", value or "").strip().upper()
    return v.replace(" ", "").replace("-", "")


def normalize_resident_id(value: str) -> str:
    return normal_form(value)


def validate_resident_id(value: str) -> None:
    """GB 11643: 18 characters, a real birth date, ISO 7064 MOD 11-2 check character.

    python-stdnum's ``ric.validate`` also rejects area codes missing from its table; codes are
    abolished and renumbered over the years while people keep their numbers (docs/rules.md §8 lists
    440524188001010014 as valid), so the area is not checked here.
    """
    number = normalize_resident_id(value)
    try:
        if not RESIDENT_ID_RE.match(number):
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
    return normal_form(value)


def uscc_check_character(code17: str) -> str:
    """GB 32100-2015: weights 3^(i-1) mod 31, check (31 - sum mod 31) mod 31 over the alphabet."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(code17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total) % 31]


def validate_uscc(value: str) -> None:
    """python-stdnum's ``uscc.validate`` wants 8 leading digits and so refuses codes whose registering
    authority or type is a letter (N1 village collectives, Y1 …), which GB 32100 allows."""
    code = normalize_uscc(value)
    if not USCC_RE.match(code) or uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "Not a valid unified social credit code (GB 32100): 18 characters with a correct check character."
            ),
            code="invalid_uscc",
        )


def normalize_mobile(value: str) -> str:
    v = normal_form(value)
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
