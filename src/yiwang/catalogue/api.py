"""Catalogue API: search and list items, item detail with materials and steps, versions, statistics."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yiwang.accounts import selectors as people
from yiwang.accounts.access import ensure, signed_in
from yiwang.core.errors import NotFound
from yiwang.web.api import AUTH, ERRORS, MAX_OFFSET, WRITE_ERRORS, Offset

from . import selectors, services
from .access import access_catalogue_department
from .browse import items_filtered
from .guides import display_name

router = Router(tags=["catalogue"])


class ItemFilters(Schema):
    q: str | None = Field(None, max_length=60, description="Chinese keywords, full pinyin or initials")
    department: str | None = Field(None, max_length=20, description="department code, e.g. LG19")
    theme: str | None = Field(None, max_length=20, description="life event or business theme code")
    level: Literal["district", "street", "community"] | None = None
    audience: Literal["person", "business"] | None = None
    item_type: Literal["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"] | None = None
    online: bool = Field(False, description="fully online (depth IV) only")
    no_visit: bool = Field(False, description="不见面 items only")
    tongban: bool = Field(False, description="district-wide 通办 items only")
    limit: int = Field(20, ge=1, le=100)
    offset: Offset = 0


class ItemSummary(Schema):
    code: str
    name: str
    name_en: str
    department: str
    department_name: str
    item_type: str
    handling_kind: str
    levels: list[str]
    legal_limit_days: int
    committed_limit_days: int
    online_depth: str
    no_visit: bool
    tongban: str
    url: str


class ItemPage(Schema):
    count: int
    count_capped: bool = Field(
        False, description="true when a search has more matches than ``count`` (1,000)"
    )
    limit: int
    offset: int
    items: list[ItemSummary]


class CatalogueMaterialOut(Schema):
    code: str
    position: int
    name: str
    kind: str
    condition: str
    originals: int
    copies: int
    medium: str
    source: str
    source_note: str
    rongque_allowed: bool
    rongque_max_days: int
    blank_form_url: str
    filled_sample_url: str


class StepOut(Schema):
    position: int
    name: str
    office: str
    days: int
    description: str


class FaqOut(Schema):
    q: str
    a: str


class ItemDetail(Schema):
    code: str
    version: int
    published_at: datetime
    main_code: str
    main_name: str
    sub_code: str
    handling_type: str
    name: str
    name_en: str
    item_type: str
    handling_kind: str
    service_objects: list[str]
    power_source: str
    implementing_body: str
    body_nature: str
    levels: list[str]
    department: str
    office: str
    co_offices: list[str]
    intermediary_services: str
    legal_basis: str
    conditions: str
    legal_limit_days: int
    committed_limit_days: int
    compression_rate: float
    quantity_limit: str
    has_fee: bool
    fee_standard: str
    fee_basis: str
    result_name: str
    result_is_certificate: bool
    result_elicence: bool
    result_sample_url: str
    visits: int
    visit_reason: str
    online_depth: str
    no_visit: bool
    postal_application: bool
    tongban: str
    listed_halls: list[str]
    appointment_required: bool
    express_delivery: bool
    online_payment: bool
    online_url: str
    place: str
    hours: str
    phone: str
    faq: list[FaqOut]
    themes: list[str]
    is_sample: bool
    materials: list[CatalogueMaterialOut]
    steps: list[StepOut]
    guide_url: str
    pdf_url: str


class VersionOut(Schema):
    number: int
    published_at: datetime
    published_by: str
    note: str
    committed_limit_days: int
    legal_limit_days: int


class DepartmentCount(Schema):
    code: str
    name: str
    kind: str = Field(
        description="government, utility (public-service utility) or stationed (another organisation in the halls)"
    )
    count: int


class Statistics(Schema):
    total: int
    enterprise: int
    no_visit: int
    tongban_district: int
    tongban_listed: int
    rongque_items: int
    rongque_materials: int
    instant: int
    average_compression: float
    compression_60_plus: int
    by_department: list[DepartmentCount]
    by_organisation_kind: dict[str, int]
    by_type: dict[str, int]
    by_level: dict[str, int]
    by_online_depth: dict[str, int]


class PublishIn(Schema):
    note: str = Field("", max_length=300)


def _levels(item: Any) -> list[str]:
    return list(item.levels)


def _summary(item: Any) -> dict[str, Any]:
    return {
        "code": item.code, "name": item.name, "name_en": item.name_en, "department": item.department.code,
        "department_name": item.department.name, "item_type": item.item_type, "handling_kind": item.handling_kind,
        "levels": _levels(item), "legal_limit_days": item.legal_limit_days,
        "committed_limit_days": item.committed_limit_days, "online_depth": item.online_depth,
        "no_visit": item.no_visit, "tongban": item.tongban, "url": f"/catalogue/items/{item.code}/",
    }  # fmt: skip


def _page(qs: Any, limit: int, offset: int) -> dict[str, Any]:
    rows = list(qs[offset : offset + limit])
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": [_summary(i) for i in rows]}


@router.get(
    "/items", response={200: ItemPage, **ERRORS}, auth=None, summary="Search and list published items"
)
def list_items(request: HttpRequest, filters: Query[ItemFilters]) -> Any:
    qs, _used = items_filtered(**filters.dict(exclude={"limit", "offset"}))
    return _page(qs, filters.limit, filters.offset)


@router.get(
    "/items/{code}",
    response={200: ItemDetail, **ERRORS},
    auth=None,
    summary="A published item with its materials and steps",
)
def item_detail(request: HttpRequest, code: str) -> Any:
    item = selectors.item_get(code)
    version = selectors.item_published_version(item)
    s = version.snapshot
    base = f"/catalogue/items/{item.code}/files/"
    legal, committed = s["legal_limit_days"], s["committed_limit_days"]
    return {
        **{k: s[k] for k in ItemDetail.model_fields if k in s and k not in (
            "service_objects", "themes", "materials", "steps", "faq")},
        "version": version.number, "published_at": version.published_at,
        "service_objects": [c for c in s["service_objects"].split(",") if c],
        "themes": [c for c in s["themes"].split(",") if c],
        "levels": [lv for lv in ("district", "street", "community") if s[f"level_{lv}"]],
        "compression_rate": round(1 - committed / legal, 4) if legal else 0.0,
        "result_sample_url": f"{base}result-sample/" if s["result_sample"] else "",
        "faq": s["faq"],
        "materials": [{**m, "blank_form_url": f"{base}m{m['position']}-form/" if m["blank_form"] else "",
                       "filled_sample_url": f"{base}m{m['position']}-sample/" if m["filled_sample"] else ""}
                      for m in s["materials"]],
        "steps": s["steps"],
        "guide_url": f"/catalogue/items/{item.code}/", "pdf_url": f"/catalogue/items/{item.code}/guide.pdf",
    }  # fmt: skip


@router.get(
    "/items/{code}/versions",
    response={200: list[VersionOut], **ERRORS},
    auth=None,
    summary="The item's published versions (change history)",
)
def item_versions(request: HttpRequest, code: str) -> Any:
    item = selectors.item_get(code)
    versions = list(selectors.item_versions(item))
    if not versions:
        raise NotFound(display_name({"name": item.name, "name_en": item.name_en}))
    return [{"number": v.number, "published_at": v.published_at, "note": v.note,
             "published_by": (v.published_by.full_name or v.published_by.username) if v.published_by else "",
             "committed_limit_days": v.committed_limit_days, "legal_limit_days": v.legal_limit_days}
            for v in versions]  # fmt: skip


@router.get("/statistics", response={200: Statistics, **ERRORS}, auth=None, summary="Catalogue statistics")
def statistics(request: HttpRequest) -> Any:
    return selectors.catalogue_stats()


@router.get(
    "/halls/{hall_code}/items",
    response={200: ItemPage, **ERRORS},
    auth=None,
    summary="Items a hall may accept (level, 通办 and park subsets)",
)
def hall_items(
    request: HttpRequest,
    hall_code: str,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    hall = people.hall_by_code(hall_code)
    if hall is None:
        raise NotFound()
    qs = selectors.items_for_hall(hall).select_related("department").order_by("code")
    return _page(qs, limit, offset)


@router.post(
    "/items/{code}/publish",
    response={200: VersionOut, **WRITE_ERRORS},
    auth=AUTH,
    summary="Publish the item's draft as a new version (department administrators)",
)
def publish(request: HttpRequest, code: str, payload: PublishIn) -> Any:
    item = selectors.item_get(code)
    ensure(
        access_catalogue_department(request.user, item.department_id),
        user=request.user,
        action="catalogue.item.publish",
        obj=item,
    )
    v = services.item_publish(actor=signed_in(request), item=item, note=payload.note)
    return {"number": v.number, "published_at": v.published_at, "note": v.note,
            "published_by": request.user.get_username(), "committed_limit_days": v.committed_limit_days,
            "legal_limit_days": v.legal_limit_days}  # fmt: skip
