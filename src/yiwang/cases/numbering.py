"""Case numbers: ``CASES_NUMBER_FORMAT`` (default office code + year + 6-digit sequence), unique and
gapless per office and year. The counter row is locked inside the creating transaction, so a
rolled-back creation gives its number back and two concurrent creations never share one."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from .models import CaseNumberCounter

DEFAULT_FORMAT = "{office}{year}{seq:06d}"


def format_number(*, office_code: str, year: int, seq: int, kind: str = "") -> str:
    fmt = getattr(settings, "CASES_NUMBER_FORMAT", DEFAULT_FORMAT)
    return str(fmt.format(office=office_code, year=year, seq=seq, kind=kind))


def next_number(*, office: Any, year: int, kind: str = "") -> str:
    """Take the next number; must run inside the transaction that creates the case."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case numbers must be taken inside the creating transaction")
    # Create the counter row if it is missing without failing a concurrent creator (ON CONFLICT DO NOTHING).
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(office=office, year=year, last=0)], ignore_conflicts=True
    )
    counter = CaseNumberCounter.objects.select_for_update().get(office=office, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_number(office_code=office.code, year=year, seq=counter.last, kind=kind)
