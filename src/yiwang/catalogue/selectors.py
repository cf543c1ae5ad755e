"""Reads of the catalogue. Other contexts use these functions, never the models' managers directly.

Which items a hall may accept (``items_for_hall``) — the rule, recorded in docs/adr/0021:

* a **park platform** accepts exactly the items listed for it (its configured subset);
* a **district, street or community hall** accepts
  1. items whose levels include the hall's kind (district hall → district-level items, street hall →
     street-level items, community station → community-level items), unless the item is limited to its
     listed halls (``listed_halls_only``), in which case only the listed halls of that level accept it;
  2. every item with district-wide 通办 (``Tongban.DISTRICT``), whatever its level;
  3. items with 通办 at listed halls (``Tongban.LISTED``) when the hall is listed.
Only published items count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from yiwang.accounts.models import Office
from yiwang.core.errors import NotFound

from .models import ENTERPRISE_OBJECTS, Item, ItemVersion, Material, Tongban


@dataclass(frozen=True)
class MaterialSpec:
    """One material of a published version, as recorded in its snapshot."""

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
    material_id: int | None = None

    @property
    def required(self) -> bool:
        return self.kind == Material.Kind.REQUIRED

    @property
    def applicant_brings(self) -> bool:
        return self.source == Material.Source.APPLICANT


def published_items() -> QuerySet[Item]:
    return Item.objects.filter(status=Item.Status.PUBLISHED, current_version__isnull=False)


def item_get(code_or_id: str | int) -> Item:
    """An item by its code (``LG19001-00-01``) or primary key; NotFound otherwise."""
    qs = Item.objects.select_related("department", "office", "main", "sub", "current_version")
    item = None
    if isinstance(code_or_id, int) or (
        isinstance(code_or_id, str) and code_or_id.isascii() and code_or_id.isdigit() and len(code_or_id) < 10
    ):
        item = qs.filter(pk=int(code_or_id)).first()
    if item is None:
        item = qs.filter(code=str(code_or_id)).first()
    if item is None:
        raise NotFound(_("No such service item."))
    return item


def item_published_version(item: Item) -> ItemVersion:
    """The version guides show and new cases are filed under; NotFound if the item is not published."""
    if item.status != Item.Status.PUBLISHED or item.current_version_id is None:
        raise NotFound(_("This service item is not published."))
    version = item.current_version
    assert version is not None
    return version


def current_version_by_code(code: str) -> ItemVersion:
    """The published version of the item with this code, in one small query (the snapshot is deferred:
    guide pages usually have it cached). NotFound if there is none."""
    version = (
        ItemVersion.objects.filter(
            item__code=code, item__status=Item.Status.PUBLISHED, item__current_version=F("pk")
        )
        .defer("snapshot")
        .first()
    )
    if version is None:
        raise NotFound(_("No such service item."))
    return version


def version_is_current(item: Item, version: ItemVersion) -> bool:
    """Whether ``version`` is the current version of a published item."""
    return item.status == Item.Status.PUBLISHED and item.current_version_id == version.pk


def item_versions(item: Item) -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(item=item).select_related("published_by").order_by("-number")


def item_version_get(item: Item, number: int) -> ItemVersion:
    version = ItemVersion.objects.filter(item=item, number=number).first()
    if version is None:
        raise NotFound(_("No such version."))
    return version


def item_materials(version: ItemVersion) -> list[MaterialSpec]:
    """The materials of a published version (from its immutable snapshot), in order."""
    specs = []
    for m in version.snapshot.get("materials", []):
        specs.append(
            MaterialSpec(
                code=m["code"],
                position=m["position"],
                name=m["name"],
                kind=m["kind"],
                condition=m["condition"],
                originals=m["originals"],
                copies=m["copies"],
                medium=m["medium"],
                source=m["source"],
                source_note=m["source_note"],
                rongque_allowed=m["rongque_allowed"],
                rongque_max_days=m["rongque_max_days"],
                material_id=m.get("id"),
            )
        )
    return specs


def version_rongque_materials(version: ItemVersion) -> list[MaterialSpec]:
    """Materials that may be supplied later under 容缺 (each with its longest allowed delay)."""
    return [m for m in item_materials(version) if m.rongque_allowed]


def version_committed_limit(version: ItemVersion) -> int:
    """Committed time limit in working days (0 for 即办件)."""
    return version.committed_limit_days


def _hall_level_q(kind: str) -> Q:
    return {
        "district": Q(level_district=True),
        "street": Q(level_street=True),
        "community": Q(level_community=True),
    }.get(kind, Q(pk__in=[]))


def items_for_hall(hall: Any) -> QuerySet[Item]:
    """Published items the hall may accept (rule in the module docstring)."""
    qs = published_items()
    if hall.kind == "park":
        return qs.filter(listed_halls=hall).distinct()
    listed = Q(listed_halls=hall)
    by_level = _hall_level_q(hall.kind) & (Q(listed_halls_only=False) | listed)
    tongban = Q(tongban=Tongban.DISTRICT, department__district_id=hall.district_id) | (
        Q(tongban=Tongban.LISTED) & listed
    )
    return qs.filter(by_level | tongban).distinct()


def hall_accepts_item(hall: Any, item: Item) -> bool:
    return items_for_hall(hall).filter(pk=item.pk).exists()


def item_office_for_hall(item: Item, hall: Any) -> Any:
    """The office a case accepted at ``hall`` goes to: a street-/community-level item that is not also
    district-level is handled by the street office of the hall's street when one exists; otherwise the
    item's owning office."""
    if (
        hall is not None
        and hall.kind in ("street", "community")
        and not item.level_district
        and (item.level_street or item.level_community)
        and hall.street_id
    ):
        office = Office.objects.filter(street_id=hall.street_id).order_by("code").first()
        if office is not None:
            return office
    return item.office


