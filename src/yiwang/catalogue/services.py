"""The only writers of the catalogue.

Each public service runs in one transaction and writes one audit event."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import ensure
from yiwang.accounts.models import Department, Hall, Office
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, ServiceError
from yiwang.core.generations import bump

from .access import access_catalogue_department
from .formschema import choices_text
from .guides import forget_current_guide
from .models import (
    BodyNature,
    FormField,
    HandlingKind,
    HandlingType,
    Item,
    ItemType,
    ItemVersion,
    MainItem,
    Material,
    OnlineDepth,
    PowerSource,
    ProcessStep,
    ServiceObject,
    SubItem,
    Synonym,
    Theme,
    Tongban,
)
from .rules import check_item
from .search import SEARCH_FIELDS, item_search_columns, search_columns
from .snapshot import ITEM_FIELDS, item_snapshot

if TYPE_CHECKING:
    from collections.abc import Iterable

    from yiwang.accounts.models import User

MAIN_CODE_RE = re.compile(r"^[A-Z]{1,4}\d{2,4}\d{3}$")
ITEM_CODE_RE = re.compile(r"^([A-Z]{1,4}\d{2,4}\d{3})-(\d{2})-(\d{2})$")

CHOICES: dict[str, Any] = {
    "item_type": ItemType,
    "handling_kind": HandlingKind,
    "handling_type": HandlingType,
    "power_source": PowerSource,
    "body_nature": BodyNature,
    "online_depth": OnlineDepth,
    "tongban": Tongban,
}
MATERIAL_CHOICES: dict[str, Any] = {
    "kind": Material.Kind,
    "medium": Material.Medium,
    "source": Material.Source,
}


class Problems:
    """Collects (field, message) problems; ``raise_if_any`` turns them into one ServiceError."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append((field, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        fields: dict[str, str] = {}
        for f, m in self.items:
            fields[f] = f"{fields[f]} {m}" if f in fields else m
        raise ServiceError(
            self.items[0][1]
            if len(self.items) == 1
            else _("%(n)s problems: %(first)s") % {"n": len(self.items), "first": self.items[0][1]},
            code="invalid",
            fields=fields,
        )


def validate_codes(data: dict[str, Any], problems: Problems) -> None:
    code = str(data.get("code") or "")
    m = ITEM_CODE_RE.match(code)
    main_code = str(data.get("main_code") or "")
    if not m:
        problems.add(
            "code",
            _("Item code “%(code)s” is not in the form MAINCODE-SS-HH (e.g. LG19001-00-01).")
            % {"code": code},
        )
    elif m.group(1) != main_code:
        problems.add(
            "code",
            _("Item code “%(code)s” does not start with its main item code “%(main)s”.")
            % {"code": code, "main": main_code},
        )
    elif m.group(3) != str(data.get("handling_type") or ""):
        problems.add(
            "code",
            _("Item code “%(code)s” does not end with its handling type “%(type)s”.")
            % {"code": code, "type": data.get("handling_type")},
        )
    else:
        sub_code = str(data.get("sub_code") or "")
        expected = f"{main_code}{m.group(2)}" if m.group(2) != "00" else ""
        if sub_code != expected:
            problems.add(
                "sub_code",
                _("Item code “%(code)s” needs sub-item code “%(sub)s”.")
                % {"code": code, "sub": expected or "—"},
            )
    if not MAIN_CODE_RE.match(main_code):
        problems.add(
            "main_code",
            _("Main item code “%(code)s” is not valid (department code and 3 digits).") % {"code": main_code},
        )
    elif data.get("department") and not main_code.startswith(str(data["department"])):
        problems.add(
            "main_code",
            _("Main item code “%(code)s” does not start with the department code “%(dept)s”.")
            % {"code": main_code, "dept": data["department"]},
        )


