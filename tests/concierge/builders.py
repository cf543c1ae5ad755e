"""A key enterprise with a case, for the concierge tests and the authorization rows."""

from __future__ import annotations

from typing import Any

from tests.applications.builders import code_of, make_item
from yiwang.applications import services as apps
from yiwang.concierge import services as s


def key_with_case(w: Any) -> dict[str, Any]:
    if "concierge" in w.extra:
        return w.extra["concierge"]  # type: ignore[no-any-return]
    key = s.key_enterprise_add(
        actor=w.users["supervisor"],
        credit_code=w.enterprise.credit_code,
        reason="existing",
        concierge_id=w.users["concierge"].pk,
    )
    item = make_item(w, name="企业变更登记")
    case = apps.application_receive(
        actor=w.users["clerk"],
        item=item,
        enterprise=w.enterprise,
        person=w.other_person,
        provided=[code_of(item, 1), code_of(item, 2)],
    )
    other = apps.application_receive(
        actor=w.users["clerk"],
        item=item,
        enterprise=w.other_enterprise,
        person=w.other_person,
        provided=[code_of(item, 1), code_of(item, 2)],
    )
    req = s.concierge_coordinate(actor=w.users["concierge"], case_id=case.pk, level=1, text="请加快审查")
    w.extra["concierge"] = {"key": key, "case": case, "other": other, "request": req, "item": item}
    return w.extra["concierge"]  # type: ignore[no-any-return]
