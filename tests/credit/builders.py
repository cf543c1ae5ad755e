"""Credit records for tests: CSV text in the import format, and loading it through the real import."""

from __future__ import annotations

import io
from typing import Any

from yiwang.credit import services as s
from yiwang.credit.rows import RowChecker, read_rows

HEADER = "subject_code,subject_name,category,source_record_id,source_office,decision_date,valid_from,valid_to,severity,text"


def csv_text(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def row(
    code: str,
    category: str,
    rid: str,
    *,
    decided: str = "2025-03-01",
    until: str = "",
    sev: int = 1,
    text: str = "",
) -> str:
    return f"{code},主体,{category},{rid},来源单位,{decided},{decided},{until},{sev},{text}"


def load(data: bytes, source: str = "tax", name: str = "records.csv", actor: Any = None) -> s.ImportOutcome:
    checker = RowChecker()
    rows = (checker.check(n, raw) for n, raw in read_rows(name, io.BytesIO(data)))
    return s.credit_import(actor=actor, source=source, rows=rows, file_name=name)


def put_on(code: str, category: str, rid: str = "", source: str = "tax", **kw: Any) -> s.ImportOutcome:
    """One record (through the import) and the lists derived."""
    return load(csv_text(row(code, category, rid or f"{category}-{code}", **kw)), source=source)
