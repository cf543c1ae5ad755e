"""Reading and checking credit-record rows (CSV or Excel) before anything is loaded: every bad row is reported
with its line number, the column and the reason; the good ones become staging rows (``StageRow``).

This is the parsing layer of the import (like a form): the service only loads what it is given."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yiwang.core import fieldcrypt
from yiwang.core.validators import RESIDENT_ID_RE, normal_form, validate_resident_id, validate_uscc

from .vocabulary import CATEGORIES, ENTERPRISE, PERSON, SEVERITIES

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

# Column → the headers accepted for it (English or Chinese).
COLUMNS: dict[str, tuple[str, ...]] = {
    "subject_code": ("subject_code", "主体代码", "统一社会信用代码/身份证号"),
    "subject_name": ("subject_name", "主体名称"),
    "category": ("category", "类别"),
    "source_record_id": ("source_record_id", "源记录编号"),
    "source_office": ("source_office", "来源单位"),
    "decision_date": ("decision_date", "决定日期"),
    "valid_from": ("valid_from", "有效期起"),
    "valid_to": ("valid_to", "有效期止"),
    "severity": ("severity", "严重程度"),
    "text": ("text", "内容"),
}
REQUIRED = ("subject_code", "category", "source_record_id", "source_office", "decision_date")
MAX_TEXT = 2000

# The staging table's columns, in COPY order.
STAGE_COLUMNS = (
    "line",
    "kind",
    "subject_key",
    "credit_code",
    "id_cipher",
    "id_index",
    "name",
    "category",
    "source_record_id",
    "source_office",
    "decision_date",
    "valid_from",
    "valid_to",
    "severity",
    "text",
    "digest",
)
StageRow = tuple[Any, ...]


class FileProblem(Exception):
    """The file as a whole cannot be read (encoding, format, header): nothing is loaded."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message, "value": self.value[:60]}


