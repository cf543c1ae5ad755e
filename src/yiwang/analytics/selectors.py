"""Reads of the analytics context: the dashboards, the assessment (departments, staff), the government-
service index and the third-party evaluation — all from the other contexts' selectors and this context's
own rows (docs/adr/0122-assessment-formula-and-index.md)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q

from yiwang.accounts.access import has_role, is_staff_user
from yiwang.accounts.models import Department, Hall, Street, User
from yiwang.accounts.roles import Role
from yiwang.applications import selectors as applications
from yiwang.feedback import selectors as feedback
from yiwang.halls import selectors as halls

from . import scoring
from .models import ScoringFormula, ThirdPartyScore

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor


def month_range(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    nxt = (start + timedelta(days=32)).replace(day=1)
    return start, nxt - timedelta(days=1)


def formula() -> tuple[int, dict[str, float]]:
    """The published formula in force (version 0: the defaults of the settings, until one is published)."""
    row = ScoringFormula.objects.order_by("-version").first()
    if row is not None:
        return row.version, {k: float(v) for k, v in row.weights.items()}
    weights = getattr(settings, "ANALYTICS", {}).get("weights", scoring.DEFAULT_WEIGHTS)
    return 0, dict(weights)


def formulas() -> list[ScoringFormula]:
    return list(ScoringFormula.objects.all()[:50])


# --- dashboards -------------------------------------------------------------------------------------


def dashboard(start: date, end: date) -> dict[str, Any]:
    """Workload, hot items, convenience, hall management, window efficiency, satisfaction."""
    work = applications.workload(start=start, end=end)
    t = work["totals"]
    first, last = start.replace(day=1), end.replace(day=1)
    items = applications.figures(start=first, end=last, dimension="item", limit=10)
    clerks = applications.figures(start=first, end=last, dimension="clerk", limit=30)
    hall_rows = []
    for hall in Hall.objects.order_by("code")[:40]:
        f = halls.hall_figures(hall, start, end)
        if f["hall"]["tickets"]:
            peak = max(f["days"], key=lambda d: d["tickets"]) if f["days"] else None
            hall_rows.append(
                {
                    "hall": hall.name,
                    **f["hall"],
                    "peak_day": peak["date"] if peak else None,
                    "windows": f["windows"],
                }
            )
    window_rows = [
        {
            "hall": h["hall"],
            "window": w["name"],
            "tickets": w["tickets"],
            "served": w["served"],
            "service_avg": w["service_avg"],
        }
        for h in hall_rows
        for w in h["windows"]
    ]
    by = feedback.satisfaction_by(start, end)
    return {
        "start": start,
        "end": end,
        "by_day": work["by_day"],
        "by_hour": work["by_hour"],
        "totals": t,
        "convenience": {
            "received": t["total"],
            "online_rate": scoring.rate(t["online"], t["total"], empty=0.0),
            "zero_visit_rate": scoring.rate(t["no_visit"], t["total"], empty=0.0),
            "tongban": t["tongban"],
            "rongque": t["rongque"],
            "days_saved": t["days_saved"],
        },
        "hot_items": [{"name": r["label"], "received": r["received"]} for r in items["by"]],
        "halls": [{k: v for k, v in h.items() if k != "windows"} for h in hall_rows],
        "windows": window_rows,
        "clerks": [
            {
                "name": r["label"],
                "received": r["received"],
                "decided": r["decided"],
                "refusal_requests": r.get("refusal_requests", 0),
                "refusals": r["refusals"],
            }
            for r in clerks["by"]
        ],
        "satisfaction": by,
    }


# --- assessment -------------------------------------------------------------------------------------


def _department_counts(month: date) -> dict[int, scoring.Counts]:
    start, end = month_range(month)
    work = applications.workload(start=start, end=end)
    rollup = applications.figures(start=start, end=start, dimension="department", limit=500)
    refusals = {int(r["key"]): r for r in rollup["by"] if str(r["key"]).isdigit()}
    sat = feedback.counts_by("department", start, end)
    rect = feedback.rectification_counts_by("department", start, end)
    out: dict[int, scoring.Counts] = {}
    keys = {r["department"] for r in work["by_department"] if r["department"]} | set(sat) | set(rect)
    work_by = {r["department"]: r for r in work["by_department"]}
    for dep in keys:
        w = work_by.get(dep, {})
        ro = refusals.get(dep, {})
        s_ = sat.get(dep, {})
        rc = rect.get(dep, {})
        requests = int(ro.get("refusal_requests", 0) or 0)
        out[dep] = scoring.Counts(
            decided=int(w.get("decided", 0)),
            in_time=int(w.get("in_time", 0)),
            reviews=int(s_.get("reviews", 0)),
            not_bad=int(s_.get("not_bad", 0)),
            rect_due=int(rc.get("due", 0)),
            rect_on_time=int(rc.get("on_time", 0)),
            refusal_requests=requests,
            overturned=max(requests - int(ro.get("refusals", 0) or 0), 0) if requests else 0,
            received=int(w.get("total", 0)),
            online=int(w.get("online", 0)),
        )
    return out


def department_ranking(month: date) -> dict[str, Any]:
    version, weights = formula()
    counts = _department_counts(month)
    names = dict(Department.objects.filter(pk__in=counts).values_list("pk", "name"))
    rows: list[dict[str, Any]] = []
    for dep, c in counts.items():
        parts = scoring.components(c)
        rows.append(
            {
                "department": names.get(dep, str(dep)),
                "key": dep,
                "components": parts,
                "score": scoring.score(parts, weights),
                "counts": c,
            }
        )
    rows.sort(key=lambda r: (-(float(r["score"]) if r["score"] is not None else -1.0), str(r["department"])))
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return {"month": month_range(month)[0], "version": version, "weights": weights, "rows": rows}


def staff_visible(user: Visitor) -> list[User]:
    """Whose scores a user may see: a clerk only their own; a supervisor or department administrator the
    staff of their office; a hall manager the staff of their hall; a service-quality supervisor everyone."""
    if not is_staff_user(user):
        return []
    qs = User.objects.filter(kind="staff", is_active=True)
    if has_role(user, Role.SERVICE_SUPERVISOR):
        return list(
            qs.filter(Q(role_grants__role__in=[Role.CLERK, Role.REVIEWER]))
            .distinct()
            .order_by("username")[:300]
        )
    q = Q(pk=user.pk)
    if has_role(user, Role.SUPERVISOR, Role.DEPT_ADMIN) and user.office_id:
        q |= Q(office_id=user.office_id)
    if has_role(user, Role.HALL_MANAGER) and user.hall_id:
        q |= Q(hall_id=user.hall_id)
    return list(qs.filter(q).order_by("username")[:300])


def staff_scores(user: Visitor, month: date) -> dict[str, Any]:
    version, weights = formula()
    people = staff_visible(user)
    start, end = month_range(month)
    ids = [p.pk for p in people]
    sat = feedback.counts_by("clerk", start, end, ids=ids)
    rect = feedback.rectification_counts_by("clerk", start, end, ids=ids)
    clerk_fig = {
        int(r["key"]): r
        for r in applications.figures(start=start, end=start, dimension="clerk", limit=10000)["by"]
        if str(r["key"]).isdigit() and int(r["key"]) in set(ids)
    }
    rows = []
    for p in people:
        f = clerk_fig.get(p.pk, {})
        s_, rc = sat.get(p.pk, {}), rect.get(p.pk, {})
        requests = int(f.get("refusal_requests", 0) or 0)
        c = scoring.Counts(
            decided=int(f.get("decided", 0) or 0),
            in_time=int((f.get("early", 0) or 0) + (f.get("on_time", 0) or 0)),
            reviews=int(s_.get("reviews", 0)),
            not_bad=int(s_.get("not_bad", 0)),
            rect_due=int(rc.get("due", 0)),
            rect_on_time=int(rc.get("on_time", 0)),
            refusal_requests=requests,
            overturned=max(requests - int(f.get("refusals", 0) or 0), 0) if requests else 0,
            received=int(f.get("received", 0) or 0),
            online=0,
        )
        parts = scoring.components(c)
        parts["online"] = None  # a clerk receives at a window: not theirs to score
        rows.append(
            {
                "user": p,
                "name": p.full_name or p.username,
                "components": parts,
                "score": scoring.score(parts, weights),
                "counts": c,
                "average": s_.get("average"),
            }
        )
    return {"month": start, "version": version, "weights": weights, "rows": rows}


# --- the government-service index -------------------------------------------------------------------


def service_index(months: list[date]) -> dict[str, Any]:
    weights = dict(getattr(settings, "ANALYTICS", {}).get("index_weights", scoring.INDEX_WEIGHTS))
    streets = {s.pk: s.name for s in Street.objects.order_by("code")}
    series: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for m in months:
        start, end = month_range(m)
        work = applications.workload(start=start, end=end)
        sat = feedback.counts_by("street", start, end)
        rows = {r["street"]: r for r in work["by_street"]}
        district = work["totals"]
        district_sat = {
            "reviews": sum(v["reviews"] for v in sat.values()),
            "not_bad": sum(v["not_bad"] for v in sat.values()),
        }
        for key, w, s_ in [(None, district, district_sat)] + [
            (k, rows.get(k, {}), sat.get(k, {})) for k in streets
        ]:
            parts = {
                "in_time": scoring.rate(int(w.get("in_time", 0)), int(w.get("decided", 0))),
                "satisfaction": scoring.rate(int(s_.get("not_bad", 0)), int(s_.get("reviews", 0))),
                "online": scoring.rate(int(w.get("online", 0)), int(w.get("total", 0))),
                "zero_visit": scoring.rate(int(w.get("no_visit", 0)), int(w.get("total", 0))),
            }
            series[key].append({"month": start, "components": parts, "index": scoring.score(parts, weights)})
    return {
        "weights": weights,
        "months": [month_range(m)[0] for m in months],
        "district": series[None],
        "streets": [{"street": name, "key": k, "series": series[k]} for k, name in streets.items()],
    }


# --- third-party evaluation -------------------------------------------------------------------------


def thirdparty(month: date) -> list[dict[str, Any]]:
    start, end = month_range(month)
    rows = (
        ThirdPartyScore.objects.filter(month=start).select_related("hall").order_by("hall__code", "dimension")
    )
    own = feedback.counts_by("hall", start, end)
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        entry = out.setdefault(r.hall_id, {"hall": r.hall.name, "scores": {}, "own": own.get(r.hall_id, {})})
        entry["scores"][r.dimension] = float(r.score)
    for entry in out.values():
        o = entry["own"]
        entry["own_rate"] = scoring.rate(int(o.get("not_bad", 0)), int(o.get("reviews", 0)))
        entry["survey_avg"] = (
            round(sum(entry["scores"].values()) / len(entry["scores"]), 2) if entry["scores"] else None
        )
    return list(out.values())


def thirdparty_dimensions(month: date) -> list[str]:
    start, _end = month_range(month)
    return sorted(set(ThirdPartyScore.objects.filter(month=start).values_list("dimension", flat=True)))
