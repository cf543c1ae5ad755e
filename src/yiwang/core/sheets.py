"""Tables as an Excel workbook (openpyxl): one sheet per (title, rows), numbers kept as numbers."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook

INVALID = frozenset("\\/?*[]:")  # characters a sheet title may not hold


def workbook(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    wb = Workbook()
    for i, (title, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = "".join("-" if c in INVALID else c for c in str(title))[:31]
        for row in rows:
            ws.append([v if isinstance(v, int | float) or v is None else str(v) for v in row])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