def _date(value: str) -> date:
    v = value.strip()
    if len(v) == 10 and v[4] == "-":
        return date.fromisoformat(v)
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"):
        try:
            return datetime.strptime(v, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(v)


class RowChecker:
    """Checks one row after another; keeps the person ciphertexts it made so a resident ID is encrypted once."""

    def __init__(self) -> None:
        self._subjects: dict[str, tuple[str, str, str, str, str] | RowError] = {}

    def _subject(self, line: int, raw: str) -> tuple[str, str, str, str, str] | RowError:
        """(kind, key, credit code, ciphertext, blind index), checked once per code. A code of 18 digits may be
        either: a valid resident ID is a person, else it must be a valid credit code."""
        found = self._subjects.get(raw)
        if found is None:
            found = self._subjects[raw] = self._check_subject(raw)
        if isinstance(found, RowError):
            return RowError(line, found.column, found.message, found.value)
        return found

    def _check_subject(self, raw: str) -> tuple[str, str, str, str, str] | RowError:
        code = normal_form(raw)
        id_problem = ""
        if RESIDENT_ID_RE.match(code):
            try:
                validate_resident_id(code)
            except ValidationError as exc:
                id_problem = str(exc.messages[0])
            else:
                index = fieldcrypt.blind_index(code)
                return PERSON, index, "", fieldcrypt.encrypt(code), index
        try:
            validate_uscc(code)
        except ValidationError as exc:
            if id_problem and code.isdigit():
                return RowError(0, "subject_code", id_problem, code[:4] + "…")
            return RowError(0, "subject_code", str(exc.messages[0]), code)
        return ENTERPRISE, code, code, "", ""

    def check(self, line: int, raw: Mapping[str, Any]) -> StageRow | RowError:  # noqa: C901 - one check per column
        v = {k: ("" if raw.get(k) is None else _text(raw.get(k))) for k in COLUMNS}
        for col in REQUIRED:
            if not v[col]:
                return RowError(line, col, _("This column is required."))
        subject = self._subject(line, v["subject_code"])
        if isinstance(subject, RowError):
            return subject
        kind, key, credit_code, cipher, index = subject
        category = v["category"]
        if category not in CATEGORIES:
            return RowError(line, "category", _("Unknown category (see the list of 14 codes)."), category)
        rid = v["source_record_id"]
        if len(rid) > 64:
            return RowError(line, "source_record_id", _("At most 64 characters."), rid)
        dates: dict[str, date | None] = {}
        for col in ("decision_date", "valid_from", "valid_to"):
            if not v[col]:
                dates[col] = None
                continue
            try:
                dates[col] = _date(v[col])
            except ValueError:
                return RowError(line, col, _("Not a date (use YYYY-MM-DD)."), v[col])
            if not date(1949, 10, 1) <= dates[col] <= date(2199, 12, 31):  # type: ignore[operator]
                return RowError(line, col, _("The date is out of range."), v[col])
        decided = dates["decision_date"]
        valid_from = dates["valid_from"] or decided
        valid_to = dates["valid_to"]
        if valid_to is not None and valid_from is not None and valid_to < valid_from:
            return RowError(line, "valid_to", _("The validity ends before it starts."), v["valid_to"])
        severity = 1
        if v["severity"]:
            try:
                severity = int(v["severity"])
            except ValueError:
                severity = 0
            if severity not in SEVERITIES:
                return RowError(line, "severity", _("Severity is 1, 2 or 3."), v["severity"])
        text = v["text"]
        if len(text) > MAX_TEXT:
            return RowError(line, "text", _("At most %(n)s characters.") % {"n": MAX_TEXT})
        office = v["source_office"][:100]
        name = v["subject_name"][:200]
        digest = hashlib.md5(  # noqa: S324 - a change detector, not security
            "\x1f".join(
                (key, category, office, str(decided), str(valid_from), str(valid_to), str(severity), text)
            ).encode()
        ).hexdigest()
        return (
            line,
            kind,
            key,
            credit_code,
            cipher,
            index,
            name,
            category,
            rid,
            office,
            decided,
            valid_from,
            valid_to,
            severity,
            text,
            digest,
        )


def _text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(cells: Iterable[Any]) -> list[str]:
    names = [_text(c) for c in cells]
    out = []
    for n in names:
        col = next((k for k, aliases in COLUMNS.items() if n in aliases), "")
        out.append(col)
    missing = [c for c in REQUIRED if c not in out]
    if missing:
        raise FileProblem(
            _("The header row lacks the columns: %(cols)s (expected: %(all)s).")
            % {"cols": ", ".join(missing), "all": ", ".join(COLUMNS)}
        )
    return out


def read_rows(path: Path | str, data: IO[bytes] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, {column: value}) for each data row of a .csv (UTF-8) or .xlsx file; the header is line 1."""
    name = str(path).lower()
    if name.endswith(".xlsx"):
        yield from _xlsx_rows(path, data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        yield from _csv_rows(data if data is not None else Path(path).open("rb"))  # noqa: SIM115
    else:
        raise FileProblem(_("Only .csv (UTF-8) and .xlsx files can be imported."))


def _csv_rows(binary: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.reader(text)
    line = 0
    try:
        head = next(reader, None)
        line = 1
        if head is None:
            raise FileProblem(_("The file is empty."))
        cols = _header(head)
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            yield line, {c: val for c, val in zip(cols, row, strict=False) if c}
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _("The file is not UTF-8 text (near line %(line)s): save it as CSV UTF-8 and import it again.")
            % {"line": line + 1}
        ) from exc
    except csv.Error as exc:
        raise FileProblem(_("The CSV file cannot be read at line %(line)s.") % {"line": line + 1}) from exc
    finally:
        text.detach()


def _xlsx_rows(path: Path | str, data: IO[bytes] | None) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(data if data is not None else path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileProblem(_("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        head = next(rows, None)
        if head is None:
            raise FileProblem(_("The file is empty."))
        cols = _header(head)
        for n, row in enumerate(rows, start=2):
            if not any(c not in (None, "") for c in row):
                continue
            yield n, {c: val for c, val in zip(cols, row, strict=False) if c}
    finally:
        wb.close()
