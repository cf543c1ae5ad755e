"""Authorization rows for the credit pages and API: the credit officers (import, push, repair, rules), the
supervisors (read), the department administrators (figures), applicants (their own standing), the public (the
published rules). Objects are built once per test world (cached in ``world.extra``)."""

from __future__ import annotations

from typing import Any

from .registry import ALL, APPLICANTS, Route

OFFICER = frozenset({"credit_officer"})
READ = frozenset({"credit_officer", "supervisor"})
FIGURES = frozenset({"credit_officer", "supervisor", "dept_admin"})


def objects(w: Any) -> dict[str, Any]:
    if "credit_routes" in w.extra:
        return w.extra["credit_routes"]  # type: ignore[no-any-return]
    from tests.credit.builders import csv_text, load, row
    from tests.factories import credit_code
    from yiwang.credit.models import Record, Subject

    code = credit_code(901)
    batch = load(csv_text(row(code, "court_dishonest", "authz-1"), row(code, "tax_a", "authz-2"))).batch
    w.extra["credit_routes"] = {
        "code": code,
        "subject": Subject.objects.get(key=code),
        "black": Record.objects.get(source_record_id="authz-1"),
        "batch": batch,
    }
    return w.extra["credit_routes"]  # type: ignore[no-any-return]


def _push(w: Any) -> dict[str, Any]:
    return {
        "source": "authz",
        "records": [
            {
                "subject_code": objects(w)["code"],
                "category": "honours",
                "source_record_id": "p-1",
                "source_office": "区政府",
                "decision_date": "2025-05-01",
            }
        ],
    }


ROUTES = [
    Route("credit:records", allow=READ, must_succeed=READ),
    Route(
        "credit:subject",
        allow=READ,
        must_succeed=READ,
        kwargs=lambda w: {"subject_id": objects(w)["subject"].pk},
    ),
    Route(
        "credit:subject",
        "POST",
        allow=OFFICER,
        json=False,
        kwargs=lambda w: {"subject_id": objects(w)["subject"].pk},
        data=lambda w: {
            "record": objects(w)["black"].pk,
            "decision_reference": "",
            "decided_on": "2026-01-05",
        },
        variant="repair without a reference",
    ),
    Route("credit:imports", allow=READ, must_succeed=READ),
    Route(
        "credit:import", allow=READ, must_succeed=READ, kwargs=lambda w: {"batch_id": objects(w)["batch"].pk}
    ),
    Route("credit:figures", allow=FIGURES, must_succeed=FIGURES),
    Route("credit:rules", allow=ALL, must_succeed=ALL),
    Route("credit:mine", allow=APPLICANTS, must_succeed=APPLICANTS),
    Route("API POST /api/credit/records", allow=OFFICER, must_succeed=OFFICER, data=_push),
    Route("API GET /api/credit/records", allow=READ, must_succeed=READ),
    Route(
        "API GET /api/credit/standing",
        allow=READ,
        must_succeed=READ,
        query={"code": "91440307MA5T00901"},
    ),
    Route("API GET /api/credit/imports", allow=READ, must_succeed=READ),
    Route(
        "API POST /api/credit/records/{record_id}/repair",
        allow=OFFICER,
        kwargs=lambda w: {"record_id": objects(w)["black"].pk},
        data=lambda w: {"decision_reference": "修复〔2026〕1号", "decided_on": "2026-01-05"},
    ),
    Route("API GET /api/credit/rules", allow=ALL, must_succeed=ALL),
    Route(
        "API PATCH /api/credit/rules/{code}",
        allow=OFFICER,
        must_succeed=OFFICER,
        kwargs=lambda w: {"code": "red-honours"},
        data=lambda w: {"active": True},
    ),
    Route("API GET /api/credit/figures", allow=FIGURES, must_succeed=FIGURES),
    Route("API GET /api/credit/mine", allow=APPLICANTS, must_succeed=APPLICANTS),
]