def validate_values(data: dict[str, Any], problems: Problems) -> None:  # noqa: C901 - one check per controlled field
    for name, choices in CHOICES.items():
        if str(data.get(name) or "") not in choices.values:
            problems.add(
                name,
                _("“%(value)s” is not an allowed value (%(allowed)s).")
                % {"value": data.get(name), "allowed": ", ".join(choices.values)},
            )
    objects = [c for c in str(data.get("service_objects") or "").split(",") if c]
    if not objects or any(c not in ServiceObject.values for c in objects):
        problems.add(
            "service_objects",
            _("Service objects must be codes from %(allowed)s, separated by commas.")
            % {"allowed": ", ".join(ServiceObject.values)},
        )
    themes = [c for c in str(data.get("themes") or "").split(",") if c]
    bad = [c for c in themes if c not in Theme.values]
    if bad:
        problems.add("themes", _("Unknown themes: %(bad)s.") % {"bad": ", ".join(bad)})
    for name in ("name", "implementing_body", "legal_basis", "conditions"):
        if not str(data.get(name) or "").strip():
            problems.add(name, _("This field is required."))
    for name in ("legal_limit_days", "committed_limit_days"):
        value = data.get(name)
        if not isinstance(value, int) or value < 0 or value > 3650:
            problems.add(name, _("Enter a whole number of working days (0–3650)."))
    for i, m in enumerate(data.get("materials") or [], start=1):
        for name, choices in MATERIAL_CHOICES.items():
            if str(m.get(name) or "") not in choices.values:
                problems.add(
                    "materials",
                    _("Material %(n)s: “%(value)s” is not an allowed %(field)s.")
                    % {"n": i, "value": m.get(name), "field": name},
                )
        if not str(m.get("name") or "").strip():
            problems.add("materials", _("Material %(n)s has no name.") % {"n": i})
    positions = [m.get("position") for m in data.get("materials") or []]
    if len(positions) != len(set(positions)):
        problems.add("materials", _("Two materials share a position."))
    positions = [s.get("position") for s in data.get("steps") or []]
    if len(positions) != len(set(positions)):
        problems.add("steps", _("Two steps share a position."))


