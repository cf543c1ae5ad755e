"""Production: everything from the environment, secure cookies, HSTS. Passes ``check --deploy``."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import FIELD_BLIND_INDEX_KEY, FIELD_ENCRYPTION_KEY_ID, FIELD_ENCRYPTION_KEYS, env_bool

DEBUG = False
if not SECRET_KEY or len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of at least 50 characters")
if (
    not FIELD_ENCRYPTION_KEYS
    or FIELD_ENCRYPTION_KEY_ID not in FIELD_ENCRYPTION_KEYS
    or len(FIELD_BLIND_INDEX_KEY) < 32
):
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS, FIELD_ENCRYPTION_KEY_ID and FIELD_BLIND_INDEX_KEY (≥ 32 bytes, hex) must be set"
    )
if not AUDIT_HMAC_KEYS:  # noqa: F405
    raise ImproperlyConfigured(
        "AUDIT_HMAC_KEYS must hold the audit chain's MAC key (id:hex, at least 32 bytes)"
    )
for _setting in ("AUDIT_CHECKPOINT_PRIVATE_KEY_FILE", "AUDIT_CHECKPOINT_PUBLIC_KEY_FILE"):
    if not os.environ.get(_setting):
        raise ImproperlyConfigured(f"{_setting} must name the audit checkpoint signing key file")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Never show a recorded one-time code on a page in production, whatever the environment says (docs/adr/0056).
YIWANG_DEMO_SHOW_CODES = False
if REAL_NAME_VERIFIER.endswith(".DemoVerifier"):  # noqa: F405
    raise ImproperlyConfigured("REAL_NAME_VERIFIER must not be the demo verifier in production")
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", True)  # every staff account: a second factor (docs/adr/0013)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
