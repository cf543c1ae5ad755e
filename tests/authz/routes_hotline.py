"""Authorization rows for the hotline pages and API: the operator (话务员), the dispatcher (派单员), the handling
office, a co-handling office, the supervisor and the public. An office never sees another office's ticket
unless it co-handles it. Objects are built once per test world (cached in ``world.extra``)."""

from __future__ import annotations

from typing import Any

from .registry import ALL, NOBODY, Route

OPERATOR = frozenset({"hotline_operator"})
DISPATCHER = frozenset({"dispatcher"})
DESK = OPERATOR | DISPATCHER
OFFICE = frozenset({"reviewer", "supervisor", "dept_admin"})
REVIEWER = frozenset({"reviewer"})
SUPERVISOR = frozenset({"supervisor"})
FIGURES = frozenset({"supervisor", "dept_admin", "dispatcher"})


def objects(w: Any) -> dict[str, Any]:
    if "hotline_routes" in w.extra:
        return w.extra["hotline_routes"]  # type: ignore[no-any-return]
    from tests.hotline.builders import accepted, call, dispatched, replied, setup
    from yiwang.hotline import services as s

    h = setup(w)
    received = call(w, caller_phone="13900000101")
    duplicate = call(w, caller_phone="13900000102")
    own = dispatched(w, caller_phone="13900000103")
    other = dispatched(w, category="urban", caller_phone="13900000104")  # to the other office
    co = call(w, category="urban", caller_phone="13900000105")
    s.ticket_dispatch(actor=w.users["dispatcher"], case_id=co.pk, co_offices=[w.office.code])
    s.ticket_accept(actor=h["other_reviewer"], case_id=co.pk)
    working = accepted(w, caller_phone="13900000106")
    answered = replied(w, caller_phone="13900000107")
    unhappy = replied(w, caller_phone="13900000108")
    filed = s.ticket_receive(
        actor=None,
        data=s.TicketInput(
            type="help", category="env", description="路灯不亮", address="龙城街道", anonymous=True
        ),
        channel="api",
        source="open311:test",
    )
    s.ticket_callback(actor=w.users["hotline_operator"], case_id=unhappy.pk, rating="unsatisfied")
    w.extra["hotline_routes"] = {
        "received": received,
        "duplicate": duplicate,
        "own": own,
        "other": other,
        "co": co,
        "accepted": working,
        "replied": answered,
        "unsatisfied": unhappy,
        "other_office": w.other_office.code,
        "filed": filed,
    }
    return w.extra["hotline_routes"]  # type: ignore[no-any-return]


def _id(key: str) -> Any:
    return lambda w: {"case_id": objects(w)[key].pk}


def _follow(w: Any) -> dict[str, str]:
    return {"number": objects(w)["replied"].number, "last4": "0107"}


def _call(w: Any) -> dict[str, Any]:
    return {
        "type": "consultation",
        "category": "env",
        "description": "咨询",
        "caller_phone": "13900000199",
        "community": w.community.code,
    }


def _api(path: str, key: str, allow: frozenset[str], data: Any = None, variant: str = "") -> Route:
    return Route(
        f"API POST /api/hotline/tickets/{{case_id}}/{path}",
        allow=allow,
        kwargs=_id(key),
        data=data,
        variant=variant,
    )


