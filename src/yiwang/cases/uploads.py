"""Attachment checks: the type is decided by the file's content (magic bytes), never by its name.

Allowed: PDF (``%PDF-``), JPEG (``FF D8 FF``), PNG (``89 50 4E 47 0D 0A 1A 0A``) and OFD (GB/T 33190:
a ZIP container whose root holds ``OFD.xml``). Anything else — a renamed program (``MZ``), an ordinary
ZIP, an empty file — is refused with a message saying what was found.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from yiwang.core.errors import ServiceError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ALLOWED = ("pdf", "jpg", "png", "ofd")
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "ofd": "application/ofd"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "CASES_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes, whole: IO[bytes] | None = None) -> str:  # noqa: C901 - one branch per file signature
    """The detected kind: one of ALLOWED, or a short word for what the content really is."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        if whole is not None:
            try:
                whole.seek(0)
                names = zipfile.ZipFile(whole).namelist()
            except (zipfile.BadZipFile, OSError):
                return "zip"
            finally:
                whole.seek(0)
            if "OFD.xml" in names:
                return "ofd"
        return "zip"
    if head.startswith(b"MZ"):
        return "exe"
    if head.startswith(b"\x7fELF"):
        return "elf"
    if not head:
        return "empty"
    return "unknown"


def check_upload(data: bytes, *, name: str = "") -> str:
    """Return the file type, or raise ServiceError with a clear message (nothing is stored)."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise ServiceError(
            _("The file %(name)s is %(size).1f MB; the largest allowed is %(limit).1f MB.")
            % {"name": name or "", "size": len(data) / 1048576, "limit": limit / 1048576},
            code="too_large",
            fields={"file": _("File too large.")},
        )
    kind = sniff(data[:16], io.BytesIO(data))
    if kind in ALLOWED:
        return kind
    found = {
        "zip": _("a ZIP archive"),
        "exe": _("a Windows program"),
        "elf": _("a program"),
        "empty": _("an empty file"),
    }.get(kind, _("an unrecognised format"))
    raise ServiceError(
        _("The file %(name)s is %(found)s. Only PDF, JPG, PNG and OFD files are accepted.")
        % {"name": name or "", "found": found},
        code="file_type",
        fields={"file": _("Only PDF, JPG, PNG and OFD files are accepted.")},
    )
