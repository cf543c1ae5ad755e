"""The embedded default: SQLite in ./var, debug off unless asked, a generated secret kept in ./var."""

from __future__ import annotations

import secrets

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, SECRET_KEY, VAR_DIR, env_bool

VAR_DIR.mkdir(parents=True, exist_ok=True)
DEBUG = env_bool("DEBUG", True)
if not SECRET_KEY:
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()
# The optional demo district (`yiwang load_demo`); production runs without it.
INSTALLED_APPS = [*INSTALLED_APPS, "yiwang.demo"]
