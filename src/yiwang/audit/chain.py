"""Pure hashing of audit rows and signing of checkpoints (no database).

A row's hash is a keyed MAC — HMAC-SM3 where this Python offers SM3, else HMAC-SHA-256 — over the previous
row's hash and the row's canonical JSON, under a key the database never holds (``AUDIT_HMAC_KEYS`` in the
configuration, one current key id in ``AUDIT_HMAC_KEY_ID``). The row records ``hmac-<digest>:<key id>`` so
keys can be rotated and old rows still verify. Rows written before keying carry a plain ``sm3``/``sha256``
digest and verify as before. Checkpoints of the chain head are signed with Ed25519 (docs/adr/0007).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

GENESIS = "0" * 64
PLAIN = frozenset({"sm3", "sha256"})


def preferred_digest() -> str:
    return "sm3" if "sm3" in hashlib.algorithms_available else "sha256"


def preferred_algorithm() -> str:
    """The plain digest of rows written before keying (kept for the old rows and the tests of them)."""
    return preferred_digest()


def keyed_algorithm(key_id: str) -> str:
    return f"hmac-{preferred_digest()}:{key_id}"


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def row_fields(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    outcome: str,
    ip: str,
    channel: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "outcome": outcome,
        "ip": ip,
        "channel": channel,
        "data": data,
    }


class UnknownKey(LookupError):
    """A row names a key id the configuration does not hold."""


def compute_hash(
    algorithm: str, prev_hash: str, fields: dict[str, Any], keys: dict[str, bytes] | None = None
) -> str:
    """The row's hash: a plain digest (``sm3``, ``sha256``) or a keyed MAC (``hmac-sm3:<key id>``)."""
    message = prev_hash.encode() + b"\n" + canonical(fields)
    if algorithm in PLAIN:
        return hashlib.new(algorithm, message).hexdigest()
    name, _sep, key_id = algorithm.partition(":")
    digest = name.removeprefix("hmac-")
    if not name.startswith("hmac-") or digest not in PLAIN:
        raise UnknownKey(algorithm)
    key = (keys or {}).get(key_id)
    if key is None:
        raise UnknownKey(key_id)
    return hmac.new(key, message, digest).hexdigest()


def decode_key(text: str) -> bytes:
    """A key from the configuration: hex or base64 (URL-safe allowed), at least 32 bytes."""
    text = text.strip()
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if len(raw) < 32:
        raise ValueError("audit keys must be at least 32 bytes")
    return raw


# --- checkpoints --------------------------------------------------------------------------------


def checkpoint_message(*, seq: int, hash_: str, at: str) -> bytes:
    return canonical({"seq": seq, "hash": hash_, "at": at})


def sign_checkpoint(private_pem: bytes, *, seq: int, hash_: str, at: str) -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(private_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the checkpoint signing key must be an Ed25519 private key")
    return base64.b64encode(key.sign(checkpoint_message(seq=seq, hash_=hash_, at=at))).decode()


def verify_checkpoint(public_pem: bytes, *, seq: int, hash_: str, at: str, signature: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    key = load_pem_public_key(public_pem)
    if not isinstance(key, Ed25519PublicKey):
        return False
    try:
        key.verify(base64.b64decode(signature), checkpoint_message(seq=seq, hash_=hash_, at=at))
    except (InvalidSignature, ValueError):
        return False
    return True


def new_signing_key() -> tuple[bytes, bytes]:
    """A fresh Ed25519 key pair as (private PEM, public PEM)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public
