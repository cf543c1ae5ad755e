"""The analytics API (mounted at /api/analytics): the department ranking, the staff scores, the
government-service index and publishing the scoring formula."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from yiwang.accounts.access import ensure, signed_in
from yiwang.core.errors import NotFound
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, Id, IsoDate

from . import selectors, services
from .access import access_dashboard, access_manage, access_staff_scores

router = Router(tags=["analytics"])


class RankingRow(Schema):
    rank: int
    department: str
    score: float | None
    components: dict[str, float | None]


class RankingOut(Schema):
    month: date
    formula_version: int
    weights: dict[str, float]
    rows: list[RankingRow]


class StaffRow(Schema):
    user: int
    name: str
    score: float | None
    components: dict[str, float | None]


class StaffOut(Schema):
    month: date
    formula_version: int
    rows: list[StaffRow]


class IndexPoint(Schema):
    month: date
    index: float | None
    components: dict[str, float | None]


class IndexStreet(Schema):
    street: str
    series: list[IndexPoint]


class IndexOut(Schema):
    weights: dict[str, float]
    district: list[IndexPoint]
    streets: list[IndexStreet]


class FormulaIn(Schema):
    weights: dict[str, float] = Field(..., description="One weight per component, each 0–1, summing to 1.")
    note: str = Field("", max_length=300)


class FormulaOut(Schema):
    version: int
    weights: dict[str, float]


def _month(month: date | None) -> date:
    return (month or timezone.localdate()).replace(day=1)


@router.get("/assessment", response={200: RankingOut, **ERRORS}, auth=AUTH)
def ranking(request: HttpRequest, month: IsoDate | None = None) -> Any:
    """The month's department ranking with the formula version and weights it was computed with."""
    ensure(access_dashboard(request.user), user=request.user, action="analytics.assessment")
    r = selectors.department_ranking(_month(month))
    return {
        "month": r["month"],
        "formula_version": r["version"],
        "weights": r["weights"],
        "rows": [
            {
                "rank": x["rank"],
                "department": x["department"],
                "score": x["score"],
                "components": x["components"],
            }
            for x in r["rows"]
        ],
    }


@router.get("/staff", response={200: StaffOut, **ERRORS}, auth=AUTH)
def staff(request: HttpRequest, month: IsoDate | None = None, user: Id | None = None) -> Any:
    """Staff scores the user may see: a clerk only their own; a supervisor their office's staff. ``user``
    asks for one staff member (404 when not theirs to see)."""
    ensure(access_staff_scores(request.user), user=request.user, action="analytics.staff")
    r = selectors.staff_scores(request.user, _month(month))
    if user is not None:
        r["rows"] = [x for x in r["rows"] if x["user"].pk == user]
        if not r["rows"]:
            raise NotFound(_("No such staff member among those you may see."))
    return {
        "month": r["month"],
        "formula_version": r["version"],
        "rows": [
            {"user": x["user"].pk, "name": x["name"], "score": x["score"], "components": x["components"]}
            for x in r["rows"]
        ],
    }


@router.get("/index", response={200: IndexOut, **ERRORS}, auth=AUTH)
def service_index(
    request: HttpRequest, month: IsoDate | None = None, months: Annotated[int, Field(ge=1, le=24)] = 6
) -> Any:
    """The government-service index per street and for the district, month by month, with its components."""
    ensure(access_dashboard(request.user), user=request.user, action="analytics.index")
    m = _month(month)
    wanted: list[date] = []
    for _i in range(months):
        wanted.insert(0, m)
        m = (m - timedelta(days=1)).replace(day=1)
    ix = selectors.service_index(wanted)
    return {"weights": ix["weights"], "district": ix["district"], "streets": ix["streets"]}


@router.post("/formulas", response={201: FormulaOut, **WRITE_ERRORS}, auth=AUTH)
def publish(request: HttpRequest, payload: FormulaIn) -> Any:
    """Publish the next version of the scoring formula (weights validated: they must sum to 1)."""
    ensure(access_manage(request.user), user=request.user, action="analytics.formula_publish")
    row = services.formula_publish(actor=signed_in(request), weights=payload.weights, note=payload.note)
    return Status(201, {"version": row.version, "weights": row.weights})
