"""The hotline's configuration for tests: the centre office, a small classification tree, the dispatch
catalogue, and a helper to record a call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.factories import World, make_staff
from yiwang.accounts.models import Department, Office
from yiwang.accounts.roles import Role
from yiwang.hotline import services as s
from yiwang.hotline.models import Category, DispatchRule

if TYPE_CHECKING:
    from yiwang.cases.models import Case

PHONE = "13912345678"


def setup(w: World) -> dict[str, Any]:
    """Idempotent per world: cached in ``w.extra['hotline']``."""
    if "hotline" in w.extra:
        return w.extra["hotline"]  # type: ignore[no-any-return]
    # The centre belongs to a department of its own: no office or department administrator of the world
    # sees the tickets it holds before dispatch.
    bureau = Department.objects.create(district=w.district, code="D99", name="政务服务数据管理局")
    centre = Office.objects.create(code="LG12345", name="12345热线中心", department=bureau)
    env = Category.objects.create(code="env", name="环境污染", name_en="Environmental pollution", order=1)
    noise = Category.objects.create(code="env-noise", name="噪音污染", name_en="Noise", parent=env)
    urban = Category.objects.create(
        code="urban", name="城市建设和市政管理", name_en="Urban management", order=2
    )
    biz = Category.objects.create(
        code="biz", name="营商环境", name_en="Business environment", business_line=True, order=9
    )
    biz_permit = Category.objects.create(code="biz-permit", name="审批服务", name_en="Permits", parent=biz)
    DispatchRule.objects.create(category=env, office=w.office)
    DispatchRule.objects.create(category=urban, street=w.street, office=w.other_office)
    DispatchRule.objects.create(category=None, street=None, office=w.office)
    other_reviewer = make_staff("t_rev_other", [Role.REVIEWER], office=w.other_office)
    other_supervisor = make_staff("t_sup_other", [Role.SUPERVISOR], office=w.other_office)
    w.extra["hotline"] = {
        "centre": centre,
        "env": env,
        "noise": noise,
        "urban": urban,
        "biz": biz,
        "biz_permit": biz_permit,
        "other_reviewer": other_reviewer,
        "other_supervisor": other_supervisor,
    }
    return w.extra["hotline"]


def call(w: World, **overrides: Any) -> Case:
    setup(w)
    data = {
        "type": "complaint",
        "category": "env-noise",
        "description": "夜间施工噪音扰民",
        "caller_name": "陈先生",
        "caller_phone": PHONE,
        "address": "龙城街道龙西社区1号",
        "community": w.community.code,
    }
    data.update(overrides)
    return s.ticket_receive(actor=w.users["hotline_operator"], data=s.TicketInput(**data))


def dispatched(w: World, **overrides: Any) -> Case:
    case = call(w, **overrides)
    return s.ticket_dispatch(actor=w.users["dispatcher"], case_id=case.pk)


def accepted(w: World, **overrides: Any) -> Case:
    case = dispatched(w, **overrides)
    return s.ticket_accept(actor=w.users["reviewer"], case_id=case.pk)


def replied(w: World, **overrides: Any) -> Case:
    case = accepted(w, **overrides)
    return s.ticket_reply(
        actor=w.users["reviewer"], case_id=case.pk, handling="已责令停工", reply="已处理，施工已停止"
    )
