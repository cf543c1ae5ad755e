"""Signing and verifying licence versions, pure (no database, no settings): docs/adr/0090.

A licence version's signed fields are a flat JSON object; its **compact payload** (what the QR code and
the verification link carry, and what an offline verifier checks) is::

    YWL1.<base64url(canonical JSON of the fields)>.<base64url(Ed25519 signature over those bytes)>

Canonical JSON: UTF-8, keys sorted, no spaces (``separators=(",", ":")``), ``ensure_ascii=False``; the
signature covers the exact bytes, so a verifier need not re-encode them (it may, to reject a payload that
was not produced by this signer: the register compares the whole payload with its own copy anyway). The
fields carry ``kid`` (``<office code>/<key id>``), which names the public key that verifies them, so keys
can be rotated and every older signature stays verifiable with its own key (docs/licences-verification.md).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

if TYPE_CHECKING:
    from collections.abc import Mapping

FORMAT = "YWL1"
ALGORITHM = "Ed25519"
MAX_PAYLOAD = 4000
KID = re.compile(r"^[A-Za-z0-9_-]{1,20}/[A-Za-z0-9_-]{1,32}$")
_B64 = re.compile(r"^[A-Za-z0-9_-]+$")


class MalformedPayload(ValueError):
    """Not a payload of this format (prefix, parts, encoding, JSON)."""


def canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    if not _B64.match(text):
        raise MalformedPayload("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MalformedPayload("not base64url") from exc


def sign(private_key: Ed25519PrivateKey, fields: Mapping[str, Any]) -> str:
    """The compact payload of ``fields`` (which must name their ``kid``) signed with ``private_key``."""
    if not KID.match(str(fields.get("kid", ""))):
        raise ValueError("the fields must name the signing key (kid = office/key id)")
    body = canonical(fields)
    return f"{FORMAT}.{b64(body)}.{b64(private_key.sign(body))}"


def decode(payload: str) -> tuple[dict[str, Any], bytes, bytes]:
    """(fields, signed bytes, signature) of a compact payload; raises MalformedPayload."""
    if not isinstance(payload, str) or len(payload) > MAX_PAYLOAD:
        raise MalformedPayload("too long or not text")
    parts = payload.strip().split(".")
    if len(parts) != 3 or parts[0] != FORMAT:
        raise MalformedPayload(f"a payload is {FORMAT}.<fields>.<signature>")
    body, signature = unb64(parts[1]), unb64(parts[2])
    try:
        fields = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedPayload("the fields are not JSON") from exc
    if not isinstance(fields, dict) or not KID.match(str(fields.get("kid", ""))):
        raise MalformedPayload("the fields are not an object naming its key")
    if len(signature) != 64:
        raise MalformedPayload("an Ed25519 signature has 64 bytes")
    return fields, body, signature


@dataclass(frozen=True)
class Checked:
    """The outcome of an offline check: ``ok`` when the signature holds under the named key."""

    ok: bool
    reason: str  # "authentic", "malformed", "unknown_key", "forged"
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def kid(self) -> str:
        return str(self.fields.get("kid", ""))


def verify(payload: str, public_keys: Mapping[str, Ed25519PublicKey]) -> Checked:
    """Check a payload's signature against the published keys; never raises on bad input."""
    try:
        fields, body, signature = decode(payload)
    except MalformedPayload:
        return Checked(False, "malformed")
    key = public_keys.get(str(fields["kid"]))
    if key is None:
        return Checked(False, "unknown_key", fields)
    try:
        key.verify(signature, body)
    except InvalidSignature:
        return Checked(False, "forged", fields)
    return Checked(True, "authentic", fields)


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_private(data: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def load_public(data: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def public_from_raw(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)
