"""An item's application form (申请表) as data: the snapshot rows of its ``FormField`` rows and the rules a
form must satisfy before it is published. Pure functions (no database): the admin's inline, the item checks
and publication read them; ``applications`` builds the form people fill in from a version's rows
(docs/adr/0048-structured-application-forms.md).

A row::

    {"position": 1, "key": "members", "label": "家庭成员", "label_en": "Family members", "kind": "group",
     "required": True, "group": "", "choices": [], "min_value": None, "max_value": None, "max_length": None,
     "max_rows": 6, "prefill": "", "help_text": ""}

Choices are ``{"value": "中文", "label": "中文", "label_en": "English"}`` (the value is the Chinese label, so a
stored answer reads by itself); numbers are decimal strings.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from collections.abc import Iterable

KINDS = ("text", "long_text", "number", "date", "choice", "address", "person", "enterprise", "group")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DEFAULT_MAX_ROWS = 20
MAX_ROWS = 100
MAX_TEXT = 2000
MAX_FIELDS = 80
LIMIT_CEILING = Decimal(10) ** 12  # the catalogue stores limits as 14 digits with 2 decimals
PART_NAMES = {
    "label": lambda: _("label"),
    "label_en": lambda: _("English label"),
    "help_text": lambda: _("help text"),
}
LEGAL_PERSONS = {"2", "3", "4"}  # service-object codes of legal persons (服务对象)
# What a prefill source may fill: a whole person/enterprise field, or a text field from one attribute.
PREFILL_KINDS = {
    "person": {"person"},
    "enterprise": {"enterprise"},
    "person.name": {"text"},
    "person.id_number": {"text"},
    "person.mobile": {"text"},
    "person.address": {"text", "long_text"},
    "enterprise.name": {"text"},
    "enterprise.credit_code": {"text"},
    "enterprise.legal_representative": {"text"},
    "enterprise.address": {"text", "long_text"},
}


def parse_choices(text: str) -> list[dict[str, str]]:
    """``中文 | English`` lines to choice dicts; blank lines are skipped."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        zh, _sep, en = line.partition("|")
        out.append({"value": zh.strip(), "label": zh.strip(), "label_en": en.strip()})
    return out


def choices_text(choices: Iterable[dict[str, str]]) -> str:
    return "\n".join(f"{c['label']} | {c['label_en']}" if c.get("label_en") else c["label"] for c in choices)


