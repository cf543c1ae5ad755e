"""Catalogue consistency rules (docs/rules.md §2, §3, §8) as plain Python over an item's snapshot dict.

No ORM here: the same function checks an item being saved in the admin, every row of an import file and
the whole catalogue (``yiwang catalogue check``). Each violated rule gives one message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .formschema import check_form

LICENSING_STEPS_REQUIRED = ("受理", "审查", "决定")
LICENSING_STEPS_FINAL = ("办结", "送达")


@dataclass(frozen=True)
class Violation:
    rule: str
    field: str
    message: str


def check_item(data: dict[str, Any]) -> list[Violation]:  # noqa: C901 - a flat list of independent consistency rules
    """All violations for one item snapshot: the item's fields plus ``materials`` and ``steps`` lists."""
    out: list[Violation] = []
    legal = int(data.get("legal_limit_days") or 0)
    committed = int(data.get("committed_limit_days") or 0)
    instant = data.get("handling_kind") == "1"
    visits = int(data.get("visits") or 0)
    depth = str(data.get("online_depth") or "")
    materials = data.get("materials") or []
    steps = data.get("steps") or []

    if instant != (committed == 0):
        out.append(
            Violation(
                "instant",
                "committed_limit_days",
                _(
                    "An instant item (即办件) has a committed limit of 0 working days, "
                    "and only an instant item may "
                    "have 0: choose the handling kind or the committed limit accordingly."
                ),
            )
        )
    if committed > legal:
        out.append(
            Violation(
                "committed_le_legal",
                "committed_limit_days",
                _(
                    "The committed limit (%(committed)s working days) is above "
                    "the legal limit (%(legal)s working days)."
                )
                % {"committed": committed, "legal": legal},
            )
        )
    if visits > 0 and not str(data.get("visit_reason") or "").strip():
        out.append(
            Violation(
                "visit_reason",
                "visit_reason",
                _("The item requires %(n)s in-person visit(s): record the reason for the visit.")
                % {"n": visits},
            )
        )
    if visits == 0 and depth != "4" and not data.get("postal_application"):
        out.append(
            Violation(
                "postal",
                "postal_application",
                _("The item requires no visit but is not fully online: it must offer application by post."),
            )
        )
    if depth == "4" and visits > 0:
        out.append(
            Violation(
                "depth_iv_visits",
                "visits",
                _("A fully online item (online depth IV) cannot require an in-person visit."),
            )
        )
    if data.get("no_visit") and visits > 0:
        out.append(
            Violation(
                "no_visit",
                "no_visit",
                _("An item marked 不见面 (no visit at all) cannot require an in-person visit."),
            )
        )
    if data.get("has_fee") and not (
        str(data.get("fee_basis") or "").strip() and str(data.get("fee_standard") or "").strip()
    ):
        out.append(
            Violation(
                "fee_basis",
                "fee_basis",
                _("The item charges a fee: give the fee items and standard and their legal basis."),
            )
        )
    if data.get("result_is_certificate") and not str(data.get("result_sample") or "").strip():
        out.append(
            Violation(
                "result_sample",
                "result_sample",
                _("The result is a certificate or licence: attach a sample of it."),
            )
        )
    if data.get("item_type") == "01":
        names = [str(s.get("name") or "") for s in steps]
        missing = [n for n in LICENSING_STEPS_REQUIRED if not any(n in s for s in names)]
        if not any(any(f in s for f in LICENSING_STEPS_FINAL) for s in names):
            missing.append("办结/送达")
        if missing:
            out.append(
                Violation(
                    "licensing_steps",
                    "steps",
                    _(
                        "A licensing item needs at least the steps 受理, 审查, 决定 and 办结 or 送达; "
                        "missing: %(steps)s."
                    )
                    % {"steps": "、".join(missing)},
                )
            )
    total = sum(int(s.get("days") or 0) for s in steps)
    if total > committed:
        out.append(
            Violation(
                "steps_sum",
                "steps",
                _(
                    "The process steps take %(total)s working days in all, more than the committed limit of "
                    "%(committed)s."
                )
                % {"total": total, "committed": committed},
            )
        )
    if not (data.get("level_district") or data.get("level_street") or data.get("level_community")):
        out.append(
            Violation("level", "levels", _("Choose at least one level: district, street or community."))
        )
    for m in materials:
        name = m.get("name") or "?"
        if m.get("kind") == "conditional" and not str(m.get("condition") or "").strip():
            out.append(
                Violation(
                    "material_condition",
                    "materials",
                    _("Material “%(name)s” is conditional: state the condition.") % {"name": name},
                )
            )
        if m.get("source") in ("shared", "elicence") and not str(m.get("source_note") or "").strip():
            out.append(
                Violation(
                    "material_source",
                    "materials",
                    _("Material “%(name)s” is obtained from shared data or an e-licence: name where from.")
                    % {"name": name},
                )
            )
        if m.get("rongque_allowed"):
            days = int(m.get("rongque_max_days") or 0)
            if days < 1 or days > committed:
                out.append(
                    Violation(
                        "rongque_days",
                        "materials",
                        _(
                            "Material “%(name)s” may be supplied later (容缺): "
                            "its longest delay must be between 1 and "
                            "the committed limit (%(committed)s working days)."
                        )
                        % {"name": name, "committed": committed},
                    )
                )
    for _position, message in check_form(
        list(data.get("form") or []), service_objects=str(data.get("service_objects") or "")
    ):
        out.append(Violation("form", "form", message))
    return out