def resolve_refs(  # noqa: C901 - one lookup per kind of reference in an item
    data: dict[str, Any], problems: Problems, cache: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Look up department, offices and halls by code; report unknown ones."""
    cache = cache if cache is not None else {}
    if "departments" not in cache:
        cache["departments"] = {d.code: d for d in Department.objects.all()}
        cache["offices"] = {o.code: o for o in Office.objects.all()}
        cache["halls"] = {h.code: h for h in Hall.objects.all()}
    refs: dict[str, Any] = {}
    dept = cache["departments"].get(str(data.get("department") or ""))
    if dept is None:
        problems.add("department", _("Unknown department “%(code)s”.") % {"code": data.get("department")})
    refs["department"] = dept
    office = cache["offices"].get(str(data.get("office") or ""))
    if office is None:
        problems.add("office", _("Unknown office “%(code)s”.") % {"code": data.get("office")})
    elif dept is not None and office.department_id not in (None, dept.pk):
        problems.add(
            "office", _("Office “%(code)s” does not belong to the owning department.") % {"code": office.code}
        )
    refs["office"] = office
    refs["co_offices"] = []
    for code in data.get("co_offices") or []:
        o = cache["offices"].get(code)
        if o is None:
            problems.add("co_offices", _("Unknown office “%(code)s”.") % {"code": code})
        refs["co_offices"].append(o)
    refs["listed_halls"] = []
    for code in data.get("listed_halls") or []:
        h = cache["halls"].get(code)
        if h is None:
            problems.add("listed_halls", _("Unknown hall “%(code)s”.") % {"code": code})
        refs["listed_halls"].append(h)
    refs["step_offices"] = []
    for s in data.get("steps") or []:
        code = str(s.get("office") or "")
        o = cache["offices"].get(code) if code else None
        if code and o is None:
            problems.add("steps", _("Unknown office “%(code)s”.") % {"code": code})
        refs["step_offices"].append(o)
    return refs


def item_problems(
    data: dict[str, Any], cache: dict[str, Any] | None = None
) -> tuple[Problems, dict[str, Any]]:
    """Every problem with an item snapshot: codes, values, references and the consistency rules."""
    problems = Problems()
    validate_codes(data, problems)
    validate_values(data, problems)
    refs = resolve_refs(data, problems, cache)
    if not problems:
        for v in check_item(data):
            problems.add(v.field, v.message)
    return problems, refs


def _write_item(data: dict[str, Any], refs: dict[str, Any], item: Item | None = None) -> Item:  # noqa: C901 - one write per part of an item (main item, materials, steps, halls)
    """Write a validated snapshot (no audit; callers audit once)."""
    bump("catalogue")  # the halls' booking snapshots read the catalogue (docs/adr/0015)
    main, _created = MainItem.objects.get_or_create(
        code=data["main_code"],
        defaults={"name": data.get("main_name") or data["name"], "department": refs["department"]},
    )
    if data.get("main_name") and main.name != data["main_name"]:
        main.name = data["main_name"]
        main.save(update_fields=["name"])
    sub = None
    if data.get("sub_code"):
        sub, _created = SubItem.objects.get_or_create(
            code=data["sub_code"], defaults={"main": main, "name": data.get("sub_name") or data["name"]}
        )
        if data.get("sub_name") and sub.name != data["sub_name"]:
            sub.name = data["sub_name"]
            sub.save(update_fields=["name"])
    if item is None:
        item = Item.objects.filter(code=data["code"]).first() or Item(code=data["code"])
    item.main = main
    item.sub = sub
    item.department = refs["department"]
    item.office = refs["office"]
    for name in ITEM_FIELDS:
        if name in (
            "code",
            "main_code",
            "main_name",
            "sub_code",
            "sub_name",
            "department",
            "office",
            "co_offices",
            "listed_halls",
        ):
            continue
        if name == "result_sample":
            if (data.get(name) or "") != (item.result_sample.name or ""):
                item.result_sample.name = data.get(name) or ""
            continue
        setattr(item, name, data.get(name) if data.get(name) is not None else getattr(Item(), name))
    item.draft_changed = True
    columns = search_columns(
        item.name,
        item.keywords,
        item.result_name,
        main.name,
        refs["department"].short_name,
        item.code,
        item.name_en,
    )
    for field, value in columns.items():
        setattr(item, field, value)
    item.save()
    item.co_offices.set([o for o in refs["co_offices"] if o is not None])
    item.listed_halls.set([h for h in refs["listed_halls"] if h is not None])

    existing = {m.position: m for m in item.materials.all()}
    keep = set()
    for m in data.get("materials") or []:
        pos = int(m["position"])
        row = existing.get(pos) or Material(item=item, position=pos)
        for f in (
            "name",
            "kind",
            "condition",
            "originals",
            "copies",
            "medium",
            "source",
            "source_note",
            "rongque_allowed",
            "rongque_max_days",
            "notes",
        ):
            setattr(row, f, m.get(f) if m.get(f) is not None else getattr(Material(), f))
        for f in ("blank_form", "filled_sample"):
            getattr(row, f).name = m.get(f) or ""
        row.save()
        keep.add(pos)
    item.materials.exclude(position__in=keep).delete()
    existing_steps = {s.position: s for s in item.steps.all()}
    keep = set()
    for s, office in zip(data.get("steps") or [], refs["step_offices"], strict=True):
        pos = int(s["position"])
        step = existing_steps.get(pos) or ProcessStep(item=item, position=pos)
        step.name = s["name"]
        step.office = office
        step.days = int(s.get("days") or 0)
        step.description = s.get("description") or ""
        step.save()
        keep.add(pos)
    item.steps.exclude(position__in=keep).delete()
    if "form" in data:  # a snapshot without a form (a workbook without the 申请表 sheet) leaves it as it is
        item.form_fields.all().delete()
        FormField.objects.bulk_create(
            FormField(
                item=item,
                **{k: v for k, v in r.items() if k != "choices"},
                choices=choices_text(r.get("choices") or []),
            )
            for r in data["form"]
        )
    return item


def item_save(*, actor: User | None, data: dict[str, Any]) -> Item:
    """Create or update an item's draft from a snapshot dict; refuse with every problem if any."""
    problems, refs = item_problems(data)
    problems.raise_if_any()
    with transaction.atomic():
        existed = Item.objects.filter(code=data["code"]).exists()
        item = _write_item(data, refs)
        audit_record(
            actor=actor,
            action="catalogue.item.update" if existed else "catalogue.item.create",
            obj=item,
            data={"code": item.code},
        )
    return item


def item_admin_saved(*, item: Item) -> None:
    """After the admin saved an item and its inlines (the admin audits the save): refresh the search columns
    and mark the draft as changed."""
    item = Item.objects.select_related("main", "department").get(pk=item.pk)
    Item.objects.filter(pk=item.pk).update(**item_search_columns(item), draft_changed=True)
    bump("catalogue")  # the halls' booking snapshots read the catalogue (docs/adr/0015)


def item_reindex_all() -> int:
    """Recompute every item's search columns (after the synonym table or the pinyin library changes)."""
    batch: list[Item] = []
    n = 0
    for item in Item.objects.select_related("main", "department").iterator(chunk_size=2000):
        for field, value in item_search_columns(item).items():
            setattr(item, field, value)
        batch.append(item)
        if len(batch) >= 2000:
            Item.objects.bulk_update(batch, list(SEARCH_FIELDS))
            n += len(batch)
            batch = []
    if batch:
        Item.objects.bulk_update(batch, list(SEARCH_FIELDS))
        n += len(batch)
    return n


def items_offer_at_halls(
    *, actor: User | None, items: Iterable[Item], halls: Iterable[Hall], remove: bool = False
) -> int:
    """Add ``halls`` to the listed halls of several items at once, or take them off (``remove``): which halls
    offer an item limited to its listed halls (the social-insurance counters) or a park platform's subset
    (docs/adr/0021). Effective at once in every hall's windows, bookings, queue and reception, as any edit of
    the listed halls; the drafts are marked changed so that the next publication shows it in the guides.
    All or nothing, one audit event. Refused for an item of a department the actor does not maintain."""
    rows = list(items)
    chosen = sorted({h.pk: h for h in halls}.values(), key=lambda h: h.code)
    if not chosen:
        raise ServiceError(_("Choose at least one hall."), code="invalid", fields={"halls": _("Required.")})
    if actor is not None:  # None = the system itself (the demo, a shell)
        for item in rows:
            ensure(
                access_catalogue_department(actor, item.department_id),
                user=actor,
                action="catalogue.item.halls",
                obj=item,
            )
    with transaction.atomic():
        for item in rows:
            if remove:
                item.listed_halls.remove(*chosen)
            else:
                item.listed_halls.add(*chosen)
        Item.objects.filter(pk__in=[i.pk for i in rows]).update(draft_changed=True)
        bump("catalogue")  # the halls' booking snapshots read the catalogue (docs/adr/0015)
        audit_record(
            actor=actor,
            action="catalogue.item.halls_remove" if remove else "catalogue.item.halls_add",
            object_type="catalogue.item",
            data={
                "halls": [h.code for h in chosen],
                "count": len(rows),
                "codes": [i.code for i in rows][:200],
            },
        )
    return len(rows)


def synonyms_add(*, actor: User | None, pairs: Iterable[tuple[str, str]]) -> int:
    """Add the search synonyms (term, what it stands for) that are not in the table yet; one audit event.
    Returns how many were added."""
    with transaction.atomic():
        have = set(Synonym.objects.values_list("term", "expansion"))
        new = [Synonym(term=t, expansion=e) for t, e in dict.fromkeys(pairs) if (t, e) not in have]
        if not new:
            return 0
        Synonym.objects.bulk_create(new)
        audit_record(
            actor=actor,
            action="catalogue.synonyms.add",
            object_type="catalogue.synonym",
            data={"added": [f"{s.term}→{s.expansion}" for s in new][:200]},
        )
        cache.delete("catalogue:synonyms")
        transaction.on_commit(lambda: cache.delete("catalogue:synonyms"))
    return len(new)


def _publish_one(item: Item, actor: User | None, note: str, now: Any) -> ItemVersion:
    snapshot = item_snapshot(item)
    violations = check_item(snapshot)
    if violations:
        raise Conflict(
            _("%(code)s cannot be published: %(problems)s")
            % {"code": item.code, "problems": " ".join(v.message for v in violations)}
        )
    last = ItemVersion.objects.filter(item=item).order_by("-number").values_list("number", flat=True).first()
    version = ItemVersion.objects.create(
        item=item,
        number=(last or 0) + 1,
        code=item.code,
        name=item.name,
        handling_kind=item.handling_kind,
        legal_limit_days=item.legal_limit_days,
        committed_limit_days=item.committed_limit_days,
        snapshot=snapshot,
        note=note[:300],
        published_by=actor if getattr(actor, "pk", None) else None,
        published_at=now,
    )
    Item.objects.filter(pk=item.pk).update(
        current_version=version, status=Item.Status.PUBLISHED, draft_changed=False
    )
    transaction.on_commit(lambda: forget_current_guide(item.code))
    bump("catalogue")  # the halls' booking snapshots read the catalogue (docs/adr/0015)
    item.current_version = version
    item.status = Item.Status.PUBLISHED
    item.draft_changed = False
    return version


def item_publish(*, actor: User | None, item: Item, note: str = "") -> ItemVersion:
    """Publish the draft as a new immutable version (refused while any consistency rule is violated)."""
    with transaction.atomic():
        locked = (
            Item.objects.select_for_update().select_related("main", "department", "office").get(pk=item.pk)
        )
        version = _publish_one(locked, actor, note, timezone.now())
        audit_record(
            actor=actor,
            action="catalogue.item.publish",
            obj=locked,
            data={"code": locked.code, "version": version.number},
        )
    item.current_version, item.status, item.draft_changed = version, locked.status, False
    return version


def items_publish(
    *, actor: User | None, items: Iterable[Item], note: str = "", only_changed: bool = True
) -> int:
    """Publish several drafts at once (admin action, import, demo): all or none, one audit event."""
    with transaction.atomic():
        now = timezone.now()
        ids = [i.pk for i in items]
        qs = (
            Item.objects.select_for_update().filter(pk__in=ids).select_related("main", "department", "office")
        )
        qs = qs.prefetch_related("co_offices", "listed_halls", "materials", "steps__office")
        published = []
        for item in qs.order_by("code"):
            if only_changed and not item.draft_changed and item.current_version_id:
                continue
            _publish_one(item, actor, note, now)
            published.append(item.code)
        if published:
            audit_record(
                actor=actor,
                action="catalogue.item.publish_many",
                object_type="catalogue.item",
                data={"count": len(published), "codes": published[:200]},
            )
    return len(published)


def item_withdraw(*, actor: User | None, item: Item, reason: str) -> Item:
    """Withdraw a published item from the guides (its versions stay for the cases filed under them)."""
    if not reason.strip():
        raise ServiceError(
            _("Give a reason for withdrawing the item."), fields={"reason": _("This field is required.")}
        )
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        locked.status = Item.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        bump("catalogue")  # the halls' booking snapshots read the catalogue (docs/adr/0015)
        audit_record(actor=actor, action="catalogue.item.withdraw", obj=locked, data={"reason": reason[:200]})
        transaction.on_commit(lambda: forget_current_guide(locked.code))
    return locked
