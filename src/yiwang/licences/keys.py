"""The issuing offices' signing keys, from the configuration (never from the database or the repository),
in the pattern of the audit chain's keys (docs/adr/0007, docs/adr/0090):

* ``LICENCE_KEY_DIR`` — a directory of PEM files, one per key: ``<office code>.<key id>.key.pem`` (the
  private key, PKCS#8, readable by the signing processes only) and/or ``<office code>.<key id>.pub.pem``
  (the public key; keep it after the private key is retired, so old signatures stay verifiable);
* ``LICENCE_CURRENT_KEYS`` — ``office:key id,…``, the key each office signs with now; without an entry,
  the greatest key id that has a private key;
* ``LICENCE_KEYS_GENERATE`` — the embedded set-up and the tests create an office's first key on first
  use; production leaves it off and refuses to issue for an office without a configured key.

A key's id (``kid``) is ``<office code>/<key id>``; it travels in every signed payload.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from . import signing

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

_FILE = re.compile(r"^(?P<office>[A-Za-z0-9_-]{1,20})\.(?P<key>[A-Za-z0-9_-]{1,32})\.(?P<kind>key|pub)\.pem$")
log = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict[tuple[str, float], KeyRing] = {}


class NoSigningKey(LookupError):
    """The office has no private key in the configuration."""


@dataclass(frozen=True)
class KeyRing:
    private: dict[str, Ed25519PrivateKey]
    public: dict[str, Ed25519PublicKey]
    current: dict[str, str]  # office code → kid


def key_dir() -> Path | None:
    value = getattr(settings, "LICENCE_KEY_DIR", "")
    return Path(value) if value else None


def _configured_current() -> dict[str, str]:
    out = {}
    for part in str(getattr(settings, "LICENCE_CURRENT_KEYS", "") or "").split(","):
        office, _sep, key_id = part.strip().partition(":")
        if office and key_id:
            out[office.strip()] = key_id.strip()
    return out


def _load(directory: Path | None) -> KeyRing:
    private: dict[str, Ed25519PrivateKey] = {}
    public: dict[str, Ed25519PublicKey] = {}
    if directory is not None and directory.is_dir():
        for path in sorted(directory.iterdir()):
            m = _FILE.match(path.name)
            if not m:
                continue
            kid = f"{m['office']}/{m['key']}"
            try:
                if m["kind"] == "key":
                    private[kid] = signing.load_private(path.read_bytes())
                    public.setdefault(kid, private[kid].public_key())
                else:
                    public[kid] = signing.load_public(path.read_bytes())
            except (ValueError, TypeError, OSError):
                log.warning("licence key file %s is not a readable Ed25519 PEM key: skipped", path.name)
    configured = _configured_current()
    current: dict[str, str] = {}
    for kid in sorted(private):
        office = kid.split("/", 1)[0]
        current[office] = kid  # the greatest key id wins …
    for office, key_id in configured.items():  # … unless the configuration names one
        if f"{office}/{key_id}" in private:
            current[office] = f"{office}/{key_id}"
    return KeyRing(private, public, current)


def _stamp(directory: Path | None) -> float:
    if directory is None or not directory.is_dir():
        return 0.0
    return max([directory.stat().st_mtime, *(p.stat().st_mtime for p in directory.iterdir())])


def keyring() -> KeyRing:
    """The keys, re-read when the directory changes (a key added for rotation is picked up)."""
    directory = key_dir()
    stamp = (f"{directory}|{getattr(settings, 'LICENCE_CURRENT_KEYS', '')}", _stamp(directory))
    ring = _cache.get(stamp)
    if ring is None:
        with _lock:
            ring = _load(directory)
            _cache.clear()
            _cache[stamp] = ring
    return ring


def generate(office_code: str, key_id: str) -> str:
    """Write a new key pair for an office into the key directory (rotation, the embedded set-up, tests)."""
    directory = key_dir()
    if directory is None:
        raise NoSigningKey("LICENCE_KEY_DIR is not set")
    if not _FILE.match(f"{office_code}.{key_id}.key.pem"):
        raise ValueError("office code and key id: 0-9A-Za-z_- only")
    directory.mkdir(parents=True, exist_ok=True)
    key = signing.new_private_key()
    private_path = directory / f"{office_code}.{key_id}.key.pem"
    try:
        # Exclusive creation: a key id is never overwritten (another process may have just made it, and a
        # signature under an overwritten key could never be verified again).
        with private_path.open("xb") as f:
            f.write(signing.private_pem(key))
    except FileExistsError:
        _cache.clear()
        return f"{office_code}/{key_id}"
    private_path.chmod(0o600)
    (directory / f"{office_code}.{key_id}.pub.pem").write_bytes(signing.public_pem(key.public_key()))
    _cache.clear()
    return f"{office_code}/{key_id}"


def signing_key(office_code: str) -> tuple[str, Ed25519PrivateKey]:
    """(kid, private key) an office signs with now; raises NoSigningKey."""
    ring = keyring()
    kid = ring.current.get(office_code)
    if kid is None and getattr(settings, "LICENCE_KEYS_GENERATE", False):
        with _lock:
            generate(office_code, "k1")
        ring = keyring()
        kid = ring.current.get(office_code)
    if kid is None:
        raise NoSigningKey(office_code)
    return kid, ring.private[kid]


def public_keys() -> dict[str, Ed25519PublicKey]:
    return dict(keyring().public)