def enterprise_q() -> Q:
    q = Q(pk__in=[])
    for code in ENTERPRISE_OBJECTS:
        q |= Q(service_objects__contains=code)
    return q


def theme_q(code: str) -> Q:
    return (
        Q(themes=code)
        | Q(themes__startswith=code + ",")
        | Q(themes__endswith="," + code)
        | Q(themes__contains="," + code + ",")
    )


def catalogue_stats(qs: QuerySet[Item] | None = None) -> dict[str, Any]:
    """Counts for the catalogue report: by department, type, level, online depth, 不见面, 通办, 容缺, and the
    average compression rate ``1 − committed/legal`` over items with a legal limit."""
    qs = published_items() if qs is None else qs
    total = qs.count()
    by_dept = list(
        qs.values("department__code", "department__name", "department__kind")
        .annotate(n=Count("id"))
        .order_by("department__code")
    )
    by_kind: dict[str, int] = {}
    for r in by_dept:
        by_kind[r["department__kind"]] = by_kind.get(r["department__kind"], 0) + r["n"]
    by_type = {r["item_type"]: r["n"] for r in qs.values("item_type").annotate(n=Count("id"))}
    by_depth = {r["online_depth"]: r["n"] for r in qs.values("online_depth").annotate(n=Count("id"))}
    rates = [1 - c / leg for leg, c in qs.values_list("legal_limit_days", "committed_limit_days") if leg]
    rongque_items = qs.filter(materials__rongque_allowed=True).distinct().count()
    rongque_materials = Material.objects.filter(item__in=qs, rongque_allowed=True).count()
    return {
        "total": total,
        "by_department": [
            {
                "code": r["department__code"],
                "name": r["department__name"],
                "kind": r["department__kind"],
                "count": r["n"],
            }
            for r in by_dept
        ],
        "by_organisation_kind": dict(sorted(by_kind.items())),
        "by_type": dict(sorted(by_type.items())),
        "by_level": {
            "district": qs.filter(level_district=True).count(),
            "street": qs.filter(level_street=True).count(),
            "community": qs.filter(level_community=True).count(),
        },
        "by_online_depth": dict(sorted(by_depth.items())),
        "enterprise": qs.filter(enterprise_q()).count(),
        "no_visit": qs.filter(no_visit=True).count(),
        "tongban_district": qs.filter(tongban=Tongban.DISTRICT).count(),
        "tongban_listed": qs.filter(tongban=Tongban.LISTED).count(),
        "rongque_items": rongque_items,
        "rongque_materials": rongque_materials,
        "instant": qs.filter(handling_kind="1").count(),
        "average_compression": round(sum(rates) / len(rates), 4) if rates else 0.0,
        "compression_60_plus": sum(1 for r in rates if r >= 0.6),
    }
