"""Authorization rows for the applications pages and API, with own / other-office / other-applicant and
enterprise variants. Objects are built once per test world (lazily, cached in ``world.extra``)."""

from __future__ import annotations

from typing import Any

from .registry import ALL, APPLICANTS, NOBODY, Route

CLERK = frozenset({"clerk"})
# Assisted service (帮办代办): clerks at their hall, grid workers in their community.
ASSIST = frozenset({"clerk", "grid_worker"})
SUPERVISOR = frozenset({"supervisor"})
INBOX = frozenset({"clerk", "reviewer", "supervisor", "hall_manager", "dept_admin"})
# Staff who may see a case received at the world's hall and owned by the world's office.
CASE_STAFF = INBOX
FIGURES = frozenset({"supervisor", "hall_manager", "dept_admin"})
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def objects(w: Any) -> dict[str, Any]:
    if "applications" in w.extra:
        return w.extra["applications"]  # type: ignore[no-any-return]
    from tests.applications.builders import code_of, make_item
    from tests.factories import make_staff
    from yiwang.accounts.roles import Role
    from yiwang.applications import services as s

    item = make_item(w)
    other_item = make_item(w, office=w.other_office, levels=("street",), name="临时救助")
    clerk = w.users["clerk"]
    provided = [code_of(item, 1), code_of(item, 2)]
    own = s.application_receive(
        actor=clerk,
        item=item,
        person=w.person,
        provided=provided,
        uploads=[s.Upload(code_of(item, 1), PDF, "a.pdf")],
    )
    ent = s.application_receive(
        actor=clerk, item=item, enterprise=w.enterprise, agent=w.users["agent"].person, provided=provided
    )
    other_clerk = make_staff("t_clerk_other", [Role.CLERK], hall=w.other_hall)
    other = s.application_receive(
        actor=other_clerk,
        item=other_item,
        person=w.other_person,
        provided=[code_of(other_item, 1), code_of(other_item, 2)],
        uploads=[s.Upload(code_of(other_item, 1), PDF, "b.pdf")],
    )
    draft = s.application_draft_create(actor=w.users["applicant"], item=item)
    # A grid worker's assisted application for a resident of their community (the grid worker may read it;
    # nobody else of the front office, since no hall received it).
    from tests.factories import make_person

    resident = make_person("社区居民", community=w.community)
    assisted = s.application_assist(
        actor=w.users["grid_worker"],
        person=resident,
        item=item,
        consent=s.Consent(method="in_person", given_on=_today()),
        return_hall=w.hall,
    )
    w.extra["applications"] = {
        "item": item,
        "own": own,
        "ent": ent,
        "other": other,
        "draft": draft,
        "assisted": assisted,
        "resident": resident,
        "own_notice": own.notices.first() or _notice(own),
        "other_notice": _notice(other),
        "own_att": own.attachments.first(),
        "other_att": other.attachments.first(),
        "last4": w.person.id_number[-4:],
    }
    return w.extra["applications"]  # type: ignore[no-any-return]


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _notice(case: Any) -> Any:
    from yiwang.cases.services import case_notice_issue

    return case_notice_issue(
        case=case, actor=None, kind="acceptance", title="受理通知书", pdf=None, data={"date": "2026-01-05"}
    )


def _case(key: str) -> Any:
    return lambda w: {"case_id": objects(w)[key].pk}


def _progress_query(w: Any) -> dict[str, str]:
    o = objects(w)
    return {"number": o["own"].number, "last4": o["last4"]}


