"""Masking of personal identifiers (docs/rules.md §9): first 3 + last 4 characters visible.

``mask_id('11010519491231002X') == '110***********002X'`` and
``mask_mobile('13812341234') == '138****1234'``. The log filter masks anything in a log line
that looks like a resident ID or a mainland mobile number.
"""

from __future__ import annotations

import logging
import re

RESIDENT_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d{9})(?![0-9A-Za-z])")


def mask_middle(value: str, head: int = 3, tail: int = 4) -> str:
    if not value:
        return ""
    if len(value) <= head + tail:
        return value[:1] + "*" * (len(value) - 1)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_id(value: str | None) -> str:
    return mask_middle(value or "")


def mask_mobile(value: str | None) -> str:
    return mask_middle(value or "")


def mask_text(text: str) -> str:
    """Mask every resident ID and mobile number appearing in free text."""
    text = RESIDENT_ID_RE.sub(lambda m: mask_id(m.group(1)), text)
    return MOBILE_RE.sub(lambda m: mask_mobile(m.group(1)), text)


class MaskPiiLogFilter(logging.Filter):
    """Rewrites log records so no log line carries a full ID or mobile number."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True


# Answers that are the client's expected outcome, not a problem of the server: a refused booking when a
# slot is full (409), a stale version (409), a rule broken (422), too many attempts (429).
EXPECTED_CLIENT_STATUSES = frozenset({409, 422, 429})


class ExpectedClientErrorLogFilter(logging.Filter):
    """Logs Django's "Conflict: /api/…" lines for expected refusals at INFO instead of WARNING, so a burst
    of 1,800 refused bookings does not bury real warnings (other 4xx stay warnings, 5xx errors), and logs
    every 4xx as one line without a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            # A refusal is one line (who, what, status): its traceback is the framework's, not a fault.
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        if (
            record.levelno == logging.WARNING
            and getattr(record, "status_code", None) in EXPECTED_CLIENT_STATUSES
        ):
            record.levelno, record.levelname = logging.INFO, "INFO"
            return logging.getLogger().isEnabledFor(logging.INFO)  # dropped when LOG_LEVEL is WARNING
        return True
