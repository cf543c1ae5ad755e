"""Guides (办事指南) generated from a published version's snapshot: for pages and for the PDF."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from yiwang.accounts.models import Department, Office
from yiwang.core.pdf import pdf_document
from yiwang.core.text import time_limit

from .models import (
    BodyNature,
    HandlingKind,
    HandlingType,
    ItemType,
    ItemVersion,
    Level,
    Material,
    OnlineDepth,
    PowerSource,
    ServiceObject,
    Theme,
    Tongban,
)

CURRENT_GUIDE_SECONDS = 60


def current_guide_key(code: str, language: str | None) -> str:
    return f"catalogue:guide:current:{code}:{language or ''}"


def forget_current_guide(code: str) -> None:
    """Drop the cached current guide of an item in every language (after a publication or withdrawal)."""
    cache.delete_many([current_guide_key(code, lang) for lang, _name in settings.LANGUAGES])


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


def days_text(days: int) -> str:
    return time_limit(days)


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def display_name(snapshot: dict[str, Any]) -> str:
    return snapshot.get("name_en") or snapshot["name"] if is_english() else snapshot["name"]


def guide_context(version: ItemVersion) -> dict[str, Any]:
    """Everything a guide shows, labelled in the request's language (item data itself stays Chinese)."""
    s = version.snapshot
    offices = {
        o.code: o
        for o in Office.objects.filter(
            code__in=[s["office"], *s["co_offices"], *[st["office"] for st in s["steps"]]]
        )
    }
    dept = Department.objects.filter(code=s["department"]).first()
    english = is_english()

    def office_name(code: str) -> str:
        o = offices.get(code)
        if o is None:
            return code or _("Comprehensive window")
        return (o.name_en or o.name) if english else str(o)

    levels = [
        str(Level(lv).label)
        for lv, on in (
            ("district", s["level_district"]),
            ("street", s["level_street"]),
            ("community", s["level_community"]),
        )
        if on
    ]
    legal, committed = s["legal_limit_days"], s["committed_limit_days"]
    compression = round(100 * (1 - committed / legal)) if legal else 0
    facts = [
        (_("Item code"), s["code"]),
        (_("Item type"), _label(ItemType, s["item_type"])),
        (_("Handling type"), _label(HandlingType, s["handling_type"])),
        (_("Handling kind"), _label(HandlingKind, s["handling_kind"])),
        (
            _("Service objects"),
            "、".join(_label(ServiceObject, c) for c in s["service_objects"].split(",") if c),
        ),
        (pgettext("level of exercise", "Level"), "、".join(levels)),
        (
            _("Owning department"),
            ((dept.name_en or dept.name) if english else dept.name) if dept else s["department"],
        ),
        (_("Implementing body"), s["implementing_body"]),
        (_("Nature of the implementing body"), _label(BodyNature, s["body_nature"])),
        (_("Power source"), _label(PowerSource, s["power_source"])),
        (_("Owning office"), office_name(s["office"])),
        (_("Co-offices"), "、".join(office_name(c) for c in s["co_offices"]) or _("None")),
        (_("Intermediary services"), s["intermediary_services"] or _("None")),
        (_("Legal time limit"), days_text(legal)),
        (_("Committed time limit"), days_text(committed)),
        (_("Compression"), f"{compression}%"),
        (_("Quantity limit"), s["quantity_limit"] or _("None")),
        (_("Result"), s["result_name"] or "—"),
        (_("Result becomes an e-licence"), yes_no(s["result_elicence"])),
        (_("In-person visits"), str(s["visits"])),
        (_("Reason for the visit"), s["visit_reason"] or "—"),
        (_("Online depth"), _label(OnlineDepth, s["online_depth"])),
        (_("No visit at all (不见面)"), yes_no(s["no_visit"])),
        (_("Application by post"), yes_no(s["postal_application"])),
        (_("通办 scope"), _label(Tongban, s["tongban"])),
        (_("Appointment required"), yes_no(s["appointment_required"])),
        (_("Result by express delivery"), yes_no(s["express_delivery"])),
        (_("Online payment"), yes_no(s["online_payment"])),
    ]
    materials = []
    for m in s["materials"]:
        source = _label(Material.Source, m["source"])
        if m["source_note"]:
            source = f"{source}（{m['source_note']}）"
        materials.append({
            **m,
            "kind_label": _label(Material.Kind, m["kind"]),
            "medium_label": _label(Material.Medium, m["medium"]),
            "source_label": source,
            # An electronic-only material has no paper to count: say nothing rather than "0 份原件".
            "counts": _("%(o)s original(s), %(c)s copy/copies") % {"o": m["originals"], "c": m["copies"]}
            if m["originals"] or m["copies"] else "",
            "form_file": f"m{m['position']}-form",
            "sample_file": f"m{m['position']}-sample",
        })  # fmt: skip
    steps = [
        {**st, "office_name": office_name(st["office"]), "days_text": days_text(st["days"])}
        for st in s["steps"]
    ]
    return {
        "s": s,
        "name": display_name(s),
        "facts": facts,
        "materials": materials,
        "steps": steps,
        "fee": (s["fee_standard"], s["fee_basis"]) if s["has_fee"] else None,
        "themes": [_label(Theme, t) for t in s["themes"].split(",") if t],
        "faq": s["faq"],
        "compression": compression,
        "version": version,
    }


