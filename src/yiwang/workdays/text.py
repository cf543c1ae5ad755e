"""Explanations as sentences, in the active language (Chinese by default, English on request)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from collections.abc import Callable


def _pick(n: int, one: str, many: str) -> str:
    """Singular or plural, each message translated on its own: Chinese and English need no other
    plural forms, and the catalogues stay free of plural entries."""
    return one if n == 1 else many


LANGUAGES = ("zh-hans", "en")


def _join(parts: list[str]) -> str:
    """Chinese sentences follow each other without spaces; English ones with one."""
    return ("" if (translation.get_language() or "").startswith("zh") else " ").join(parts)


def _names(days: list[dict[str, Any]]) -> str:
    """'National Day 2008-10-02–2008-10-05' groups, names translated."""
    groups: list[tuple[str, str, str]] = []
    for d in days:
        name = _(d["name"]) if d.get("name") else ""
        if groups and groups[-1][0] == name:
            groups[-1] = (name, groups[-1][1], d["date"])
        else:
            groups.append((name, d["date"], d["date"]))
    sep = _(", ")
    return sep.join((f"{n} " if n else "") + (a if a == b else f"{a}–{b}") for n, a, b in groups)


def add_sentence(e: dict[str, Any]) -> str:
    """For ``WorkCalendar.explain(...).to_dict()``."""
    parts = [
        _("The start day %(start)s is not counted; counting begins the next day (Civil Code Art. 201).")
        % {"start": e["start"]}
    ]
    if e["days"] == 0:
        parts.append(_("With 0 working days the due date is the start day."))
        return _join(parts)
    parts.append(
        _pick(
            e["calendar_days"],
            _(
                "%(due)s is working day no. %(n)d after the start; of the %(cal)d calendar day up to it, "
                "%(n)d are working days."
            ),
            _(
                "%(due)s is working day no. %(n)d after the start; of the %(cal)d calendar days up to it, "
                "%(n)d are working days."
            ),
        )
        % {"due": e["due"], "n": e["days"], "cal": e["calendar_days"]}
    )
    if e["weekend_days"]:
        parts.append(
            _pick(
                e["weekend_days"], _("%(k)d weekend day was skipped."), _("%(k)d weekend days were skipped.")
            )
            % {"k": e["weekend_days"]}
        )
    if e["holidays"]:
        parts.append(
            _pick(
                len(e["holidays"]),
                _("%(k)d statutory holiday was skipped: %(list)s."),
                _("%(k)d statutory holidays were skipped: %(list)s."),
            )
            % {"k": len(e["holidays"]), "list": _names(e["holidays"])}
        )
    if e["makeup_days"]:
        parts.append(
            _pick(
                len(e["makeup_days"]),
                _("%(k)d make-up working day was counted: %(list)s."),
                _("%(k)d make-up working days were counted: %(list)s."),
            )
            % {"k": len(e["makeup_days"]), "list": _names(e["makeup_days"])}
        )
    if e["provisional"]:
        parts.append(
            _("Provisional: %(years)s not yet published, counted on weekends only.")
            % {"years": _(", ").join(str(y) for y in e["unpublished_years"])}
        )
    return _join(parts)


def _unit(kind: str, n: int) -> str:
    if kind == "working_days":
        return _pick(n, _("%(n)d working day"), _("%(n)d working days")) % {"n": n}
    if kind == "calendar_days":
        return _pick(n, _("%(n)d calendar day"), _("%(n)d calendar days")) % {"n": n}
    return _pick(n, _("%(n)d hour"), _("%(n)d hours")) % {"n": n}


STATE_LABELS = {
    "running": lambda: _("running"),
    "paused": lambda: _("paused"),
    "due_soon": lambda: _("due soon"),
    "overdue": lambda: _("overdue"),
    "stopped": lambda: _("stopped"),
}


def clock_sentence(e: dict[str, Any], pause_labels: dict[str, str] | None = None) -> str:  # noqa: C901 - one clause per part of the explanation
    """For ``clock.compute(...).explanation``."""
    kind = e["limit_kind"]
    labels = pause_labels or {}
    parts = []
    if kind == "hours":
        parts.append(
            _("Started at %(start)s with a limit of %(limit)s.")
            % {"start": e["start"], "limit": _unit(kind, e["limit"])}
        )
    else:
        parts.append(
            _(
                "Started on %(start)s with a limit of %(limit)s; the start day is not counted "
                "(Civil Code Art. 201)."
            )
            % {"start": e["start"], "limit": _unit(kind, e["limit"])}
        )
    for x in e["extensions"]:
        parts.append(
            _("Extended by %(n)s (%(reason)s).") % {"n": _unit(kind, x["days"]), "reason": x["reason"]}
        )
    for p in e["pauses"]:
        label = labels.get(p["kind"], p["kind"])
        if p["open"]:
            parts.append(
                _("Paused for %(kind)s since %(start)s (still open): %(n)s not counted so far.")
                % {"kind": label, "start": p["start"][:10], "n": _unit(kind, p["excluded"])}
            )
        else:
            parts.append(
                _("Paused for %(kind)s from %(start)s to %(end)s: %(n)s not counted.")
                % {
                    "kind": label,
                    "start": p["start"][:10],
                    "end": p["end"][:10],
                    "n": _unit(kind, p["excluded"]),
                }
            )
    if kind == "working_days":
        parts.append(
            _(
                "%(counted)s counted + %(excluded)s paused = %(total)s after the start, with "
                "%(hol)d statutory holiday days and %(wk)d weekend days skipped and %(mk)d make-up "
                "working days counted."
            )
            % {
                "counted": _unit(kind, e["counted"]),
                "excluded": _unit(kind, e["excluded"]),
                "total": _unit(kind, e["counted"] + e["excluded"]),
                "hol": len(e["holidays"]),
                "wk": e["weekend_days"],
                "mk": len(e["makeup_days"]),
            }
        )
    elif kind == "calendar_days":
        parts.append(
            _("%(counted)s counted + %(excluded)s paused.")
            % {"counted": _unit(kind, e["counted"]), "excluded": _unit(kind, e["excluded"])}
        )
        if e.get("rolled_from"):
            parts.append(
                _(
                    "The last day %(day)s is not a working day, so the period ends on the next working "
                    "day (Civil Code Art. 203)."
                )
                % {"day": e["rolled_from"]}
            )
    else:
        parts.append(
            _("%(counted)s counted + %(excluded)s paused.")
            % {"counted": _unit(kind, e["counted"]), "excluded": _unit(kind, e["excluded"])}
        )
    parts.append(_("Due: %(due)s.") % {"due": e["due"][:16].replace("T", " ")})
    if e["provisional"]:
        parts.append(
            _("Provisional: %(years)s not yet published, counted on weekends only.")
            % {"years": _(", ").join(str(y) for y in e["unpublished_years"])}
        )
    if e["state"] != "stopped":
        if e["remaining"] >= 0:
            parts.append(
                _("As of %(day)s: %(n)s left (%(state)s).")
                % {
                    "day": e["as_of"][:10],
                    "n": _unit(kind, e["remaining"]),
                    "state": STATE_LABELS[e["state"]](),
                }
            )
        else:
            parts.append(
                _("As of %(day)s: %(n)s overdue.")
                % {"day": e["as_of"][:10], "n": _unit(kind, -e["remaining"])}
            )
    return _join(parts)


def both_languages(make: Callable[..., str], *args: Any, **kwargs: Any) -> dict[str, str]:
    out = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            out[lang] = make(*args, **kwargs)
    return out
