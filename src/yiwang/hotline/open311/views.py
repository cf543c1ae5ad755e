"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/: the hotline's categories are
its services, its tickets its service requests. Every resource answers in JSON or XML by its suffix; times
are W3C/ISO-8601 with the zone; errors have the specification's own format ``[{"code", "description"}]``
(``<errors><error>…``) with 400, 403 or 404. Creating a request needs an ``api_key`` issued to the system by
an administrator; reading is public and carries no personal data (callers are never shown).

The views only parse and render: tickets are created by ``services.ticket_receive`` and read through the
selectors (docs/architecture.md, layering rules 1–3).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from yiwang.cases.models import Case
from yiwang.core.errors import ServiceError
from yiwang.core.masking import mask_text

from .. import selectors
from .. import services as s
from .. import workflow as wf
from ..vocabulary import TICKET_TYPES, URGENCIES

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..models import Category

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
MAX_PAGE_SIZE = 1000
MAX_SPAN = timedelta(days=90)


class Open311Error(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


# --- rendering ------------------------------------------------------------------------------------

# The element name of a list's items, by the list's name (XML only).
ITEM = {"services": "service", "attributes": "attribute", "values": "value", "service_requests": "request"}


def _xml(parent: ET.Element, name: str, value: Any) -> None:
    node = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for k, v in value.items():
            _xml(node, k, v)
    elif isinstance(value, list):
        for v in value:
            _xml(node, ITEM.get(name, "item"), v)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)


def render(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        top = ET.Element(root)
        items = data if isinstance(data, list) else [data]
        if isinstance(data, list):
            for item in items:
                _xml(top, ITEM.get(root, "error" if root == "errors" else "item"), item)
        else:
            for k, v in data.items():
                _xml(top, k, v)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
        return HttpResponse(body, status=status, content_type=FORMATS["xml"])
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status, content_type=FORMATS["json"])


def error(fmt: str, code: int, description: str) -> HttpResponse:
    return render(
        fmt if fmt in FORMATS else "json", "errors", [{"code": code, "description": description}], code
    )


def _w3c(dt: datetime | None) -> str | None:
    return timezone.localtime(dt).isoformat(timespec="seconds") if dt is not None else None


def _fmt(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(400, _("Unsupported format “%(fmt)s”: use .json or .xml.") % {"fmt": fmt[:10]})
    return fmt


def endpoint(view: Any) -> Any:
    """Turn the endpoint's refusals into the specification's error format (never a 500 for bad input)."""

    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, fmt=_fmt(fmt), **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.code, exc.description)
        except ServiceError as exc:
            return error(fmt, 400, exc.as_dict()["message"])

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- services -----------------------------------------------------------------------------------


def _service(c: Category) -> dict[str, Any]:
    return {
        "service_code": c.code,
        "service_name": c.label(),
        "description": c.description or c.label(),
        "metadata": True,
        "type": "realtime",
        "keywords": "营商环境,business" if c.business_line else "",
        "group": c.parent.label() if c.parent_id and c.parent else c.label(),
    }


@require_GET
@endpoint
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET services.{json,xml}: the classification tree's categories."""
    return render(fmt, "services", [_service(c) for c in selectors.categories()])


def _values(table: Mapping[str, Any]) -> list[dict[str, str]]:
    return [{"key": k, "name": str(v)} for k, v in table.items()]


@require_GET
@endpoint
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """GET services/{service_code}.{json,xml}: the attributes a request of this service takes."""
    category = selectors.category_by_code(code)
    if category is None:
        raise Open311Error(404, _("No service with this code."))
    attributes = [
        {
            "variable": True,
            "code": "type",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": "",
            "order": 1,
            "description": str(_("Type of request")),
            "values": _values(TICKET_TYPES),
        },
        {
            "variable": True,
            "code": "urgency",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "",
            "order": 2,
            "description": str(_("Urgency")),
            "values": _values(URGENCIES),
        },
        {
            "variable": True,
            "code": "community",
            "datatype": "string",
            "required": False,
            "datatype_description": str(_("The community's division code")),
            "order": 3,
            "description": str(_("Community")),
        },
    ]
    return render(fmt, "service_definition", {"service_code": category.code, "attributes": attributes})


# --- requests -------------------------------------------------------------------------------------


def _request_row(case: Case) -> dict[str, Any]:
    t = case.ticket
    return {
        "service_request_id": case.number,
        "status": "open" if case.is_open else "closed",
        "status_notes": wf.status_label(case.status),
        "service_name": t.category.label(),
        "service_code": t.category.code,
        "description": mask_text(t.description),
        "agency_responsible": case.owning_office.name,
        "service_notice": "",
        "requested_datetime": _w3c(case.received_at),
        "updated_datetime": _w3c(case.updated_at),
        "expected_datetime": _w3c(case.due_at) if case.is_open else None,
        "address": t.address,
        "address_id": "",
        "zipcode": "",
        "lat": t.lat,
        "long": t.lng,
        "media_url": "",
    }


