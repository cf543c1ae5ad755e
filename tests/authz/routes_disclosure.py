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
    from datetime import date

    from yiwang.disclosure import proactive as pr

    item = pr.item_save(
        actor=w.users["reviewer"],
        office=w.office,
        data=pr.ItemInput(column="fiscal", title="部门预算", body="<p>预算</p>", publish=True),
    )
    doc = pr.normative_register(
        actor=w.users["reviewer"],
        office=w.office,
        data=pr.NormativeInput("某办法", "第一条", date(2025, 3, 1)),
    )
    w.extra["disclosure_routes"] = {
        "item": item,
        "doc": doc,
        "open": filed(),
        "pending": pending,
        "other": other,
        "replied": replied,
        "own": own,
    }
    return w.extra["disclosure_routes"]  # type: ignore[no-any-return]


def _item(w: Any) -> dict[str, Any]:
    return {"item_id": objects(w)["item"].pk}


def _doc(w: Any) -> dict[str, Any]:
    return {"document_id": objects(w)["doc"].pk}


def _item_data(w: Any) -> dict[str, Any]:
    return {"column": "housing", "title": "保障房分配", "body": "<p>名单</p>"}


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
    # proactive disclosure, normative documents, the annual report
    Route("disclosure:proactive", allow=ALL, must_succeed=ALL),
    Route("disclosure:proactive_item", allow=ALL, must_succeed=ALL, kwargs=_item),
    Route("disclosure:item_attachment", allow=NOBODY, kwargs=_item, variant="no attachment: 404 for all"),
    Route("disclosure:normative", allow=ALL, must_succeed=ALL),
    Route("disclosure:normative_document", allow=ALL, must_succeed=ALL, kwargs=_doc),
    Route("disclosure:office_items", allow=OFFICE, must_succeed=OFFICE),
    Route("disclosure:office_items", "POST", allow=OFFICE, must_succeed=OFFICE, json=False, data=_item_data),
    Route("disclosure:office_item", allow=OFFICE, must_succeed=OFFICE, kwargs=_item),
    Route(
        "disclosure:office_item",
        "POST",
        allow=OFFICE,
        kwargs=_item,
        json=False,
        data=lambda w: {"action": "change", **_item_data(w)},
    ),
    Route("disclosure:office_register", allow=OFFICE, must_succeed=OFFICE),
    Route(
        "disclosure:office_register",
        "POST",
        allow=OFFICE,
        must_succeed=OFFICE,
        json=False,
        data=lambda w: {"action": "register", "title": "某规定", "body": "第一条", "issued_on": "2025-04-01"},
    ),
    Route("disclosure:annual_report", allow=OFFICE, must_succeed=OFFICE, kwargs=lambda w: {"fmt": "xlsx"}),
    Route("API GET /api/disclosure/items", allow=ALL, must_succeed=ALL),
    Route("API GET /api/disclosure/items/{item_id}", allow=ALL, must_succeed=ALL, kwargs=_item),
    Route("API GET /api/disclosure/items/overdue", allow=OFFICE, must_succeed=OFFICE),
    Route("API POST /api/disclosure/items", allow=OFFICE, must_succeed=OFFICE, data=_item_data),
    Route(
        "API PUT /api/disclosure/items/{item_id}",
        allow=OFFICE,
        must_succeed=OFFICE,
        kwargs=_item,
        data=_item_data,
    ),
    Route("API POST /api/disclosure/items/{item_id}/publish", allow=OFFICE, kwargs=_item),
    Route(
        "API POST /api/disclosure/items/{item_id}/withdraw",
        allow=OFFICE,
        kwargs=_item,
        data=lambda w: {"reason": "公示期满"},
    ),
    Route("API GET /api/disclosure/normative", allow=ALL, must_succeed=ALL),
    Route("API GET /api/disclosure/normative/{document_id}", allow=ALL, must_succeed=ALL, kwargs=_doc),
    Route(
        "API POST /api/disclosure/normative",
        allow=OFFICE,
        must_succeed=OFFICE,
        data=lambda w: {"title": "某规定", "body": "第一条", "issued_on": "2025-04-01"},
    ),
    Route(
        "API POST /api/disclosure/normative/{document_id}/status",
        allow=OFFICE,
        kwargs=_doc,
        data=lambda w: {"status": "repealed", "note": "清理废止"},
    ),
    Route(
        "API POST /api/disclosure/interpretations",
        allow=OFFICE,
        must_succeed=OFFICE,
        data=lambda w: {"title": "解读", "form": "text", "body": "要点", "document_id": objects(w)["doc"].pk},
    ),
    Route(
        "API POST /api/disclosure/requests/{case_id}/remedy",
        allow=OFFICE,
        must_succeed=OFFICE,
        kwargs=_id("replied"),
        data=lambda w: {"reconsideration": "upheld"},
    ),
    Route(
        "API GET /api/disclosure/annual-report/{year}",
        allow=OFFICE,
        must_succeed=OFFICE,
        kwargs=lambda w: {"year": 2025},
    ),
]
