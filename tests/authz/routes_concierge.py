"""Authorization rows for the concierge pages and API: the concierge (own portfolio only), the supervisors (add,
transfer, figures), the owning office (answers), applicants (their concierge)."""

from __future__ import annotations

from typing import Any

from .registry import APPLICANTS, Route

CONCIERGE = frozenset({"concierge"})
MANAGE = frozenset({"concierge", "supervisor"})
FIGURES = frozenset({"concierge", "supervisor", "dept_admin"})
OFFICE = frozenset({"reviewer", "supervisor", "dept_admin"})


def objects(w: Any) -> dict[str, Any]:
    from tests.concierge.builders import key_with_case

    return key_with_case(w)


ROUTES = [
    Route("concierge:board", allow=CONCIERGE, must_succeed=CONCIERGE),
    Route(
        "concierge:enterprise",
        allow=CONCIERGE,
        must_succeed=CONCIERGE,
        kwargs=lambda w: {"key_id": objects(w)["key"].pk},
    ),
    Route(
        "concierge:enterprise",
        "POST",
        allow=CONCIERGE,
        json=False,
        kwargs=lambda w: {"key_id": objects(w)["key"].pk},
        data=lambda w: {"action": "note", "case": objects(w)["case"].pk, "text": "跟进"},
    ),
    Route("concierge:figures", allow=FIGURES, must_succeed=FIGURES),
    Route("concierge:mine", allow=APPLICANTS, must_succeed=APPLICANTS),
    Route("API GET /api/concierge/board", allow=CONCIERGE, must_succeed=CONCIERGE),
    Route(
        "API POST /api/concierge/cases/{case_id}/notes",
        allow=CONCIERGE,
        must_succeed=CONCIERGE,
        kwargs=lambda w: {"case_id": objects(w)["case"].pk},
        data=lambda w: {"text": "跟进"},
    ),
    Route(
        "API POST /api/concierge/cases/{case_id}/coordination",
        allow=CONCIERGE,
        must_succeed=CONCIERGE,
        kwargs=lambda w: {"case_id": objects(w)["case"].pk},
        data=lambda w: {"level": 2, "text": "请协调"},
    ),
    Route(
        "API POST /api/concierge/coordination/{request_id}/escalate",
        allow=CONCIERGE,
        kwargs=lambda w: {"request_id": objects(w)["request"].pk},
    ),
    Route(
        "API POST /api/concierge/coordination/{request_id}/answer",
        allow=OFFICE,
        kwargs=lambda w: {"request_id": objects(w)["request"].pk},
        data=lambda w: {"answer": "已办"},
    ),
    Route(
        "API POST /api/concierge/enterprises",
        allow=MANAGE,
        data=lambda w: {
            "credit_code": w.other_enterprise.credit_code,
            "reason": "attracting",
            "concierge": w.users["concierge"].pk,
        },
    ),
    Route(
        "API POST /api/concierge/enterprises/{key_id}/transfer",
        allow=MANAGE,
        kwargs=lambda w: {"key_id": objects(w)["key"].pk},
        data=lambda w: {"to_concierge": w.users["concierge"].pk},
    ),
    Route("API GET /api/concierge/figures", allow=FIGURES, must_succeed=FIGURES),
    Route("API GET /api/concierge/mine", allow=APPLICANTS, must_succeed=APPLICANTS),
]