def _when(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        value = None
    if value is None:
        raise Open311Error(
            400, _("%(name)s is not a W3C date and time, e.g. 2019-01-01T00:00:00+08:00.") % {"name": name}
        )
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _int(request: HttpRequest, name: str, default: int, top: int) -> int:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= top:
        raise Open311Error(
            400, _("%(name)s must be a whole number from 1 to %(top)d.") % {"name": name, "top": top}
        )
    return int(raw)


def _list(request: HttpRequest, name: str) -> list[str]:
    return [v.strip() for v in request.GET.get(name, "").split(",") if v.strip()][:100]


def _search(request: HttpRequest) -> list[Case]:
    ids = _list(request, "service_request_id")
    page = _int(request, "page", 1, 100_000)
    size = _int(request, "page_size", 50, MAX_PAGE_SIZE)
    if ids:
        return selectors.open311_requests(numbers=ids, offset=0, limit=len(ids))
    start, end = _when(request, "start_date"), _when(request, "end_date")
    end = end or (start + MAX_SPAN if start else timezone.now())
    start = start or end - MAX_SPAN
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end - start > MAX_SPAN:
        raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    statuses = _list(request, "status")
    if any(v not in {"open", "closed"} for v in statuses):
        raise Open311Error(400, _("status must be open or closed."))
    return selectors.open311_requests(
        start=start,
        end=end,
        codes=_list(request, "service_code"),
        statuses=statuses,
        offset=(page - 1) * size,
        limit=size,
    )


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    p = request.POST
    key = selectors.open311_key(p.get("api_key", ""))
    if key is None:
        raise Open311Error(403, _("api_key is missing or not valid."))
    code = p.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    if selectors.category_by_code(code) is None:
        raise Open311Error(400, _("No service with this code."))
    lat, lng = p.get("lat", "").strip(), p.get("long", "").strip()
    address = (p.get("address_string", "") or p.get("address_id", "")).strip()
    if not (lat and lng) and not address:
        raise Open311Error(400, _("Give the location: lat and long, or address_string."))
    try:
        coords = (float(lat), float(lng)) if lat and lng else (None, None)
    except ValueError:
        raise Open311Error(400, _("lat and long must be numbers.")) from None
    ticket_type = p.get("attribute[type]", "").strip()
    if ticket_type not in TICKET_TYPES:
        raise Open311Error(
            400, _("attribute[type] is required: one of %(types)s.") % {"types": ", ".join(TICKET_TYPES)}
        )
    for name, top in (("description", 2000), ("address_string", 200), ("first_name", 30), ("last_name", 30)):
        if len(p.get(name, "")) > top:
            raise Open311Error(400, _("%(name)s: at most %(n)d characters.") % {"name": name, "n": top})
    name = f"{p.get('last_name', '')}{p.get('first_name', '')}".strip()
    data = s.TicketInput(
        type=ticket_type,
        category=code,
        description=p.get("description", "").strip() or selectors.category_by_code(code).label(),  # type: ignore[union-attr]
        caller_name=name,
        caller_phone=p.get("phone", "").strip(),
        anonymous=not (name or p.get("phone", "").strip()),
        urgency=p.get("attribute[urgency]", "normal").strip() or "normal",
        address=address[:200],
        community=p.get("attribute[community]", "").strip(),
        lat=coords[0],
        lng=coords[1],
    )
    case = s.ticket_receive(actor=None, data=data, channel=Case.Channel.API, source=f"open311:{key.name}")
    body = [
        {
            "service_request_id": case.number,
            "token": case.ticket.token,
            "service_notice": str(_("Received by the 12345 hotline.")),
            "account_id": None,
        }
    ]
    return render(fmt, "service_requests", body, status=201)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@endpoint
def requests_(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET requests.{json,xml} (start_date, end_date, status, service_code, service_request_id, page,
    page_size); POST requests.{json,xml} (form-encoded, with api_key) creates one."""
    if request.method == "POST":
        return _create(request, fmt)
    return render(fmt, "service_requests", [_request_row(c) for c in _search(request)])


@require_GET
@endpoint
def request_one(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    """GET requests/{service_request_id}.{json,xml}."""
    found = selectors.open311_requests(numbers=[request_id], offset=0, limit=1)
    if not found:
        raise Open311Error(404, _("No service request with this id."))
    return render(fmt, "service_requests", [_request_row(found[0])])


@require_GET
@endpoint
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """GET tokens/{token}.{json,xml}: the service request id a token stands for."""
    case = selectors.ticket_by_token(token)
    if case is None:
        raise Open311Error(404, _("No service request with this token."))
    return render(fmt, "service_requests", [{"service_request_id": case.number, "token": token}])
