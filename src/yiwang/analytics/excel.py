"""Every dashboard table as an Excel sheet (openpyxl)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook


def workbook(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    wb = Workbook()
    for i, (title, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = str(title)[:31]
        for row in rows:
            ws.append([v if isinstance(v, int | float) or v is None else str(v) for v in row])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