def _decimal(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(Decimal(str(value)))


def snapshot_rows(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """``FormField`` rows (or objects with the same attributes) as snapshot dicts, in position order."""
    out = []
    for f in sorted(rows, key=lambda r: (r.position, r.pk or 0)):
        out.append(
            {
                "position": int(f.position),
                "key": f.key,
                "label": f.label,
                "label_en": f.label_en or "",
                "kind": f.kind,
                "required": bool(f.required),
                "group": f.group or "",
                "choices": parse_choices(f.choices) if f.kind == "choice" else [],
                "min_value": _decimal(f.min_value),
                "max_value": _decimal(f.max_value),
                "max_length": f.max_length or None,
                "max_rows": f.max_rows or None,
                "prefill": f.prefill or "",
                "help_text": f.help_text or "",
            }
        )
    return out


def label(row: dict[str, Any]) -> str:
    """The field's label in the active language (English when asked and given)."""
    if (get_language() or "").startswith("en") and row.get("label_en"):
        return str(row["label_en"])
    return str(row.get("label") or row.get("key") or "")


def choice_label(row: dict[str, Any], value: str) -> str:
    english = (get_language() or "").startswith("en")
    for c in row.get("choices") or []:
        if c.get("value") == value:
            return str(c.get("label_en") or c["label"]) if english else str(c["label"])
    return value


def top_level(form: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in form if not r.get("group")]


def members(form: Iterable[dict[str, Any]], group: str) -> list[dict[str, Any]]:
    return [r for r in form if r.get("group") == group]


def max_rows(row: dict[str, Any]) -> int:
    return int(row.get("max_rows") or DEFAULT_MAX_ROWS)


def check_form(form: list[dict[str, Any]], *, service_objects: str = "") -> list[tuple[int, str]]:  # noqa: C901 - one rule per line
    """Every problem with a form's rows, as (position, message) naming the field; none for a good form."""
    out: list[tuple[int, str]] = []
    if len(form) > MAX_FIELDS:
        out.append((0, _("A form has at most %(n)s fields.") % {"n": MAX_FIELDS}))
    keys: dict[str, dict[str, Any]] = {}
    positions: set[int] = set()
    for r in form:
        pos, key = int(r.get("position") or 0), str(r.get("key") or "")
        name = r.get("label") or key or str(pos)
        if pos in positions:
            out.append((pos, _("Field “%(f)s”: two fields share position %(p)s.") % {"f": name, "p": pos}))
        positions.add(pos)
        if not KEY_RE.match(key):
            out.append(
                (
                    pos,
                    _(
                        "Field “%(f)s”: the key “%(k)s” must be lower-case letters, digits and _, starting with a letter."
                    )
                    % {"f": name, "k": key},
                )
            )
        elif key in keys:
            out.append((pos, _("Field “%(f)s”: the key “%(k)s” is used twice.") % {"f": name, "k": key}))
        keys[key] = r
        if not str(r.get("label") or "").strip():
            out.append((pos, _("Field %(p)s has no label.") % {"p": pos}))
        if r.get("kind") not in KINDS:
            out.append((pos, _("Field “%(f)s”: unknown kind “%(k)s”.") % {"f": name, "k": r.get("kind")}))
    for r in form:
        pos, kind, name = int(r.get("position") or 0), r.get("kind"), r.get("label") or r.get("key")
        group = str(r.get("group") or "")
        if group:
            parent = keys.get(group)
            if parent is None or parent.get("kind") != "group":
                out.append(
                    (pos, _("Field “%(f)s”: there is no repeatable group “%(g)s”.") % {"f": name, "g": group})
                )
            elif int(parent.get("position") or 0) > pos:
                out.append((pos, _("Field “%(f)s” comes before its group.") % {"f": name}))
            if kind == "group":
                out.append((pos, _("Field “%(f)s”: a group cannot be inside another group.") % {"f": name}))
        if kind == "group" and not members(form, str(r.get("key") or "")):
            out.append((pos, _("Group “%(f)s” has no fields.") % {"f": name}))
        if kind == "choice":
            values = [c["value"] for c in r.get("choices") or []]
            if len(values) < 2:
                out.append((pos, _("Choice “%(f)s” needs at least two options.") % {"f": name}))
            elif len(values) != len(set(values)):
                out.append((pos, _("Choice “%(f)s” has the same option twice.") % {"f": name}))
        try:
            low = Decimal(r["min_value"]) if r.get("min_value") is not None else None
            high = Decimal(r["max_value"]) if r.get("max_value") is not None else None
        except (InvalidOperation, TypeError, ValueError):
            out.append((pos, _("Field “%(f)s”: the limits are not numbers.") % {"f": name}))
            low = high = None
        for limit in (low, high):
            if limit is not None and (limit.as_tuple().exponent < -2 or abs(limit) >= LIMIT_CEILING):  # type: ignore[operator]
                out.append(
                    (pos, _("Field “%(f)s”: a limit has at most 12 digits and 2 decimals.") % {"f": name})
                )
        for part, longest in (("label", 100), ("label_en", 160), ("help_text", 200)):
            if len(str(r.get(part) or "")) > longest:
                out.append(
                    (pos, _("Field “%(f)s”: the %(part)s is longer than %(n)s characters.")
                     % {"f": name, "part": PART_NAMES[part](), "n": longest})
                )  # fmt: skip
        if (low is not None or high is not None) and kind != "number":
            out.append(
                (pos, _("Field “%(f)s”: only a number has a smallest or largest value.") % {"f": name})
            )
        if low is not None and high is not None and low > high:
            out.append((pos, _("Field “%(f)s”: the smallest value is above the largest.") % {"f": name}))
        if r.get("max_length") and kind not in ("text", "long_text"):
            out.append((pos, _("Field “%(f)s”: only a text has a longest length.") % {"f": name}))
        if r.get("max_length") and int(r["max_length"]) > MAX_TEXT:
            out.append(
                (pos, _("Field “%(f)s”: a text is at most %(n)s characters.") % {"f": name, "n": MAX_TEXT})
            )
        if r.get("max_rows") and kind != "group":
            out.append((pos, _("Field “%(f)s”: only a group has a number of rows.") % {"f": name}))
        if r.get("max_rows") and int(r["max_rows"]) > MAX_ROWS:
            out.append((pos, _("Group “%(f)s” has at most %(n)s rows.") % {"f": name, "n": MAX_ROWS}))
        prefill = str(r.get("prefill") or "")
        if prefill:
            if kind not in PREFILL_KINDS.get(prefill, set()):
                out.append(
                    (
                        pos,
                        _("Field “%(f)s”: it cannot be prefilled from “%(s)s”.") % {"f": name, "s": prefill},
                    )
                )
            elif group:
                out.append((pos, _("Field “%(f)s”: a field in a group is not prefilled.") % {"f": name}))
            elif (
                prefill.startswith("enterprise")
                and service_objects
                and not LEGAL_PERSONS & set(service_objects.split(","))
            ):
                out.append(
                    (
                        pos,
                        _(
                            "Field “%(f)s”: the item does not serve legal persons, so nothing is prefilled from an enterprise."
                        )
                        % {"f": name},
                    )
                )
    return out
