"""Authorization rows for the rules engine's two capabilities: the policy calculator (public; the policy
officer edits, publishes and notifies) and outreach (a grid worker sees and works only their own community's
visits; supervisors and department administrators screen and see the figures; department administrators
import the register)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .registry import ALL, NOBODY, Route

OFFICER = frozenset({"policy_officer"})
POLICY_FIGURES = frozenset({"policy_officer", "supervisor", "dept_admin"})
GRID = frozenset({"grid_worker"})
SCREEN = frozenset({"supervisor", "dept_admin"})
IMPORT = frozenset({"dept_admin"})


def objects(w: Any) -> dict[str, Any]:
    if "rules_routes" in w.extra:
        return w.extra["rules_routes"]  # type: ignore[no-any-return]
    from django.test import override_settings

    from tests.outreach.builders import resident
    from yiwang.outreach import services as os_
    from yiwang.outreach.models import Visit
    from yiwang.policies import services as ps

    doc = {
        "conditions": [
            {"id": "staff", "label": "从业人数≥10", "left": {"fact": "employees"}, "op": ">=", "value": 10}
        ]
    }
    data = ps.PolicyInput(
        code="T001",
        name="测试政策",
        category="tech",
        department=w.dept,
        source_document="《测试办法》",
        document=doc,
        opens_on=date(2020, 1, 1),
        closes_on=date(2099, 12, 31),
    )
    policy = ps.policy_create(actor=None, data=data)
    notice = ps.rules_publish(actor=w.users["policy_officer"], policy=policy, effective_from=date(2020, 1, 1))
    with override_settings(
        OUTREACH={
            "pilot_streets": [w.street.code],
            "district_hukou": "440307",
            "benefits": {
                "senior_card": {"label": "敬老优待证", "rule_set": "outreach.senior_card", "item": "X"}
            },
            "schedule_days": 30,
        }
    ):
        resident(w, date(1950, 1, 1))
        resident(w, date(1951, 1, 1), community=w.other_community)
        os_.screening_run(actor=None, purpose="authz")
    w.extra["rules_routes"] = {
        "policy": policy,
        "notice": notice,
        "own": Visit.objects.get(community=w.community),
        "other": Visit.objects.get(community=w.other_community),
    }
    return w.extra["rules_routes"]  # type: ignore[no-any-return]


def _visit(key: str) -> Any:
    return lambda w: {"visit_id": objects(w)[key].pk}


def _code(w: Any) -> dict[str, str]:
    return {"code": objects(w)["policy"].code}


def _notice(w: Any) -> dict[str, int]:
    return {"notice_id": objects(w)["notice"].pk}


ROUTES = [
    # portal
    Route("policies:calculator", allow=ALL, must_succeed=ALL),
    Route(
        "policies:calculator",
        allow=ALL,
        must_succeed=ALL,
        query={"manual": "1", "employees": "12"},
        variant="typed profile",
    ),
    Route("policies:detail", allow=ALL, must_succeed=ALL, kwargs=_code),
    Route("API GET /api/policies/", allow=ALL, must_succeed=ALL),
    Route("API POST /api/policies/calculate", allow=ALL, must_succeed=ALL, data=lambda w: {"employees": 12}),
    # workbench: policies
    Route("policies:manage", allow=POLICY_FIGURES, must_succeed=POLICY_FIGURES),
    Route("policies:edit", allow=OFFICER, must_succeed=OFFICER, kwargs=_code),
    Route(
        "policies:edit",
        "POST",
        allow=OFFICER,
        json=False,
        kwargs=_code,
        data=lambda w: {
            "action": "test",
            "c-0-id": "staff",
            "c-0-label": "人数",
            "c-0-left": "employees",
            "c-0-op": ">=",
            "c-0-value": "5",
        },
    ),
    Route("policies:notice", allow=OFFICER, must_succeed=OFFICER, kwargs=_notice),
    Route("policies:notify", "POST", allow=OFFICER, json=False, kwargs=_notice),
    # workbench: outreach
    Route("outreach:visits", allow=GRID, must_succeed=GRID),
    Route("outreach:visit", allow=GRID, must_succeed=GRID, kwargs=_visit("own"), variant="own community"),
    Route("outreach:visit", allow=NOBODY, kwargs=_visit("other"), variant="other community"),
    Route(
        "outreach:visit",
        "POST",
        allow=GRID,
        json=False,
        kwargs=_visit("own"),
        data=lambda w: {"outcome": "retry"},
        variant="own community",
    ),
    Route(
        "outreach:visit",
        "POST",
        allow=NOBODY,
        json=False,
        kwargs=_visit("other"),
        data=lambda w: {"outcome": "declined"},
        variant="other community",
    ),
    Route("outreach:screenings", allow=SCREEN, must_succeed=SCREEN),
    Route("outreach:screenings", "POST", allow=SCREEN, json=False, data=lambda w: {"purpose": "按需筛查"}),
    Route("outreach:figures", allow=SCREEN, must_succeed=SCREEN),
    Route("outreach:import", allow=IMPORT, must_succeed=IMPORT),
    Route("API GET /api/outreach/visits", allow=GRID, must_succeed=GRID),
    Route(
        "API POST /api/outreach/visits/{visit_id}/outcome",
        allow=GRID,
        kwargs=_visit("own"),
        data=lambda w: {"outcome": "retry"},
        variant="own community",
    ),
    Route(
        "API POST /api/outreach/visits/{visit_id}/outcome",
        allow=NOBODY,
        kwargs=_visit("other"),
        data=lambda w: {"outcome": "declined"},
        variant="other community",
    ),
]