ROUTES = [
    # portal
    Route("applications:progress", allow=ALL, must_succeed=ALL, data=_progress_query),
    Route("applications:items", allow=ALL, must_succeed=ALL),
    Route(
        "applications:start",
        allow=APPLICANTS,
        must_succeed=APPLICANTS,
        kwargs=lambda w: {"code": objects(w)["item"].code},
    ),
    Route(
        "applications:start",
        "POST",
        allow=APPLICANTS,
        json=False,
        kwargs=lambda w: {"code": objects(w)["item"].code},
        data=lambda w: {"delivery_method": "pickup"},
    ),
    Route("applications:mine", allow=APPLICANTS, must_succeed=APPLICANTS),
    Route(
        "applications:detail",
        allow=frozenset({"applicant"}),
        must_succeed=frozenset({"applicant"}),
        kwargs=_case("own"),
        variant="own",
    ),
    Route(
        "applications:detail",
        allow=frozenset({"agent"}),
        must_succeed=frozenset({"agent"}),
        kwargs=_case("ent"),
        variant="enterprise",
    ),
    Route("applications:detail", allow=NOBODY, kwargs=_case("other"), variant="other applicant"),
    Route(
        "applications:detail",
        "POST",
        allow=frozenset({"applicant"}),
        json=False,
        kwargs=_case("draft"),
        data=lambda w: {"action": "save"},
        variant="own draft",
    ),
    Route(
        "applications:detail",
        "POST",
        allow=NOBODY,
        json=False,
        kwargs=_case("other"),
        data=lambda w: {"action": "withdraw"},
        variant="other applicant",
    ),
    Route(
        "applications:notice",
        allow=CASE_STAFF | {"applicant"},
        must_succeed=CASE_STAFF | {"applicant"},
        kwargs=lambda w: {"notice_id": objects(w)["own_notice"].pk},
        variant="own",
    ),
    Route(
        "applications:notice",
        allow=NOBODY,
        kwargs=lambda w: {"notice_id": objects(w)["other_notice"].pk},
        variant="other office, other applicant",
    ),
    Route(
        "applications:attachment",
        allow=CASE_STAFF | {"applicant"},
        must_succeed=CASE_STAFF | {"applicant"},
        kwargs=lambda w: {"attachment_id": objects(w)["own_att"].pk},
        variant="own",
    ),
    Route(
        "applications:attachment",
        allow=NOBODY,
        kwargs=lambda w: {"attachment_id": objects(w)["other_att"].pk},
        variant="other office, other applicant",
    ),
    # workbench
    Route("applications:reception", allow=CLERK, must_succeed=CLERK),
    Route("applications:reception", "POST", allow=CLERK, json=False, data=lambda w: {}),
    Route("applications:assist", allow=ASSIST, must_succeed=ASSIST),
    Route(
        "applications:assist",
        allow=ASSIST,
        must_succeed=ASSIST,
        variant="resident of the grid worker's community",
        data=lambda w: {"person": objects(w)["resident"].pk},
    ),
    Route(
        "applications:assist",
        allow=frozenset({"clerk"}),
        data=lambda w: {"person": w.other_person.pk},
        variant="resident of another community",
    ),
    Route(
        "applications:assist",
        "POST",
        allow=ASSIST,
        json=False,
        data=lambda w: {"step": "find", "id_number": objects(w)["resident"].id_number},
    ),
    Route("applications:assisted", allow=ASSIST, must_succeed=ASSIST),
    Route("applications:inbox", allow=INBOX, must_succeed=INBOX),
    Route("applications:deadlines", allow=INBOX, must_succeed=INBOX),
    Route("applications:approvals", allow=SUPERVISOR, must_succeed=SUPERVISOR),
    Route("applications:figures", allow=FIGURES, must_succeed=FIGURES),
    Route("applications:case", allow=CASE_STAFF, must_succeed=CASE_STAFF, kwargs=_case("own"), variant="own"),
    Route("applications:case", allow=NOBODY, kwargs=_case("other"), variant="other office"),
    # The grid worker who assisted reads the case, besides the owning office and the hall returning the result.
    Route(
        "applications:case",
        allow=CASE_STAFF | {"grid_worker"},
        must_succeed=CASE_STAFF | {"grid_worker"},
        kwargs=_case("assisted"),
        variant="assisted by the grid worker",
    ),
    Route(
        "applications:case",
        "POST",
        allow=CASE_STAFF,
        json=False,
        kwargs=_case("own"),
        data=lambda w: {"action": "note", "text": "已电话联系"},
        variant="own",
    ),
    Route(
        "applications:case",
        "POST",
        allow=NOBODY,
        json=False,
        kwargs=_case("other"),
        data=lambda w: {"action": "note", "text": "x"},
        variant="other office",
    ),
    # API
    Route("API GET /api/applications/progress", allow=ALL, must_succeed=ALL, data=_progress_query),
    Route("API POST /api/applications", allow=APPLICANTS, data=lambda w: {"item": objects(w)["item"].code}),
    Route(
        "API POST /api/applications/receive",
        allow=CLERK,
        data=lambda w: {"item": objects(w)["item"].code, "person_id": w.other_person.pk},
    ),
    Route(
        "API POST /api/applications/assisted",
        allow=ASSIST,
        data=lambda w: {
            "id_number": objects(w)["resident"].id_number,
            "item": objects(w)["item"].code,
            "consent_method": "in_person",
            "consent_date": _today().isoformat(),
            "return_hall_id": w.hall.pk,
        },
        variant="resident of the grid worker's community",
    ),
    Route(
        "API POST /api/applications/assisted",
        allow=CLERK,
        data=lambda w: {
            "id_number": w.other_person.id_number,
            "item": objects(w)["item"].code,
            "consent_method": "in_person",
            "consent_date": _today().isoformat(),
        },
        variant="resident of another community",
    ),
    Route("API GET /api/applications", allow=APPLICANTS | INBOX, must_succeed=APPLICANTS | INBOX),
    Route("API GET /api/applications/approvals", allow=SUPERVISOR, must_succeed=SUPERVISOR),
    Route("API GET /api/applications/figures", allow=FIGURES, must_succeed=FIGURES),
    Route(
        "API GET /api/applications/{case_id}",
        allow=CASE_STAFF | {"applicant"},
        must_succeed=CASE_STAFF | {"applicant"},
        kwargs=_case("own"),
        variant="own",
    ),
    Route(
        "API GET /api/applications/{case_id}",
        allow=CASE_STAFF | {"agent"},
        must_succeed=CASE_STAFF | {"agent"},
        kwargs=_case("ent"),
        variant="enterprise",
    ),
    Route(
        "API GET /api/applications/{case_id}",
        allow=NOBODY,
        kwargs=_case("other"),
        variant="other office, other applicant",
    ),
    Route(
        "API POST /api/applications/{case_id}/actions/{action}",
        allow=frozenset({"clerk", "reviewer"}),
        kwargs=lambda w: {"case_id": objects(w)["own"].pk, "action": "start_pre_review"},
        variant="own",
    ),
    Route(
        "API POST /api/applications/{case_id}/actions/{action}",
        allow=frozenset({"applicant"}),
        kwargs=lambda w: {"case_id": objects(w)["draft"].pk, "action": "withdraw"},
        variant="own draft",
    ),
    Route(
        "API POST /api/applications/{case_id}/actions/{action}",
        allow=NOBODY,
        kwargs=lambda w: {"case_id": objects(w)["other"].pk, "action": "start_pre_review"},
        variant="other office",
    ),
    Route(
        "API POST /api/applications/{case_id}/licence-materials",
        allow=frozenset({"applicant"}),
        kwargs=lambda w: {"case_id": objects(w)["draft"].pk},
        data=lambda w: {"material": "x", "licence_version_id": 1},
        variant="own draft",
    ),
    Route(
        "API POST /api/applications/{case_id}/licence-materials",
        allow=NOBODY,
        kwargs=lambda w: {"case_id": objects(w)["other"].pk},
        data=lambda w: {"material": "x", "licence_version_id": 1},
        variant="other applicant",
    ),
    Route(
        "API PUT /api/applications/{case_id}/answers",
        allow=frozenset({"applicant"}),
        kwargs=lambda w: {"case_id": objects(w)["draft"].pk},
        data=lambda w: {"answers": {}},
        variant="own draft",
    ),
    Route(
        "API PUT /api/applications/{case_id}/answers",
        allow=NOBODY,
        kwargs=lambda w: {"case_id": objects(w)["other"].pk},
        data=lambda w: {"answers": {}},
        variant="other applicant",
    ),
    Route(
        "API POST /api/applications/{case_id}/materials/{code}",
        allow=frozenset({"applicant"}),
        kwargs=lambda w: {"case_id": objects(w)["draft"].pk, "code": "x"},
        variant="own draft",
    ),
    Route(
        "API POST /api/applications/{case_id}/materials/{code}",
        allow=NOBODY,
        kwargs=lambda w: {"case_id": objects(w)["other"].pk, "code": "x"},
        variant="other applicant",
    ),
]


