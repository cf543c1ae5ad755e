"""The e-licence identifier of GB/T 36904-2018 as used in production (docs/rules.md §8), pure Python:

    1.2.156.3005.2 . <type code> . <issuer's credit code> . <serial> . <3-digit version> . <check character>

The check character is ISO 7064 MOD 37,36 (the hybrid system with M = 36 over ``0-9A-Z``) computed over the
concatenation type code + issuer code + serial + version. Our own implementation; the tests hold it against
python-stdnum's ``stdnum.iso7064.mod_37_36`` on many generated identifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "1.2.156.3005.2"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_M = 36
_PART = re.compile(r"^[0-9A-Z]{1,40}$")
_VERSION = re.compile(r"^[0-9]{3}$")
MAX_VERSION = 999


class MalformedIdentifier(ValueError):
    """Not an identifier of this form (wrong prefix, parts, characters or check character)."""


def _fold(text: str) -> int:
    p = _M
    for ch in text:
        try:
            value = _VALUE[ch]
        except KeyError:
            raise MalformedIdentifier(f"character {ch!r} is not in 0-9A-Z") from None
        p = (p + value) % _M or _M
        p = (p * 2) % (_M + 1)
    return p


def check_character(text: str) -> str:
    """The ISO 7064 MOD 37,36 check character of ``text`` (characters ``0-9A-Z``)."""
    return ALPHABET[(_M + 1 - _fold(text)) % _M]


def check_valid(text_with_check: str) -> bool:
    """Whether the last character is the right check character for the rest."""
    if len(text_with_check) < 2:
        return False
    try:
        p = _fold(text_with_check[:-1])
        last = _VALUE[text_with_check[-1]]
    except (MalformedIdentifier, KeyError):
        return False
    return (p + last) % _M == 1 % _M


@dataclass(frozen=True)
class Identifier:
    type_code: str
    issuer_code: str
    serial: str
    version: int

    def __post_init__(self) -> None:
        for name in ("type_code", "issuer_code", "serial"):
            if not _PART.match(getattr(self, name)):
                raise MalformedIdentifier(f"{name} must be 1-40 characters of 0-9A-Z")
        if not 1 <= self.version <= MAX_VERSION:
            raise MalformedIdentifier("the version runs from 001 to 999")

    @property
    def body(self) -> str:
        return f"{self.type_code}{self.issuer_code}{self.serial}{self.version:03d}"

    @property
    def check(self) -> str:
        return check_character(self.body)

    def __str__(self) -> str:
        return f"{PREFIX}.{self.type_code}.{self.issuer_code}.{self.serial}.{self.version:03d}.{self.check}"

    def with_version(self, version: int) -> Identifier:
        return Identifier(self.type_code, self.issuer_code, self.serial, version)

    @property
    def base(self) -> str:
        """The identifier without version and check character: the same for every version of one licence."""
        return f"{PREFIX}.{self.type_code}.{self.issuer_code}.{self.serial}"


def parse(text: str) -> Identifier:
    """Parse and check an identifier; raises MalformedIdentifier with the reason."""
    if not isinstance(text, str) or len(text) > 200:
        raise MalformedIdentifier("not an identifier")
    text = text.strip().upper()
    if not text.startswith(PREFIX + "."):
        raise MalformedIdentifier(f"an identifier starts with {PREFIX}")
    parts = text[len(PREFIX) + 1 :].split(".")
    if len(parts) != 5:
        raise MalformedIdentifier("an identifier has type, issuer, serial, version and check character")
    type_code, issuer, serial, version, check = parts
    if not _VERSION.match(version):
        raise MalformedIdentifier("the version has three digits")
    ident = Identifier(type_code, issuer, serial, int(version))
    if len(check) != 1 or check != ident.check:
        raise MalformedIdentifier("the check character does not match")
    return ident
