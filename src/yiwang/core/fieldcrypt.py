"""Field encryption at rest (docs/adr/0014): SM4-GCM (GB/T 32907) under keys from the configuration, with
a blind index (HMAC-SM3 of the identifier's normal form) so exact lookups and uniqueness still work.

A stored value reads ``sm4g1:<key id>:<base64(nonce ‖ tag ‖ ciphertext)>``; the key id is bound into the
tag (associated data), so rotating keys (``yiwang rotate_field_keys``) leaves old rows readable until
they are re-encrypted. A value without the prefix is a plaintext row from before encryption: read as is,
encrypted on its next save.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .validators import normal_form

PREFIX = "sm4g1:"


class DecryptionError(ValueError):
    pass


def _keys() -> tuple[str, dict[str, bytes]]:
    keys: dict[str, bytes] = dict(getattr(settings, "FIELD_ENCRYPTION_KEYS", {}) or {})
    current = str(getattr(settings, "FIELD_ENCRYPTION_KEY_ID", "") or "")
    if not keys or current not in keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold the key FIELD_ENCRYPTION_KEY_ID names")
    return current, keys


def encrypt(plain: str, *, key_id: str | None = None) -> str:
    current, keys = _keys()
    kid = key_id or current
    nonce = os.urandom(12)
    enc = Cipher(algorithms.SM4(keys[kid]), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(kid.encode())
    ct = enc.update(plain.encode()) + enc.finalize()
    return f"{PREFIX}{kid}:{base64.b64encode(nonce + enc.tag + ct).decode()}"


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # a row written before encryption
    kid, _sep, blob = stored[len(PREFIX) :].partition(":")
    _current, keys = _keys()
    if kid not in keys:
        raise DecryptionError(f"no key {kid!r} to decrypt with")
    raw = base64.b64decode(blob)
    nonce, tag, ct = raw[:12], raw[12:28], raw[28:]
    dec = Cipher(algorithms.SM4(keys[kid]), modes.GCM(nonce, tag)).decryptor()
    dec.authenticate_additional_data(kid.encode())
    try:
        return (dec.update(ct) + dec.finalize()).decode()
    except InvalidTag as exc:
        raise DecryptionError("the value was altered or the key is wrong") from exc


def key_id_of(stored: str) -> str:
    return stored[len(PREFIX) :].partition(":")[0] if stored.startswith(PREFIX) else ""


def blind_index(value: str) -> str:
    """The keyed hash lookups and uniqueness use: HMAC-SM3 of the normal form ("" for an empty value)."""
    normal = normal_form(value or "")
    if not normal:
        return ""
    key = getattr(settings, "FIELD_BLIND_INDEX_KEY", b"")
    if not key:
        raise ImproperlyConfigured("FIELD_BLIND_INDEX_KEY must be set")
    h = hmac.HMAC(key, hashes.SM3())
    h.update(normal.encode())
    return h.finalize().hex()
