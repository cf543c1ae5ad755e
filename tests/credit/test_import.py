"""The import: every bad row reported with its line and reason, the rest merged, idempotent, corrections replace."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tests.factories import credit_code, resident_id
from yiwang.core.errors import ServiceError
from yiwang.credit import selectors
from yiwang.credit.models import ImportBatch, Record, Subject

from .builders import HEADER, csv_text, load, row

pytestmark = pytest.mark.django_db
E1, E2 = credit_code(501), credit_code(502)
P1 = resident_id("19800101", 11)


def test_every_bad_row_is_reported_and_the_rest_loaded() -> None:
    bad_code = E1[:-1] + ("0" if E1[-1] != "0" else "1")
    data = csv_text(
        row(E1, "tax_a", "r1"),
        row(bad_code, "tax_a", "r2"),
        row(E2, "no_such", "r3"),
        row(E2, "tax_d", "r4", decided="2025-13-01"),
        row(E2, "tax_d", "r1"),
        row(P1, "court_dishonest", "r6", sev=3),
        row(E2, "tax_d", "r7", sev=5),
    )
    out = load(data)
    got = [(e.line, e.column) for e in out.errors]
    assert got == [
        (3, "subject_code"),
        (4, "category"),
        (5, "decision_date"),
        (6, "source_record_id"),
        (8, "severity"),
    ]
    assert "line 2" in out.errors[3].message or "2" in out.errors[3].message
    b = out.batch
    assert (b.rows_total, b.rows_bad, b.inserted, b.updated, b.unchanged) == (7, 5, 2, 0, 0)
    assert sorted(Record.objects.values_list("source_record_id", flat=True)) == ["r1", "r6"]
    person = Subject.objects.get(kind="P")
    assert person.id_number == P1 and person.key != P1  # kept by its blind index, encrypted
    assert b.errors[0] == {
        "line": 3,
        "column": "subject_code",
        "message": out.errors[0].message,
        "value": bad_code,
    }


def test_importing_the_same_records_again_changes_nothing_and_a_correction_replaces() -> None:
    data = csv_text(row(E1, "tax_a", "r1"), row(E2, "tax_d", "r2"))
    first = load(data).batch
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    stamp = Record.objects.get(source_record_id="r1").updated_at
    again = load(data).batch
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert Record.objects.get(source_record_id="r1").updated_at == stamp
    fixed = load(csv_text(row(E1, "tax_a", "r1"), row(E2, "mr_abnormal", "r2", text="更正"))).batch
    assert (fixed.inserted, fixed.updated, fixed.unchanged) == (0, 1, 1)
    r2 = Record.objects.get(source_record_id="r2")
    assert (r2.category, r2.text) == ("mr_abnormal", "更正")
    assert Record.objects.count() == 2
    # the same id from another source is another record
    assert load(data, source="court").batch.inserted == 2


def test_a_file_that_is_not_utf8_loads_nothing_and_says_so() -> None:
    data = (HEADER + "\n" + row(E1, "tax_a", "r1", text="欠税")).encode("gbk")
    with pytest.raises(ServiceError) as exc:
        load(data)
    assert "UTF-8" in str(exc.value)
    assert Record.objects.count() == 0
    batch = ImportBatch.objects.get()
    assert batch.state == "failed" and "UTF-8" in batch.message


def test_a_header_without_the_required_columns_is_refused() -> None:
    with pytest.raises(ServiceError, match="category"):
        load(b"subject_code,source_record_id\n" + E1.encode() + b",r1\n")


def test_an_excel_workbook_is_read_like_a_csv() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.split(","))
    ws.append([E1, "甲公司", "tax_a", "x1", "税务局", "2025-01-02", None, None, 1, ""])
    ws.append([E2, "乙公司", "tax_x", "x2", "税务局", "2025-01-02", None, None, 1, ""])
    buf = io.BytesIO()
    wb.save(buf)
    out = load(buf.getvalue(), name="records.xlsx")
    assert [(e.line, e.column) for e in out.errors] == [(3, "category")]
    assert Record.objects.get().source_record_id == "x1"


def test_an_unknown_subject_is_kept_by_code_and_linked_when_it_appears(world) -> None:
    code = world.enterprise.credit_code
    unknown = credit_code(777)
    load(csv_text(row(code, "tax_a", "k1"), row(unknown, "court_dishonest", "k2")))
    assert Subject.objects.get(key=code).enterprise == world.enterprise
    assert Subject.objects.get(key=unknown).enterprise is None
    assert selectors.standing_for_key(unknown).list == "black"
