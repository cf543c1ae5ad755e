"""Case numbers: one series per kind, office and year, unique and gapless. The format is the kind's
(``Workflow.number_format``, or ``CASES_NUMBER_FORMATS[kind]`` in the settings) or else
``CASES_NUMBER_FORMAT`` (default office code + year + 6-digit sequence), with the fields ``{office}``,
``{year}``, ``{seq}`` and ``{kind}``. The counter row is locked inside the creating transaction, so a
rolled-back creation gives its number back and two concurrent creations never share one.

Official documents (文号) use the same counters, one series per office, year and document type (counter kind
``doc:<type>``): ``CASES_DOCUMENT_NUMBER_FORMAT`` (default ``{code}{type}〔{year}〕{seq}号``, e.g.
深龙市监许受〔2026〕12号) with ``{code}`` the office's 机关代字 (or its code), ``{type}`` the document type's
own abbreviation (许受, 许准 …), ``{year}`` and ``{seq}`` (docs/adr/0059)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from .models import CaseNumberCounter
from .workflow import workflow_for

if TYPE_CHECKING:
    from yiwang.accounts.models import Office

DEFAULT_FORMAT = "{office}{year}{seq:06d}"
DEFAULT_DOCUMENT_FORMAT = "{code}{type}〔{year}〕{seq}号"


def number_format(kind: str = "") -> str:
    per_kind: dict[str, str] = getattr(settings, "CASES_NUMBER_FORMATS", {}) or {}
    if kind in per_kind:
        return per_kind[kind]
    try:
        declared = workflow_for(kind).number_format if kind else ""
    except LookupError:
        declared = ""
    return declared or getattr(settings, "CASES_NUMBER_FORMAT", DEFAULT_FORMAT)


def format_number(*, office_code: str, year: int, seq: int, kind: str = "") -> str:
    return str(number_format(kind).format(office=office_code, year=year, seq=seq, kind=kind))


def next_number(*, office: Office, year: int, kind: str = "application") -> str:
    """Take the next number of the kind's series; must run inside the transaction that creates the case."""
    return format_number(office_code=office.code, year=year, seq=_take(office, year, kind), kind=kind)


def next_document_number(*, office: Office, year: int, doc_type: str, abbreviation: str) -> str:
    """Take the next 文号 of the office's series of ``doc_type`` documents (inside the issuing transaction)."""
    fmt = (
        getattr(settings, "CASES_DOCUMENT_NUMBER_FORMAT", DEFAULT_DOCUMENT_FORMAT) or DEFAULT_DOCUMENT_FORMAT
    )
    seq = _take(office, year, f"doc:{doc_type}"[:24])
    return str(fmt.format(code=office.document_code or office.code, type=abbreviation, year=year, seq=seq))


def _take(office: Office, year: int, kind: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case and document numbers must be taken inside the creating transaction")
    # Create the counter row if it is missing without failing a concurrent creator (ON CONFLICT DO NOTHING).
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(kind=kind, office=office, year=year, last=0)], ignore_conflicts=True
    )
    counter = CaseNumberCounter.objects.select_for_update().get(kind=kind, office=office, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return int(counter.last)
