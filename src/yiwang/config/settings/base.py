"""Settings shared by every environment. Values that differ per deployment come from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from yiwang.audit.chain import decode_key

BASE_DIR = Path(__file__).resolve().parents[2]  # src/yiwang
PROJECT_DIR = BASE_DIR.parents[1]
VAR_DIR = Path(os.environ.get("YIWANG_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "yiwang.core",
    "yiwang.web",
    "yiwang.audit",
    "yiwang.notifications",
    "yiwang.accounts",
    "yiwang.workdays",
    "yiwang.catalogue",
    "yiwang.cases",
    "yiwang.credit",  # before applications: its demo records give the demo cases their standings
    "yiwang.applications",
    "yiwang.halls",
    "yiwang.licences",
    "yiwang.hotline",
    "yiwang.construction",
    "yiwang.feedback",
    "yiwang.analytics",
    "yiwang.concierge",
    "yiwang.rules",
    "yiwang.policies",
    "yiwang.outreach",
    "yiwang.disclosure",
    "yiwang.portal",
    "yiwang.workbench",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "yiwang.core.middleware.RequestSizeMiddleware",  # before anything reads the body, in the visitor's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "yiwang.accounts.middleware.SessionLifetimeMiddleware",
    "yiwang.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yiwang.core.middleware.RequestContextMiddleware",
    "yiwang.core.middleware.BadInputMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yiwang.config.urls"
WSGI_APPLICATION = "yiwang.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiwang.core.context_processors.site",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yiwang.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
                "PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Lockout (docs/rules.md §9): 5 consecutive failures → 15 minutes, per account.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Lock per account, not per address: a hall's windows share one NAT address, so an address-wide
# lock would shut a whole hall out after five typing mistakes (docs/adr/0002-accounts-and-access.md).
# models.W040: covering indexes (INCLUDE) serve PostgreSQL's index-only counts; SQLite builds the same
# indexes without the extra columns, which is what we want there (docs/adr/0135).
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yiwang.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# The owner's known devices are not locked (an attacker cannot lock them out), only capped; at most 100
# failures per account in any hour, and a cap per address against sprays (docs/adr/0012).
AXES_WHITELIST_CALLABLE = "yiwang.accounts.throttle.axes_whitelisted"
# Two factors for every staff account (docs/adr/0013): on in the production settings, off for the demo.
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", False)
LOGIN_ACCOUNT_FAILURES_PER_HOUR = int(os.environ.get("LOGIN_ACCOUNT_FAILURES_PER_HOUR", "100"))
LOGIN_ADDRESS_FAILURES = int(os.environ.get("LOGIN_ADDRESS_FAILURES", "30"))
# Residents register and sign in with a one-time code by SMS (docs/adr/0056).
OTP_CODE_VALID_SECONDS = int(os.environ.get("OTP_CODE_VALID_SECONDS", "300"))
OTP_MAX_WRONG = int(os.environ.get("OTP_MAX_WRONG", "5"))
OTP_RESEND_SECONDS = int(os.environ.get("OTP_RESEND_SECONDS", "60"))
OTP_CODES_PER_MOBILE_PER_DAY = int(os.environ.get("OTP_CODES_PER_MOBILE_PER_DAY", "10"))
OTP_CODES_PER_ADDRESS_PER_HOUR = int(os.environ.get("OTP_CODES_PER_ADDRESS_PER_HOUR", "30"))
# Show the recorded SMS code on the page (the demo, whose channel only records messages); never in production.
YIWANG_DEMO_SHOW_CODES = False
# The real-name verifier (docs/adr/0056): a dotted path to a class with ``verify(name, id_number)``.
REAL_NAME_VERIFIER = os.environ.get("REAL_NAME_VERIFIER", "yiwang.accounts.realname.NotConfiguredVerifier")
# The demo verifier refuses these resident ID numbers and names.
REAL_NAME_DEMO_REFUSED: list[str] = [v for v in os.environ.get("REAL_NAME_DEMO_REFUSED", "").split(",") if v]

# Sessions: idle 30 minutes, absolute 12 hours (enforced by SessionLifetimeMiddleware).
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS: list[Path] = []
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")  # "local" or "s3"
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "region_name": os.environ.get("S3_REGION") or None,
            "default_acl": None,
            "file_overwrite": False,
        },
    }
# A whole request (all its files): refused from its Content-Length before it is read (core.middleware).
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", str(64 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Cases -------------------------------------------------------------------------------
# Case numbers: office code + year + gapless sequence per office and year (docs/adr/0040).
CASES_NUMBER_FORMAT = os.environ.get("CASES_NUMBER_FORMAT", "{office}{year}{seq:06d}")
# What one applicant account may file online per local calendar day, per kind of case (0 = no cap).
CASES_DAILY_FILING_CAPS = {
    "application": int(os.environ.get("CAP_APPLICATIONS_PER_DAY", "20")),
    "hotline": int(os.environ.get("CAP_HOTLINE_TICKETS_PER_DAY", "10")),
}
# --- 12345 hotline (docs/rules.md §6; every value configurable here) ------------------------------
# Limits per ticket type in working days; urgent tickets are due the same day ("same_day": at the end of
# the day of receipt, at least ``urgent_min_hours`` hours), or within a number of hours.
# The halls' public kiosk page: numbers per address per window (seconds) and per ID number or mobile per
# day at one hall (yiwang.halls.services.kiosk_limits; defaults 30 per 600 s, 3 per day).
HALLS_KIOSK: dict[str, int] = {}

HOTLINE = {
    "centre_office": os.environ.get("HOTLINE_CENTRE_OFFICE", "LG12345"),
    "limits": {"consultation": 3, "help": 3, "complaint": 13, "report": 13, "suggestion": 13, "praise": 3},
    "urgent": "same_day",
    "urgent_min_hours": 2,
    "due_soon_days": 1,
    "due_soon_hours": 2,
    "return_window_days": 1,
    "callback_days": 1,
    "reopen_max": 1,
    "extension_max_days": 10,
    "duplicate_days": 7,
    "duplicate_metres": 300,
}
# --- Satisfaction reviews (好差评) and the complaints post (docs/rules.md §5; all configurable) -------------
FEEDBACK = {
    # The office of the complaints post (the bureau's supervision office): complaints and reviews with no
    # responsible office are its cases.
    "post_office": os.environ.get("FEEDBACK_POST_OFFICE", "LGDCK"),
    "edit_minutes": 30,  # a review may be changed this long after it was given
    "rectify_days": 15,  # working days to call back and rectify a bad review
    "complaint_reply_days": 5,  # working days to reply to a complaint
    "max_wait_minutes": 30,  # a hall visit waited "too long" beyond this (the time-limit check of a visit)
    "attitude_pattern": 2,  # other attitude complaints about the same clerk within 90 days that support one
}
# --- Assessment (analytics): the formula's default weights until a version is published, and the index's ---
ANALYTICS = {
    "weights": {
        "timeliness": 0.3,
        "satisfaction": 0.3,
        "rectification": 0.15,
        "refusals": 0.1,
        "online": 0.15,
    },
    "index_weights": {"in_time": 0.3, "satisfaction": 0.3, "online": 0.2, "zero_visit": 0.2},
}
CASES_MAX_UPLOAD_BYTES = int(os.environ.get("CASES_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))

# --- Cache ---------------------------------------------------------------------------------
# Shared by every web process (rate limits, calendar version checks): the database by default,
# so nothing depends on one process's memory. The table is created by migration core 0001.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "yiwang_cache"),
    },
    # Rendered menus: derived only from the code, the language and the user's roles, so each
    # process may keep its own copy ({% cache %} in the shell templates).
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
    },
}

# --- Background tasks -------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Audit --------------------------------------------------------------------------------
# Retention in days; never below 180 (Cybersecurity Law Art. 21: at least six months).
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "365"))
AUDIT_MIN_RETENTION_DAYS = 180
# An audit event must be linked into the chain within this time (the sealer runs after every commit and
# every minute); older unsealed events fail `yiwang audit_verify`.
AUDIT_SEAL_GRACE_SECONDS = int(os.environ.get("AUDIT_SEAL_GRACE_SECONDS", "300"))


# The audit chain's keys come from the configuration, never the database (docs/adr/0007):
# AUDIT_HMAC_KEYS="id:hex-or-base64-key,id2:…" (≥ 32 bytes each), AUDIT_HMAC_KEY_ID the current one;
# checkpoints of the chain head are signed with an Ed25519 key pair kept in files.
def _audit_keys(text: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for part in (p.strip() for p in text.split(",")):
        if part:
            key_id, _sep, value = part.partition(":")
            keys[key_id.strip()] = decode_key(value)
    return keys


AUDIT_HMAC_KEYS = _audit_keys(os.environ.get("AUDIT_HMAC_KEYS", ""))
AUDIT_HMAC_KEY_ID = os.environ.get("AUDIT_HMAC_KEY_ID", "")


# Identifiers encrypted at rest (docs/adr/0014): SM4 keys "id:hex,id2:hex" (16 bytes each), the current
# one, and the blind index's HMAC-SM3 key (hex, ≥ 32 bytes). Never in the database or the repository.
def _sm4_keys(text: str) -> dict[str, bytes]:
    keys = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        key_id, _sep, value = part.partition(":")
        key = bytes.fromhex(value.strip())
        if len(key) != 16:
            raise ValueError("SM4 keys are 16 bytes (32 hex digits)")
        keys[key_id.strip()] = key
    return keys


FIELD_ENCRYPTION_KEYS = _sm4_keys(os.environ.get("FIELD_ENCRYPTION_KEYS", ""))
FIELD_ENCRYPTION_KEY_ID = os.environ.get("FIELD_ENCRYPTION_KEY_ID", "")
FIELD_BLIND_INDEX_KEY = bytes.fromhex(os.environ.get("FIELD_BLIND_INDEX_KEY", ""))
AUDIT_CHECKPOINT_DIR = os.environ.get("AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints"))
AUDIT_CHECKPOINT_PRIVATE_KEY_FILE = os.environ.get("AUDIT_CHECKPOINT_PRIVATE_KEY_FILE", "")
AUDIT_CHECKPOINT_PUBLIC_KEY_FILE = os.environ.get("AUDIT_CHECKPOINT_PUBLIC_KEY_FILE", "")
# How soon after a commit the sealer runs (one batch per process for everything committed meanwhile).
AUDIT_SEAL_DELAY_SECONDS = float(os.environ.get("AUDIT_SEAL_DELAY_SECONDS", "0.2"))

# --- E-licences ------------------------------------------------------------------------------
# One Ed25519 signing key per issuing office, from files outside the repository and the database
# (docs/adr/0090): LICENCE_KEY_DIR holds <office>.<key id>.key.pem (private) and .pub.pem (public, kept
# after rotation); LICENCE_CURRENT_KEYS="office:key id,…" names the current key of an office (default: the
# greatest key id with a private key). Production never generates keys.
LICENCE_KEY_DIR = os.environ.get("LICENCE_KEY_DIR", "")
LICENCE_CURRENT_KEYS = os.environ.get("LICENCE_CURRENT_KEYS", "")
LICENCE_KEYS_GENERATE = False
# Working days from the decision within which the licence must be issued (行政许可法 Art. 44).
LICENCE_ISSUANCE_DAYS = 10
# How long a holder's shared verification link stays valid, at most (days).
LICENCE_SHARE_MAX_DAYS = 30

# --- Site ---------------------------------------------------------------------------------
YIWANG_SITE_NAME = os.environ.get("YIWANG_SITE_NAME", "")
# The address printed in QR codes and links in notices; `make demo` sets it from its HOST and PORT.
YIWANG_PUBLIC_BASE_URL = os.environ.get(
    "YIWANG_PUBLIC_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)
# What the portal's header and footer show about the site (docs/adr/0030): the sponsoring organ (主办单位),
# the contact line, the filing numbers (ICP 备案号, 公安机关备案号, with the ministry's search pages) and the
# hotline number. Deployment facts, set with the deployment; empty values are left out of the footer.
YIWANG_SITE = {
    "sponsor": os.environ.get("YIWANG_SITE_SPONSOR", ""),
    "contact": os.environ.get("YIWANG_SITE_CONTACT", ""),
    "icp": os.environ.get("YIWANG_SITE_ICP", ""),
    "psb": os.environ.get("YIWANG_SITE_PSB", ""),
    "hotline": os.environ.get("YIWANG_SITE_HOTLINE", "12345"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_pii": {"()": "yiwang.core.masking.MaskPiiLogFilter"},
        "expected_client_errors": {"()": "yiwang.core.masking.ExpectedClientErrorLogFilter"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_pii"], "formatter": "plain"}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["expected_client_errors"]},
        "axes": {"level": "WARNING"},
        # one line per task run is noise in the demo's console; failures are still logged
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}


# --- Content-Security-Policy (docs/adr/0009-content-security-policy.md) ------------------------
# Scripts and stylesheets only from this origin (htmx, ECharts and the pages' own files are vendored);
# no inline script or <style> without the per-request nonce, no eval, no plugins, no framing, forms
# post only here. Inline style *attributes* stay allowed (style-src-attr): they cannot run code, and
# the templates' layout attributes would otherwise all have to become classes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# 信用+政务服务 (docs/adr/0112): a red-list applicant's internal target is this share of the committed limit
# (rounded up, at least one working day), shown to the reviewer beside the committed due date.
CREDIT_RED_TARGET_SHARE = float(os.environ.get("YIWANG_CREDIT_RED_TARGET_SHARE", "0.5"))

# Key-enterprise concierge: working days the owning office has to answer a coordination request, per level
# (1 handled by the concierge, 2 by the department, 3 escalated to the bureau's leaders).
CONCIERGE_RESPONSE_DAYS = {1: 1, 2: 3, 3: 5}


# Rules engine, policy calculator and proactive outreach (docs/adr/0100–0103).
# POLICIES["tax_rating"]: dotted path of a function returning the SQL expression of an enterprise's tax credit
# rating (an OuterRef("pk") subquery); the calculator's own table until the credit context offers one.
POLICIES = {
    "tax_rating": "yiwang.policies.facts.own_tax_rating",
    "near_miss_conditions": 2,  # a policy missed on at most this many conditions is shown with "why not"
}
# OUTREACH: the pilot streets a screening may cover (平湖, 南湾 by division code) and the benefits screened,
# each with its rule set and the catalogue item a grid worker files on the resident's behalf.
OUTREACH = {
    "pilot_streets": ["440307003", "440307002"],
    "district_hukou": "440307",
    "benefits": {
        "senior_card": {"label": "敬老优待证", "rule_set": "outreach.senior_card", "item": "LG06001-00-00"},
        "old_age_allowance": {
            "label": "高龄津贴",
            "rule_set": "outreach.old_age_allowance",
            "item": "LG06002-00-00",
        },
    },
    "schedule_days": 30,
}

# Government information disclosure (政府信息公开条例 2019; 国办函〔2020〕109号): overrides of the
# defaults in yiwang.disclosure.vocabulary.DEFAULTS (reply 20 working days, one extension ≤ 20, correction
# notice within 7, third party 15 not counted, 10 free requests a month, 双公示 within 7 working days …).
DISCLOSURE: dict[str, object] = {}
