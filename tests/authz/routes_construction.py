"""Authorization rows for construction-project approval (深圳90): the owner's agent (who acts for the world's
enterprise), the coordinator, the offices of the project's items (reviewer, supervisor, department
administrator of the world's office) and the plans' administrators. A project whose first stage is not
submitted yet has no office: only its owner and the coordinator see it."""

from __future__ import annotations

from typing import Any

from .registry import APPLICANTS, SIGNED_IN, Route

OWNER = frozenset({"agent"})
COORDINATOR = frozenset({"project_coordinator"})
OFFICE = frozenset({"reviewer", "supervisor", "dept_admin"})
BOARD = COORDINATOR | OFFICE
FIGURES = frozenset({"project_coordinator", "supervisor", "dept_admin"})


def objects(w: Any) -> dict[str, Any]:
    if "construction_routes" in w.extra:
        return w.extra["construction_routes"]  # type: ignore[no-any-return]
    from tests.construction.builders import register, submit

    filed = register(w, title="已提交第一阶段的项目")
    submit(w, filed, 1)
    fresh = register(w, project_type="gov_municipal", title="刚登记的项目")
    w.extra["construction_routes"] = {"filed": filed, "fresh": fresh}
    return w.extra["construction_routes"]  # type: ignore[no-any-return]


def _id(key: str) -> Any:
    return lambda w: {"case_id": objects(w)[key].pk}


def _stage(key: str, stage: int) -> Any:
    return lambda w: {"case_id": objects(w)[key].pk, "stage": stage}


def _project_body(w: Any) -> dict[str, Any]:
    objects(w)
    return {
        "enterprise": w.enterprise.pk,
        "title": "矩阵测试项目",
        "project_type": "gov_building",
        "nature": "new",
        "investment": "not a number",
        "location": "龙岗",
    }


ROUTES = [
    # portal
    Route("construction:mine", allow=APPLICANTS, must_succeed=APPLICANTS),
    Route("construction:mine", "POST", allow=APPLICANTS, json=False, data=lambda w: {"title": ""}),
    Route("construction:project", allow=OWNER, must_succeed=OWNER, kwargs=_id("filed"), variant="submitted"),
    Route("construction:project", allow=OWNER, must_succeed=OWNER, kwargs=_id("fresh"), variant="registered"),
    Route(
        "construction:submit_stage",
        "POST",
        allow=OWNER,
        json=False,
        kwargs=_stage("fresh", 1),
        data=lambda w: {},
    ),
    # workbench
    Route("construction:board", allow=BOARD, must_succeed=BOARD),
    Route(
        "construction:staff_project",
        allow=BOARD,
        must_succeed=BOARD,
        kwargs=_id("filed"),
        variant="office's items",
    ),
    Route(
        "construction:staff_project",
        allow=COORDINATOR,
        must_succeed=COORDINATOR,
        kwargs=_id("fresh"),
        variant="no item filed yet",
    ),
    Route("construction:figures", allow=FIGURES, must_succeed=FIGURES),
    # API
    Route("API GET /api/construction/plans", allow=SIGNED_IN, must_succeed=SIGNED_IN),
    Route(
        "API POST /api/construction/plans/{code}/versions",
        allow=frozenset({"sys_admin"}),
        kwargs=lambda w: {"code": "gov_building"} if objects(w) else {},
        data=lambda w: {"definition": {"budget_days": 0, "items": []}},
    ),
    Route("API POST /api/construction/projects", allow=APPLICANTS, data=_project_body),
    Route("API GET /api/construction/projects/mine", allow=APPLICANTS, must_succeed=APPLICANTS),
    Route("API GET /api/construction/board", allow=BOARD, must_succeed=BOARD),
    Route(
        "API GET /api/construction/projects/{case_id}",
        allow=OWNER | BOARD,
        must_succeed=OWNER | BOARD,
        kwargs=_id("filed"),
        variant="submitted",
    ),
    Route(
        "API GET /api/construction/projects/{case_id}",
        allow=OWNER | COORDINATOR,
        kwargs=_id("fresh"),
        variant="registered",
    ),
    Route(
        "API POST /api/construction/projects/{case_id}/stages/{stage}",
        allow=OWNER,
        kwargs=_stage("filed", 2),
        data=lambda w: {
            "contact": "李四",
            "contact_phone": "13900000000",
            "scale": "1",
            "dossier_base64": "JVBERi0xLjQK",
        },
    ),
    Route(
        "API GET /api/construction/projects/{case_id}/what-if",
        allow=OWNER | BOARD,
        must_succeed=OWNER | BOARD,
        kwargs=_id("filed"),
        query={"item": "works_planning", "days": "5"},
    ),
    Route("API GET /api/construction/figures", allow=FIGURES, must_succeed=FIGURES),
]
