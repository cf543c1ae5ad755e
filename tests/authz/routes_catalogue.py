from __future__ import annotations

from typing import Any

from .registry import ALL, STAFF, Route

CATALOGUE_ADMINS = frozenset({"sys_admin", "dept_admin"})
SYS = frozenset({"sys_admin"})


def _item(w: Any, which: str = "own") -> str:
    """A published item of the world's department (``own``) or of the other department."""
    key = f"catalogue_item_{which}"
    if key not in w.extra:
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from tests.catalogue.helpers import make_item

        if which == "own":
            item = make_item()
        else:
            item = make_item(
                code="D02001-00-01",
                main_code="D02001",
                department="D02",
                office="D0201",
                result_sample="catalogue/samples/D02001-00-01.pdf",
                steps=[
                    {"position": i, "name": n, "office": "D0201", "days": d, "description": ""}
                    for i, (n, d) in enumerate([("受理", 1), ("审查", 2), ("决定", 1), ("办结", 1)], 1)
                ],
            )
        if not default_storage.exists(item.result_sample.name):
            default_storage.save(item.result_sample.name, ContentFile(b"%PDF-1.4 sample"))
        w.extra[key] = item.code
    return str(w.extra[key])


def _hall(w: Any) -> str:
    return str(w.hall.code)


ROUTES = [
    Route("catalogue:index", allow=ALL, must_succeed=ALL, query={"q": "食品"}),
    Route("catalogue:guide", allow=ALL, must_succeed=ALL, kwargs=lambda w: {"code": _item(w)}),
    Route("catalogue:guide_pdf", allow=ALL, must_succeed=ALL, kwargs=lambda w: {"code": _item(w)}),
    Route("catalogue:history", allow=ALL, must_succeed=ALL, kwargs=lambda w: {"code": _item(w)}),
    Route(
        "catalogue:file",
        allow=ALL,
        must_succeed=ALL,
        kwargs=lambda w: {"code": _item(w), "name": "result-sample"},
    ),
    Route("catalogue:pick", allow=ALL, must_succeed=ALL, query={"q": "yyzz"}),
    Route("catalogue:report", allow=STAFF, must_succeed=STAFF),
    # Admin: spreadsheet exchange beside the item change list.
    Route("admin:catalogue_item_import", allow=CATALOGUE_ADMINS, must_succeed=CATALOGUE_ADMINS),
    Route("admin:catalogue_item_export", allow=CATALOGUE_ADMINS, must_succeed=CATALOGUE_ADMINS),
    # API: public reads.
    Route("API GET /api/catalogue/items", allow=ALL, must_succeed=ALL, query={"q": "jyxk"}),
    Route(
        "API GET /api/catalogue/items/{code}",
        allow=ALL,
        must_succeed=ALL,
        kwargs=lambda w: {"code": _item(w)},
    ),
    Route(
        "API GET /api/catalogue/items/{code}/versions",
        allow=ALL,
        must_succeed=ALL,
        kwargs=lambda w: {"code": _item(w)},
    ),
    Route("API GET /api/catalogue/statistics", allow=ALL, must_succeed=ALL),
    Route(
        "API GET /api/catalogue/halls/{hall_code}/items",
        allow=ALL,
        must_succeed=ALL,
        kwargs=lambda w: {"hall_code": _hall(w)},
    ),
    # Publishing: the department's own administrator, or the system administrator.
    Route(
        "API POST /api/catalogue/items/{code}/publish",
        allow=CATALOGUE_ADMINS,
        must_succeed=CATALOGUE_ADMINS,
        variant="own department",
        kwargs=lambda w: {"code": _item(w)},
        data=lambda w: {"note": "x"},
    ),
    Route(
        "API POST /api/catalogue/items/{code}/publish",
        allow=SYS,
        must_succeed=SYS,
        variant="other department",
        kwargs=lambda w: {"code": _item(w, "other")},
        data=lambda w: {"note": "x"},
    ),
]
