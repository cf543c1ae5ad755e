"""The item snapshot: one plain dict describing an item with its materials and steps.

It is what a published ``ItemVersion`` stores, what the consistency rules read, what the Excel exchange
writes and reads, and what the API returns. Related objects appear by their natural codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .formschema import snapshot_rows

if TYPE_CHECKING:
    from .models import Item

# Item fields in snapshot (and spreadsheet) order. Relations are stored as codes.
ITEM_FIELDS = [
    "code", "main_code", "main_name", "sub_code", "sub_name", "handling_type", "name", "name_en", "item_type",
    "handling_kind", "service_objects", "power_source", "implementing_body", "body_nature", "level_district",
    "level_street", "level_community", "department", "office", "co_offices", "intermediary_services",
    "legal_basis", "conditions", "legal_limit_days", "committed_limit_days", "quantity_limit", "has_fee",
    "fee_standard", "fee_basis", "result_name", "result_is_certificate", "result_sample", "result_elicence",
    "visits", "visit_reason", "online_depth", "no_visit", "postal_application", "tongban", "listed_halls",
    "listed_halls_only", "appointment_required", "express_delivery", "online_payment", "online_url", "place",
    "hours", "phone", "faq", "themes", "keywords", "is_sample",
]  # fmt: skip
MATERIAL_FIELDS = [
    "position", "name", "kind", "condition", "originals", "copies", "medium", "blank_form", "filled_sample",
    "source", "source_note", "rongque_allowed", "rongque_max_days", "notes",
]  # fmt: skip
STEP_FIELDS = ["position", "name", "office", "days", "description"]

BOOL_FIELDS = {
    "level_district", "level_street", "level_community", "has_fee", "result_is_certificate",
    "result_elicence",
    "no_visit", "postal_application", "listed_halls_only", "appointment_required", "express_delivery",
    "online_payment", "is_sample", "rongque_allowed", "required",
}  # fmt: skip
INT_FIELDS = {"legal_limit_days", "committed_limit_days", "visits", "position", "originals", "copies", "days",
              "rongque_max_days", "max_length", "max_rows"}  # fmt: skip
LIST_FIELDS = {"co_offices", "listed_halls"}
JSON_FIELDS = {"faq"}


def material_code(item_code: str, position: int) -> str:
    return f"{item_code}-M{position:02d}"


def item_snapshot(item: Item) -> dict[str, Any]:  # noqa: C901 - one copy per part of an item
    """The item as it stands in the database (the draft), with materials and steps."""
    data: dict[str, Any] = {}
    for name in ITEM_FIELDS:
        if name == "main_code":
            data[name] = item.main.code
        elif name == "main_name":
            data[name] = item.main.name
        elif name == "sub_code":
            data[name] = item.sub.code if item.sub is not None else ""
        elif name == "sub_name":
            data[name] = item.sub.name if item.sub is not None else ""
        elif name == "department":
            data[name] = item.department.code
        elif name == "office":
            data[name] = item.office.code
        elif name == "co_offices":
            data[name] = sorted(o.code for o in item.co_offices.all())
        elif name == "listed_halls":
            data[name] = sorted(h.code for h in item.listed_halls.all())
        elif name == "result_sample":
            data[name] = item.result_sample.name or ""
        else:
            data[name] = getattr(item, name)
    data["materials"] = [
        {
            "id": m.pk,
            "code": material_code(item.code, m.position),
            **{f: (getattr(m, f).name or "") if f in ("blank_form", "filled_sample") else getattr(m, f)
               for f in MATERIAL_FIELDS},
        }
        for m in item.materials.all().order_by("position", "id")
    ]  # fmt: skip
    data["steps"] = [
        {
            f: (s.office.code if s.office is not None else "") if f == "office" else getattr(s, f)
            for f in STEP_FIELDS
        }
        for s in item.steps.select_related("office").order_by("position", "id")
    ]
    data["form"] = snapshot_rows(item.form_fields.all())
    return data
