"""The embedded default: SQLite in ./var, debug off unless asked (``DEBUG=true``), a generated secret kept in
./var. Static files are served by WhiteNoise straight from the packages (no ``collectstatic`` step), so the
demo runs as a deployment does: a mistyped address shows the portal's own 404 page, never Django's
technical page."""

from __future__ import annotations

import os
import secrets
import warnings
from pathlib import Path

from yiwang.audit.chain import new_signing_key

from .base import *  # noqa: F403
from .base import (
    AUDIT_CHECKPOINT_PRIVATE_KEY_FILE,
    AUDIT_HMAC_KEYS,
    FIELD_ENCRYPTION_KEYS,
    INSTALLED_APPS,
    LICENCE_KEY_DIR,
    SECRET_KEY,
    VAR_DIR,
    YIWANG_SITE,
    env_bool,
)

VAR_DIR.mkdir(parents=True, exist_ok=True)
DEBUG = env_bool("DEBUG", False)
WHITENOISE_USE_FINDERS = True
# …so a missing `collectstatic` directory is expected here, not worth a warning at every start.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
if not SECRET_KEY:
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()
# The audit chain's MAC key and checkpoint signing key, generated into ./var unless configured.
if not AUDIT_HMAC_KEYS:
    _hmac_file = VAR_DIR / "audit_hmac_key"
    if not _hmac_file.exists():
        _hmac_file.write_text(secrets.token_hex(32))
        _hmac_file.chmod(0o600)
    AUDIT_HMAC_KEYS = {"local1": bytes.fromhex(_hmac_file.read_text().strip())}
    AUDIT_HMAC_KEY_ID = "local1"
if not AUDIT_CHECKPOINT_PRIVATE_KEY_FILE:
    AUDIT_CHECKPOINT_PRIVATE_KEY_FILE = str(VAR_DIR / "audit_checkpoint_key.pem")
    AUDIT_CHECKPOINT_PUBLIC_KEY_FILE = str(VAR_DIR / "audit_checkpoint_key.pub.pem")
    if not Path(AUDIT_CHECKPOINT_PRIVATE_KEY_FILE).exists():
        _private, _public = new_signing_key()
        Path(AUDIT_CHECKPOINT_PRIVATE_KEY_FILE).write_bytes(_private)
        Path(AUDIT_CHECKPOINT_PRIVATE_KEY_FILE).chmod(0o600)
        Path(AUDIT_CHECKPOINT_PUBLIC_KEY_FILE).write_bytes(_public)
# The identifiers' encryption and blind-index keys (docs/adr/0014), generated into ./var unless configured.
if not FIELD_ENCRYPTION_KEYS:
    _field_file = VAR_DIR / "field_keys"
    if not _field_file.exists():
        _field_file.write_text(f"local1:{secrets.token_hex(16)}\n{secrets.token_hex(32)}\n")
        _field_file.chmod(0o600)
    _sm4, _bidx = _field_file.read_text().split()
    FIELD_ENCRYPTION_KEYS = {"local1": bytes.fromhex(_sm4.partition(":")[2])}
    FIELD_ENCRYPTION_KEY_ID = "local1"
    FIELD_BLIND_INDEX_KEY = bytes.fromhex(_bidx)
# The offices' licence signing keys: generated into ./var on first use unless configured.
if not LICENCE_KEY_DIR:
    LICENCE_KEY_DIR = str(VAR_DIR / "licence-keys")
LICENCE_KEYS_GENERATE = True
# The optional demo district (`yiwang load_demo`); production runs without it.
INSTALLED_APPS = [*INSTALLED_APPS, "yiwang.demo"]
# The portal footer of the demo district (each value can still be set through its YIWANG_SITE_* variable).
_DEMO_SITE = {
    "sponsor": "龙岗区政务服务和数据管理局",
    "contact": "0755-12345 · service@example.org",
    "icp": "粤ICP备00000000号-1",
    "psb": "粤公网安备44030700000000号",
}
YIWANG_SITE = {**YIWANG_SITE, **{k: v for k, v in _DEMO_SITE.items() if not YIWANG_SITE.get(k)}}
# Residents' one-time codes: the demo's channel only records the SMS, so the page shows the recorded code
# (docs/adr/0056); the demo verifier accepts any valid resident ID number with a name.
YIWANG_DEMO_SHOW_CODES = env_bool("YIWANG_DEMO_SHOW_CODES", True)
REAL_NAME_VERIFIER = os.environ.get("REAL_NAME_VERIFIER", "yiwang.accounts.realname.DemoVerifier")
