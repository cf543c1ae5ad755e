"""The audit log's keys, from the configuration (never from the database):

* ``AUDIT_HMAC_KEYS`` — ``{key id: key bytes}`` for the rows' keyed MACs; ``AUDIT_HMAC_KEY_ID`` names the
  current one (new rows), the others verify older rows (rotation);
* ``AUDIT_CHECKPOINT_PRIVATE_KEY_FILE`` / ``AUDIT_CHECKPOINT_PUBLIC_KEY_FILE`` — the Ed25519 key pair that
  signs checkpoints of the chain head; ``AUDIT_CHECKPOINT_DIR`` — where checkpoints are written.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def hmac_keys() -> dict[str, bytes]:
    return dict(getattr(settings, "AUDIT_HMAC_KEYS", {}) or {})


def current_key_id() -> str:
    keys = hmac_keys()
    key_id = str(getattr(settings, "AUDIT_HMAC_KEY_ID", "") or "")
    if key_id and key_id in keys:
        return key_id
    return next(reversed(keys), "") if keys else ""


def checkpoint_dir() -> Path | None:
    value = getattr(settings, "AUDIT_CHECKPOINT_DIR", "")
    return Path(value) if value else None


def _read(setting: str) -> bytes | None:
    path = getattr(settings, setting, "")
    if not path or not Path(path).exists():
        return None
    return Path(path).read_bytes()


def checkpoint_private_key() -> bytes | None:
    return _read("AUDIT_CHECKPOINT_PRIVATE_KEY_FILE")


def checkpoint_public_key() -> bytes | None:
    return _read("AUDIT_CHECKPOINT_PUBLIC_KEY_FILE")