def _action_rows() -> list[Route]:
    """Each action's own operation: on the world's case (received at its hall, owned by its office) the
    roles holding one of the action's capacities pass the access check (a status that does not allow the
    action then answers 409); on another office's case nobody does."""
    from yiwang.applications import workflow as wf
    from yiwang.applications.actions import ACTIONS

    roles = {
        wf.APPLICANT: "applicant",
        wf.CLERK: "clerk",
        wf.REVIEWER: "reviewer",
        wf.SUPERVISOR: "supervisor",
    }
    bodies: dict[str, dict[str, Any]] = {
        "accept_rongque": {"promise_days": 3},
        "request_correction": {"items": {}},
        "request_not_accept": {"reason_code": "not_competent", "reason": "x", "guidance": "x"},
        "request_rejection": {"reason_code": "not_competent", "reason": "x", "guidance": "x"},
        "request_extension": {"reason": "x"},
        "suspend": {"pause_kind": "hearing", "reason": "x"},
    }
    rows = []
    for action in ACTIONS.values():
        capacities = set().union(*(wf.TRANSITIONS[t].actors for t in action.transitions))
        allow = frozenset(roles[c] for c in capacities if c in roles)
        path = f"API POST /api/applications/{{case_id}}/{action.slug}"
        body = bodies.get(action.name, {})
        rows.append(Route(path, allow=allow, kwargs=_case("own"), data=lambda w, b=body: b, variant="own"))
        rows.append(
            Route(path, allow=NOBODY, kwargs=_case("other"), data=lambda w, b=body: b, variant="other office")
        )
    return rows


ROUTES += _action_rows()