def guide_pdf(version: ItemVersion, url: str) -> bytes:
    """The printable guide: Chinese text with an embedded font and a QR code linking to the page."""
    g = guide_context(version)
    s = g["s"]
    blocks: list[tuple[str, Any]] = [
        ("table", [[_("Field"), pgettext("guide", "Value")], *[[k, v] for k, v in g["facts"]]]),
        ("h", _("Acceptance conditions")), ("p", s["conditions"]),
        ("h", _("Materials")),
        ("table", [[_("Material"), _("Required?"), _("Quantity"), _("Form"), _("Source")]]
         + [[m["name"] + (f"（{m['condition']}）" if m["condition"] else "")
             + ("［" + _("容缺: within %(n)s working days") % {"n": m["rongque_max_days"]} + "］"
                if m["rongque_allowed"] else ""),
             m["kind_label"], m["counts"] or "—", m["medium_label"], m["source_label"]] for m in g["materials"]]),
        ("h", _("Process")),
        ("table", [[_("Step"), _("Office"), pgettext("time limit", "Time")]]
         + [[st["name"], st["office_name"], st["days_text"]] for st in g["steps"]]),
        ("h", _("Fees")),
        ("p", f"{g['fee'][0]}\n{_('Basis')}: {g['fee'][1]}" if g["fee"] else _("No fee")),
        ("h", _("Where and when")), ("p", f"{s['place']}\n{s['hours']}\n{_('Enquiries')}: {s['phone']}"),
        ("h", _("Legal basis")), ("p", s["legal_basis"]),
    ]  # fmt: skip
    if g["faq"]:
        blocks.append(("h", _("Frequently asked questions")))
        q_label, a_label = _("Q"), _("A")
        for qa in g["faq"]:
            blocks.append(("p", f"{q_label}: {qa['q']}\n{a_label}: {qa['a']}"))
    blocks.append(("h", _("Read this guide online")))
    blocks.append(("qr", url))
    subtitle = _("Service guide · version %(n)s · published %(date)s") % {
        "n": version.number,
        "date": timezone.localdate(version.published_at).isoformat(),
    }
    return pdf_document(g["name"], blocks, subtitle=subtitle, footer=f"{s['code']} v{version.number}")


def snapshot_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """Names of the fields that changed between two snapshots (for the change history)."""
    if old is None:
        return []
    changed = [k for k in new if k not in ("materials", "steps", "form") and old.get(k) != new.get(k)]
    strip = lambda rows: [{k: v for k, v in r.items() if k != "id"} for r in rows]  # noqa: E731
    if strip(old.get("materials", [])) != strip(new.get("materials", [])):
        changed.append("materials")
    if old.get("steps") != new.get("steps"):
        changed.append("steps")
    if old.get("form", []) != new.get("form", []):
        changed.append("form")
    return changed
