"""Public guide pages (search, browse, guide, PDF, files, history) and the staff catalogue report."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yiwang.accounts import selectors as people
from yiwang.core.errors import NotFound
from yiwang.core.pagecache import anonymous_page
from yiwang.portal import selectors as offers
from yiwang.web.pages import require

from . import forms, selectors
from .access import access_catalogue_report
from .browse import items_filtered
from .guides import CURRENT_GUIDE_SECONDS, current_guide_key, guide_context, guide_pdf, snapshot_changes
from .models import BUSINESS_THEMES, PERSON_THEMES, Item, ItemType, ItemVersion, Level, OnlineDepth, Theme
from .search import ranked_codes

PAGE_SIZE = 20
# Strings of the catalogue's links in the shared portal and workbench navigation includes.
NAV_STRINGS = [
    gettext_noop("Find any service: conditions, materials, time limits"),
    gettext_noop("Items by department, type, level; compression of time limits"),
]


def _public(action: str) -> Any:
    return require(lambda user: True, action=action)


@require_GET
@_public("catalogue.index")
@anonymous_page(("catalogue", "halls"))
def index(request: HttpRequest) -> HttpResponse:
    query = forms.BrowseQueryForm(request.GET).values()
    page_number = query.pop("page")
    qs, used = items_filtered(**query)
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    link = "&".join(f"{k}={v}" for k, v in used.items())
    return render(request, "catalogue/index.html", {
        "page": page, "used": used, "query": link, "filtered": bool(used),
        "rows": [(i, o) for i, o in zip(page.object_list, offers.item_offers(page.object_list).values(), strict=True)],
        "departments": people.departments_by_kind(),
        "person_themes": [(t, Theme(t).label) for t in PERSON_THEMES],
        "business_themes": [(t, Theme(t).label) for t in BUSINESS_THEMES],
        "levels": Level.choices,
    })  # fmt: skip


@require_GET
@_public("catalogue.pick")
def pick(request: HttpRequest) -> HttpResponse:
    """The codes of the items matching ``?q=``, best first, for the searchable pickers of the booking page,
    the service map and the reception screen (``core.forms.PickerSelect``, ADR 0058)."""
    q = str(forms.PickQueryForm(request.GET).values()["q"])
    response = JsonResponse({"codes": ranked_codes(q) if q.strip() else []})
    response["Cache-Control"] = "max-age=60"
    return response


def _item_and_version(code: str, number: int | None = None) -> tuple[Item, ItemVersion]:
    try:
        item = selectors.item_get(code)
        version = (
            selectors.item_version_get(item, number) if number else selectors.item_published_version(item)
        )
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return item, version


def _version(request: HttpRequest) -> int | None:
    """The ``?version=`` asked for; None for the current one (also when it is not a version number)."""
    number = forms.VersionQueryForm(request.GET).values()["version"]
    return int(number) if number else None


ACTIONS_MARK = "<!--item-actions-->"


@require_GET
@_public("catalogue.guide")
@anonymous_page(("catalogue", "halls"))
def guide(request: HttpRequest, code: str) -> HttpResponse:
    number = _version(request)
    # The current guide is cached per item and language until its next publication or withdrawal
    # (services forget it on commit; at most CURRENT_GUIDE_SECONDS stale in another process's own cache).
    current_key = current_guide_key(code, get_language())
    cached = None if number else cache.get(current_key)
    if cached is None:
        try:
            if number:
                item, version = _item_and_version(code, number)
                is_current = selectors.version_is_current(item, version)
            else:
                version, is_current = selectors.current_version_by_code(code), True
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        ctx = guide_context(version)
        ctx.update({"is_current": is_current})
        s = version.snapshot
        cached = {
            "name": ctx["name"],
            "body": render_to_string("catalogue/_guide_body.html", ctx, request),
            "snapshot": {k: s.get(k, "") for k in ("code", "online_depth", "online_url", "phone")},
        }
        if is_current and not number:
            cache.set(current_key, cached, CURRENT_GUIDE_SECONDS)
    body = cached["body"]
    if ACTIONS_MARK in body:
        # The ways in (apply, book, ask, PDF) follow the halls' configuration too, so they are not cached
        # with the guide's text.
        offer = offers.snapshot_offer(cached["snapshot"])
        actions = render_to_string("portal/_item_actions.html", {"offer": offer, "full": True}, request)
        body = body.replace(ACTIONS_MARK, actions, 1)
    body = mark_safe(body)  # our own templates' output
    return render(request, "catalogue/guide.html", {"name": cached["name"], "body": body})


@require_GET
@_public("catalogue.guide_pdf")
def guide_pdf_view(request: HttpRequest, code: str) -> HttpResponse:
    item, version = _item_and_version(code, _version(request))
    url = request.build_absolute_uri(f"/catalogue/items/{item.code}/")
    pdf = guide_pdf(version, url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="guide-{item.code}-v{version.number}.pdf"'
    return response


@require_GET
@_public("catalogue.file")
def item_file(request: HttpRequest, code: str, name: str) -> Any:
    """A published version's result sample (``result-sample``) or a material's blank form / filled-in
    sample (``m3-form``, ``m3-sample``)."""
    _item, version = _item_and_version(code, _version(request))
    s = version.snapshot
    path = ""
    if name == "result-sample":
        path = s.get("result_sample") or ""
    elif name.startswith("m") and "-" in name:
        pos, kind = name[1:].split("-", 1)
        for m in s["materials"]:
            if str(m["position"]) == pos and kind in ("form", "sample"):
                path = m["blank_form"] if kind == "form" else m["filled_sample"]
    if not path or not default_storage.exists(path):
        raise Http404(_("No such file."))
    filename = f"{s['code']}-{name}.{path.rsplit('.', 1)[-1] if '.' in path else 'bin'}"
    return FileResponse(default_storage.open(path, "rb"), filename=filename)


@require_GET
@_public("catalogue.history")
def history(request: HttpRequest, code: str) -> HttpResponse:
    try:
        item = selectors.item_get(code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    versions = list(selectors.item_versions(item))
    rows = []
    for i, v in enumerate(versions):
        older = versions[i + 1].snapshot if i + 1 < len(versions) else None
        rows.append({"v": v, "changes": snapshot_changes(older, v.snapshot)})
    if item.status != item.Status.PUBLISHED and not versions:
        raise Http404(_("This service item is not published."))
    return render(request, "catalogue/history.html", {"item": item, "rows": rows})


@require_GET
@login_required
@require(access_catalogue_report, action="catalogue.report")
def report(request: HttpRequest) -> HttpResponse:
    stats = selectors.catalogue_stats()
    if (get_language() or "").startswith("en"):
        english = people.department_names_en()
        for row in stats["by_department"]:
            row["name"] = english.get(row["code"], row["name"])
    kinds = people.department_kind_labels()
    for row in stats["by_department"]:
        row["kind_label"] = kinds.get(row["kind"], row["kind"])
    charts = {
        "departments": {"labels": [d["name"] for d in stats["by_department"]],
                        "values": [d["count"] for d in stats["by_department"]]},
        "types": {"labels": [str(ItemType(k).label) for k in stats["by_type"]], "values": list(stats["by_type"].values())},
        "levels": {"labels": [str(Level(k).label) for k in stats["by_level"]], "values": list(stats["by_level"].values())},
        "depth": {"labels": [str(OnlineDepth(k).label) for k in stats["by_online_depth"]],
                  "values": list(stats["by_online_depth"].values())},
    }  # fmt: skip
    return render(request, "catalogue/report.html", {
        "stats": stats, "charts": charts,
        "compression_pct": round(stats["average_compression"] * 100, 1),
    })  # fmt: skip
