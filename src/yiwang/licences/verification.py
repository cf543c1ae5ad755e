"""Verification by anyone: a compact payload (from the QR code) or a bare identifier → one answer.

Verdicts: ``authentic`` (signature holds, and this is the licence's current version, and it is valid),
``superseded`` (authentic, but a later version replaced it), ``suspended``, ``revoked``, ``cancelled``,
``expired`` (authentic, status or validity as of today), ``unknown`` (no such identifier in the register),
``malformed`` (not a payload or identifier of this form), ``forged`` (the signature does not hold, or names
a key the register never published). Never raises on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import keys, signing
from . import workflow as wf
from .identifier import MalformedIdentifier, parse
from .models import Licence, LicenceVersion

VERDICTS = {
    "authentic": _("Authentic and valid"),
    "superseded": _("Authentic, but replaced by a later version"),
    "suspended": _("Authentic, but suspended"),
    "revoked": _("Authentic, but revoked (吊销)"),
    "cancelled": _("Authentic, but cancelled (注销)"),
    "expired": _("Authentic, but expired"),
    "unknown": _("No licence with this identifier is on the register"),
    "malformed": _("Not a licence code: the payload or identifier is malformed"),
    "forged": _("Forged: the signature does not match the content"),
}
GOOD = frozenset({"authentic"})
LOOKUP_FIELDS = (
    "version",
    "identifier",
    "payload",
    "licence__status",
    "licence__version",
    "licence__valid_to",
    "licence__type__code",
    "licence__type__name",
    "licence__type__fields",
)


@dataclass
class Verdict:
    verdict: str
    identifier: str = ""
    signature_checked: bool = False
    fields: dict[str, Any] = field(default_factory=dict)
    current_version: int | None = None
    status: str = ""
    licence: Licence | None = None

    @property
    def message(self) -> str:
        return str(VERDICTS[self.verdict])

    @property
    def ok(self) -> bool:
        return self.verdict in GOOD

    @property
    def authentic(self) -> bool:
        return self.verdict not in {"unknown", "malformed", "forged"}


def _state(version: LicenceVersion) -> str:
    lic = version.licence
    if lic.status != wf.ACTIVE:
        return lic.status
    if version.version != lic.version:
        return "superseded"
    if lic.valid_to is not None and lic.valid_to < timezone.localdate():
        return "expired"
    return "authentic"


def _lookup(identifier: str) -> LicenceVersion | None:
    return (
        LicenceVersion.objects.select_related("licence__type")
        .filter(identifier=identifier)
        .order_by()
        .first()
    )


def verify_payload(payload: str) -> Verdict:
    checked = signing.verify(payload, keys.public_keys())
    if checked.reason == "malformed":
        return Verdict("malformed")
    ident = str(checked.fields.get("id", ""))
    if not checked.ok:
        return Verdict("forged", identifier=ident[:130])
    version = _lookup(ident)
    if version is None:
        return Verdict("unknown", identifier=ident[:130], signature_checked=True)
    # The register's own signed copy must be the one presented (a key leak cannot add content silently).
    if version.payload != payload.strip():
        return Verdict("forged", identifier=ident)
    return Verdict(
        _state(version),
        identifier=ident,
        signature_checked=True,
        fields=checked.fields,
        current_version=version.licence.version,
        status=version.licence.status,
        licence=version.licence,
    )


def verify_identifier(text: str) -> Verdict:
    try:
        ident = str(parse(text))
    except MalformedIdentifier:
        return Verdict("malformed")
    version = _lookup(ident)
    if version is None:
        return Verdict("unknown", identifier=ident)
    checked = signing.verify(version.payload, keys.public_keys())
    if not checked.ok:
        return Verdict("forged", identifier=ident)
    return Verdict(
        _state(version),
        identifier=ident,
        signature_checked=True,
        fields=checked.fields,
        current_version=version.licence.version,
        status=version.licence.status,
        licence=version.licence,
    )


def verify(*, payload: str = "", identifier: str = "") -> Verdict:
    if payload:
        return verify_payload(payload)
    return verify_identifier(identifier)
