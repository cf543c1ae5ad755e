"""Attachment checks: the type is decided by the file's content (magic bytes), never by its name.

Allowed: PDF (``%PDF-``), JPEG (``FF D8 FF``), PNG (``89 50 4E 47 0D 0A 1A 0A``) and OFD (GB/T 33190:
a ZIP container whose root holds ``OFD.xml``). Anything else — a renamed program (``MZ``), an ordinary
ZIP, an empty file — is refused with a message saying what was found.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from yiwang.core.errors import ServiceError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

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


# PDF names that make a document do something when opened (run script, start a program, carry other
# files, play media, fill forms by script). A name may spell characters as #xx escapes.
ACTIVE_PDF_NAMES = frozenset(
    {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA"}
)
_PDF_NAME = re.compile(rb"/([A-Za-z0-9#]+)")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_MAX_INFLATED = 50 * 1024 * 1024


def _pdf_names(chunk: bytes) -> set[bytes]:
    return {
        re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), n) for n in _PDF_NAME.findall(chunk)
    }


def pdf_active_content(data: bytes) -> list[str]:
    """The active-content names found in a PDF, in its objects and in its compressed (Flate) streams,
    where object streams can hide dictionaries."""
    found = _pdf_names(data) & ACTIVE_PDF_NAMES
    budget = _MAX_INFLATED
    for m in _PDF_STREAM.finditer(data):
        try:
            inflated = zlib.decompressobj().decompress(m[1], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        found |= _pdf_names(inflated) & ACTIVE_PDF_NAMES
        if budget <= 0:
            break
    return sorted(n.decode() for n in found)


def _too_large(name: str, size: int, limit: int) -> ServiceError:
    return ServiceError(
        _("The file %(name)s is %(size).1f MB; the largest allowed is %(limit).1f MB.")
        % {"name": name or "", "size": size / 1048576, "limit": limit / 1048576},
        code="too_large",
        fields={"file": _("File too large.")},
    )


def read_upload(upload: UploadedFile) -> bytes:
    """The bytes of an uploaded file, refused by its size *before* it is read into memory (Django has
    streamed a large one to a temporary file)."""
    limit = max_upload_bytes()
    if (upload.size or 0) > limit:
        raise _too_large(upload.name or "", upload.size or 0, limit)
    return bytes(upload.read(limit + 1))


def check_upload(data: bytes, *, name: str = "") -> str:
    """Return the file type, or raise ServiceError with a clear message (nothing is stored)."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise _too_large(name, len(data), limit)
    kind = sniff(data[:16], io.BytesIO(data))
    if kind == "pdf" and (active := pdf_active_content(data)):
        raise ServiceError(
            _(
                "The PDF %(name)s contains active content (%(found)s). Print it to a new PDF or scan the "
                "paper, and upload that instead."
            )
            % {"name": name or "", "found": ", ".join(active)},
            code="active_content",
            fields={"file": _("PDFs with scripts, launch actions or embedded files are not accepted.")},
        )
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