ROUTES = [
    # portal
    Route("hotline:file", allow=ALL, must_succeed=ALL),
    Route(
        "hotline:file",
        "POST",
        allow=ALL,
        json=False,
        data=lambda w: {**_call(w), "caller_phone": "13900000198"},
    ),
    Route("hotline:follow", allow=ALL, must_succeed=ALL, data=_follow),
    Route(
        "hotline:follow",
        "POST",
        allow=ALL,
        json=False,
        data=lambda w: {**_follow(w), "rating": "satisfied"},
    ),
    # workbench
    Route("hotline:intake", allow=OPERATOR, must_succeed=OPERATOR),
    Route("hotline:intake", "POST", allow=OPERATOR, json=False, data=_call),
    Route("hotline:callbacks", allow=OPERATOR, must_succeed=OPERATOR),
    Route("hotline:board", allow=DISPATCHER, must_succeed=DISPATCHER),
    Route("hotline:inbox", allow=OFFICE, must_succeed=OFFICE),
    Route("hotline:escalations", allow=SUPERVISOR, must_succeed=SUPERVISOR),
    Route("hotline:search", allow=DESK | OFFICE, must_succeed=DESK | OFFICE),
    Route("hotline:figures", allow=FIGURES, must_succeed=FIGURES),
    Route("hotline:map", allow=FIGURES, must_succeed=FIGURES),
    Route(
        "hotline:ticket",
        allow=DESK | OFFICE,
        must_succeed=DESK | OFFICE,
        kwargs=_id("own"),
        variant="own office",
    ),
    Route("hotline:ticket", allow=DESK, must_succeed=DESK, kwargs=_id("other"), variant="other office"),
    Route("hotline:ticket", allow=DESK, must_succeed=DESK, kwargs=_id("received"), variant="not dispatched"),
    Route("hotline:ticket", allow=DESK | OFFICE, kwargs=_id("co"), variant="co-handling office"),
    Route(
        "hotline:ticket",
        "POST",
        allow=DISPATCHER,
        json=False,
        kwargs=_id("received"),
        data=lambda w: {"action": "dispatch"},
        variant="dispatch",
    ),
    Route(
        "hotline:ticket",
        "POST",
        allow=REVIEWER,
        json=False,
        kwargs=_id("own"),
        data=lambda w: {"action": "accept"},
        variant="accept, own office",
    ),
    Route(
        "hotline:ticket",
        "POST",
        allow=NOBODY,
        json=False,
        kwargs=_id("other"),
        data=lambda w: {"action": "accept"},
        variant="accept, other office",
    ),
    Route("hotline:reveal", "POST", allow=OPERATOR, json=False, kwargs=_id("own")),
    # API
    Route("API GET /api/hotline/categories", allow=ALL, must_succeed=ALL),
    Route("API POST /api/hotline/tickets", allow=OPERATOR, data=_call),
    Route("API GET /api/hotline/tickets", allow=DESK | OFFICE, must_succeed=DESK | OFFICE),
    Route(
        "API GET /api/hotline/tickets/duplicates",
        allow=OPERATOR,
        must_succeed=OPERATOR,
        data=lambda w: {"caller_phone": "13900000101"},
    ),
    Route(
        "API GET /api/hotline/tickets/{case_id}",
        allow=DESK | OFFICE,
        must_succeed=DESK | OFFICE,
        kwargs=_id("own"),
        variant="own",
    ),
    Route(
        "API GET /api/hotline/tickets/{case_id}",
        allow=DESK,
        must_succeed=DESK,
        kwargs=_id("other"),
        variant="other office",
    ),
    Route(
        "API GET /api/hotline/tickets/{case_id}", allow=DESK | OFFICE, kwargs=_id("co"), variant="co-handling"
    ),
    _api("dispatch", "received", DISPATCHER),
    _api("accept", "own", REVIEWER, variant="own"),
    _api("accept", "other", NOBODY, variant="other office"),
    _api("return", "own", REVIEWER, data=lambda w: {"reason": "不属本单位"}),
    _api(
        "reassign", "own", DISPATCHER, data=lambda w: {"office": objects(w)["other_office"], "reason": "转派"}
    ),
    _api("answer-part", "co", REVIEWER, data=lambda w: {"text": "本单位部分已核实"}),
    _api("request-extension", "accepted", REVIEWER, data=lambda w: {"days": 2, "reason": "需会商"}),
    _api("decide-extension", "accepted", SUPERVISOR, data=lambda w: {"approve": True}),
    _api("reply", "accepted", REVIEWER, data=lambda w: {"handling": "已处理", "reply": "已答复"}),
    _api("callback", "replied", OPERATOR, data=lambda w: {"rating": "satisfied"}),
    _api("reopen", "unsatisfied", SUPERVISOR, data=lambda w: {"reason": "复查"}),
    _api("close", "unsatisfied", SUPERVISOR, data=lambda w: {}),
    _api("merge", "duplicate", DESK, data=lambda w: {"into": objects(w)["received"].pk}),
    Route("API GET /api/hotline/follow", allow=ALL, must_succeed=ALL, data=_follow),
    Route("API POST /api/hotline/follow/rate", allow=ALL, data=lambda w: {**_follow(w), "rating": "basic"}),
    Route("API GET /api/hotline/figures", allow=FIGURES, must_succeed=FIGURES),
    # Open311 GeoReport v2: reading is public; creating needs a system's api_key (no role has one).
    Route("open311:services", allow=ALL, must_succeed=ALL, kwargs=lambda w: {"fmt": "json"}),
    Route(
        "open311:service",
        allow=ALL,
        must_succeed=ALL,
        kwargs=lambda w: {"code": objects(w)["own"].ticket.category.code, "fmt": "xml"},
    ),
    Route("open311:requests", allow=ALL, must_succeed=ALL, kwargs=lambda w: {"fmt": "json"}),
    Route(
        "open311:requests",
        "POST",
        allow=NOBODY,
        json=False,
        kwargs=lambda w: {"fmt": "json"},
        data=lambda w: {"service_code": "env", "address_string": "龙城", "attribute[type]": "help"},
        variant="without an api_key",
    ),
    Route(
        "open311:request",
        allow=ALL,
        must_succeed=ALL,
        kwargs=lambda w: {"request_id": objects(w)["filed"].number, "fmt": "json"},
    ),
    Route(
        "open311:token",
        allow=ALL,
        must_succeed=ALL,
        kwargs=lambda w: {"token": objects(w)["filed"].ticket.token, "fmt": "json"},
    ),
]
