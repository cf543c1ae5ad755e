"""Authorization rows for the disclosure pages and API: filing, tracking and the 双公示 search are public; a
reply and an extension request are the disclosure office's reviewers', the extension decision its head's
(the office's supervisor). The inbox and a request's page are the office's staff's (reviewers, the head,
the department administrator); another office's staff never see the request."""

from __future__ import annotations

from typing import Any

from .registry import ALL, NOBODY, SIGNED_IN, Route

REVIEWER = frozenset({"reviewer"})
SUPERVISOR = frozenset({"supervisor"})
OFFICE = frozenset({"reviewer", "supervisor", "dept_admin"})
APPLICANT = frozenset({"applicant"})


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
    other = s.request_file(
        actor=None, data=request_input(phone="13900000777"), office=w.other_office, channel="online"
    )
    own = s.request_file(
        actor=w.users["applicant"],
        data=request_input(phone="13900000780"),
        office=w.office,
        channel="online",
        person=w.users["applicant"].person,
    )
    replied = filed(phone="13900000779")
    s.reply_send(actor=w.users["reviewer"], case_id=replied.pk, data=s.ReplyInput("does_not_exist", {}))
    w.extra["disclosure_routes"] = {
        "open": filed(),
        "pending": pending,
        "other": other,
        "replied": replied,
        "own": own,
    }
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


def _page_filing(w: Any) -> dict[str, Any]:
    return {**_filing(w), "phone": "13900000778", "form": "electronic"}


def _track(w: Any) -> dict[str, str]:
    return {"number": objects(w)["open"].number, "last4": "5678"}


ROUTES = [
    # portal
    Route("disclosure:file", allow=ALL, must_succeed=ALL),
    Route("disclosure:file", "POST", allow=ALL, must_succeed=ALL, json=False, data=_page_filing),
    Route("disclosure:track", allow=ALL, must_succeed=ALL, data=_track),
    Route(
        "disclosure:reply_pdf",
        allow=ALL,
        must_succeed=ALL,
        data=lambda w: {"number": objects(w)["replied"].number, "last4": "0779"},
    ),
    Route(
        "disclosure:withdraw",
        "POST",
        allow=APPLICANT,
        must_succeed=APPLICANT,
        json=False,
        kwargs=_id("own"),
        data=lambda w: {"reason": "不再需要"},
        variant="the applicant's own request",
    ),
    Route("disclosure:publications", allow=ALL, must_succeed=ALL),
    Route(
        "disclosure:publications",
        allow=ALL,
        must_succeed=ALL,
        query={"format": "xlsx", "kind": "penalty"},
        variant="Excel",
    ),
    # workbench
    Route("disclosure:inbox", allow=OFFICE, must_succeed=OFFICE),
    Route("disclosure:figures", allow=OFFICE, must_succeed=OFFICE),
    Route(
        "disclosure:request",
        allow=OFFICE,
        must_succeed=OFFICE,
        kwargs=_id("open"),
        variant="own office",
    ),
    Route("disclosure:request", allow=NOBODY, kwargs=_id("other"), variant="other office"),
    Route(
        "disclosure:request",
        "POST",
        allow=REVIEWER,
        json=False,
        kwargs=_id("open"),
        data=lambda w: {"action": "third_party", "name": "某科技有限公司"},
        variant="third party, own office",
    ),
    Route(
        "disclosure:request",
        "POST",
        allow=SUPERVISOR,
        json=False,
        kwargs=_id("pending"),
        data=lambda w: {"action": "extension_decision", "approve": "1", "reason": "同意"},
        variant="extension decision",
    ),
    Route(
        "disclosure:request",
        "POST",
        allow=NOBODY,
        json=False,
        kwargs=_id("other"),
        data=lambda w: {"action": "confirm"},
        variant="confirm, other office",
    ),
    # API
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
