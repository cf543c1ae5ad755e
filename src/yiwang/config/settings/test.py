"""Test settings: SQLite in memory unless DATABASE_URL points at PostgreSQL; fast hashing; immediate tasks."""

from __future__ import annotations

import os
import tempfile

from yiwang.audit.chain import new_signing_key

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, MIDDLEWARE

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
if not os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:", "TEST": {"NAME": None}}
    }
else:
    # One test database per run, so several runs (developers, CI) can share one PostgreSQL server.
    DATABASES["default"]["TEST"] = {"NAME": f"test_yiwang_{os.getpid()}"}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
# Seal in the committing thread, so no timer thread outlives a test.
AUDIT_SEAL_DELAY_SECONDS = 0
# Fixed test keys for the audit chain; checkpoints go to a directory of this process.
AUDIT_HMAC_KEYS = {"test1": b"t" * 32}
AUDIT_HMAC_KEY_ID = "test1"
FIELD_ENCRYPTION_KEYS = {"test1": b"k" * 16, "test0": b"o" * 16}
FIELD_ENCRYPTION_KEY_ID = "test1"
FIELD_BLIND_INDEX_KEY = b"b" * 32
AUDIT_CHECKPOINT_DIR = tempfile.mkdtemp(prefix="yiwang-audit-")
_private, _public = new_signing_key()
AUDIT_CHECKPOINT_PRIVATE_KEY_FILE = os.path.join(AUDIT_CHECKPOINT_DIR, "key.pem")
AUDIT_CHECKPOINT_PUBLIC_KEY_FILE = os.path.join(AUDIT_CHECKPOINT_DIR, "key.pub.pem")
with open(AUDIT_CHECKPOINT_PRIVATE_KEY_FILE, "wb") as _f:
    _f.write(_private)
with open(AUDIT_CHECKPOINT_PUBLIC_KEY_FILE, "wb") as _f:
    _f.write(_public)
# Licence signing keys: generated per office on first use, in a directory of this process.
LICENCE_KEY_DIR = tempfile.mkdtemp(prefix="yiwang-licence-keys-")
LICENCE_KEYS_GENERATE = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Records every response body so the masking test can scan the whole suite's output.
MIDDLEWARE = [*MIDDLEWARE, "yiwang.core.testing.PiiLeakRecorderMiddleware"]
# The optional demo district (`yiwang load_demo`); production runs without it.
INSTALLED_APPS = [*INSTALLED_APPS, "yiwang.demo"]
# Residents' one-time codes (docs/adr/0056): the tests read the recorded SMS as the demo does.
YIWANG_DEMO_SHOW_CODES = True
REAL_NAME_VERIFIER = "yiwang.accounts.realname.DemoVerifier"
REAL_NAME_DEMO_REFUSED = ["拒绝核验"]
