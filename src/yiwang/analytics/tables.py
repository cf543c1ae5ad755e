"""The dashboards' tables (header row first): one per chart, shared by the pages and the Excel export."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import scoring


def _v(x: Any) -> Any:
    return "—" if x is None else x


def dashboard_tables(d: dict[str, Any]) -> list[tuple[str, str, list[list[Any]]]]:
    c = d["convenience"]
    sat = d["satisfaction"]
    return [
        (
            "by_day",
            _("Workload by day"),
            [[_("Day"), _("Applications received")]] + [[r["day"], r["n"]] for r in d["by_day"]],
        ),
        (
            "by_hour",
            _("Workload by hour"),
            [[_("Hour"), _("Applications received")]] + [[r["hour"], r["n"]] for r in d["by_hour"]],
        ),
        (
            "hot_items",
            _("Hot items"),
            [[_("Item"), _("Applications received")]] + [[r["name"], r["received"]] for r in d["hot_items"]],
        ),
        (
            "convenience",
            _("Convenience services"),
            [
                [_("Figure"), _("Value")],
                [_("Applications received"), c["received"]],
                [_("Online share %"), c["online_rate"]],
                [_("Zero-visit share %"), c["zero_visit_rate"]],
                [_("通办 cases at a window"), c["tongban"]],
                [_("容缺 cases"), c["rongque"]],
                [_("Days saved by 容缺"), c["days_saved"]],
            ],
        ),
        (
            "halls",
            _("Hall management"),
            [
                [
                    _("Hall"),
                    _("Tickets"),
                    _("Served"),
                    _("Average wait (min)"),
                    _("Average service (min)"),
                    _("No-show rate"),
                    _("Peak day"),
                ]
            ]
            + [
                [
                    h["hall"],
                    h["tickets"],
                    h["served"],
                    _v(h["wait_avg"]),
                    _v(h["service_avg"]),
                    _v(h["noshow_rate"]),
                    _v(h["peak_day"]),
                ]
                for h in d["halls"]
            ],
        ),
        (
            "windows",
            _("Window efficiency"),
            [[_("Hall"), _("Window"), _("Tickets"), _("Served"), _("Average service (min)")]]
            + [
                [w["hall"], w["window"], w["tickets"], w["served"], _v(w["service_avg"])]
                for w in d["windows"]
            ],
        ),
        (
            "clerks",
            _("Cases per clerk"),
            [[_("Clerk"), _("Received"), _("Decided"), _("Refusal requests"), _("Refusals")]]
            + [
                [r["name"], r["received"], r["decided"], r["refusal_requests"], r["refusals"]]
                for r in d["clerks"]
            ],
        ),
    ] + [
        (
            f"sat_{dim}",
            title,
            [[_("Name"), _("Reviews"), _("Bad reviews"), _("Good rate %"), _("Average level")]]
            + [[r["name"], r["reviews"], r["bad"], r["good_rate"], r["average"]] for r in sat[dim]],
        )
        for dim, title in (
            ("office", _("Satisfaction by office")),
            ("hall", _("Satisfaction by hall")),
            ("item", _("Satisfaction by item")),
            ("clerk", _("Satisfaction by clerk")),
        )
    ]


def component_head() -> list[str]:
    return [str(v) for v in scoring.COMPONENTS.values()]


def ranking_table(r: dict[str, Any]) -> list[list[Any]]:
    head = [_("Rank"), _("Department"), *component_head(), _("Score")]
    return [head] + [
        [
            row["rank"],
            row["department"],
            *[_v(row["components"][k]) for k in scoring.COMPONENTS],
            _v(row["score"]),
        ]
        for row in r["rows"]
    ]


def staff_table(r: dict[str, Any]) -> list[list[Any]]:
    head = [_("Staff member"), *component_head(), _("Score"), _("Average review level")]
    return [head] + [
        [
            row["name"],
            *[_v(row["components"][k]) for k in scoring.COMPONENTS],
            _v(row["score"]),
            _v(row["average"]),
        ]
        for row in r["rows"]
    ]


def index_table(ix: dict[str, Any]) -> list[list[Any]]:
    head = [_("Area"), *[m.strftime("%Y-%m") for m in ix["months"]]]
    rows = [[pgettext("scope", "District"), *[_v(p["index"]) for p in ix["district"]]]]
    rows += [[s["street"], *[_v(p["index"]) for p in s["series"]]] for s in ix["streets"]]
    return [head, *rows]


def index_components_table(ix: dict[str, Any]) -> list[list[Any]]:
    head = [_("Month"), *[str(v) for v in scoring.INDEX_COMPONENTS.values()], _("Index")]
    return [head] + [
        [
            p["month"].strftime("%Y-%m"),
            *[_v(p["components"][k]) for k in scoring.INDEX_COMPONENTS],
            _v(p["index"]),
        ]
        for p in ix["district"]
    ]
