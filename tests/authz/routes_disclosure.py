"""Authorization rows for the disclosure API: filing, tracking and the 双公示 search are public; a reply
and an extension request are the disclosure office's reviewers', the extension decision its head's
(the office's supervisor). Another office's staff never see the request."""

from __future__ import annotations

from typing import Any

from .registry import ALL, SIGNED_IN, Route

REVIEWER = frozenset({"reviewer"})
SUPERVISOR = frozenset({"supervisor"})


def objects(w: Any) -> dict[str, Any]:
    if "disclosure_routes" in w.extra:
        return w.extra["disclosure_routes"]  # type: ignore[no-any-return]
    from tests.disclosure.builders import request_input
    from yiwang.disclosure import services as s

    def filed(**kw: Any) -> Any:
        return s.request_file(
            actor=w.users["reviewer"], data=request_input(**kw), office=w.office, channel="window"
        )

    pending = filed()
    s.extension_request(actor=w.users["reviewer"], case_id=pending.pk, days=10, reason="需协调")
    w.extra["disclosure_routes"] = {"open": filed(), "pending": pending}
    return w.extra["disclosure_routes"]  # type: ignore[no-any-return]


def _id(key: str) -> Any:
    return lambda w: {"case_id": objects(w)[key].pk}


def _filing(w: Any) -> dict[str, Any]:
    return {
        "applicant_type": "person",
        "applicant_name": "张三",
        "id_number": "11010519491231002X",
        "phone": "13912345678",
        "description": "请公开本单位2019年部门预算",
        "office": w.office.code,
    }


ROUTES = [
    Route("API POST /api/disclosure/requests", allow=SIGNED_IN, must_succeed=SIGNED_IN, data=_filing),
    Route(
        "API GET /api/disclosure/track",
        allow=ALL,
        must_succeed=ALL,
        data=lambda w: {"number": objects(w)["open"].number, "last4": "5678"},
    ),
    Route("API GET /api/disclosure/publications", allow=ALL, must_succeed=ALL),
    Route(
        "API POST /api/disclosure/requests/{case_id}/reply",
        allow=REVIEWER,
        kwargs=_id("open"),
        data=lambda w: {"type": "does_not_exist"},
    ),
    Route(
        "API POST /api/disclosure/requests/{case_id}/extension",
        allow=REVIEWER,
        kwargs=_id("open"),
        data=lambda w: {"days": 5, "reason": "需协调"},
    ),
    Route(
        "API POST /api/disclosure/requests/{case_id}/extension/decision",
        allow=SUPERVISOR,
        kwargs=_id("pending"),
        data=lambda w: {"approve": True, "reason": "同意"},
    ),
]
