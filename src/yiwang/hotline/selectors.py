"""Reads of the hotline: the tree and the catalogue, one ticket, the boards, duplicates, the figures."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import Community, Hall, Office, Street
from yiwang.cases.access import cases_acting_q, cases_visible_q
from yiwang.cases.models import Case, CaseParty
from yiwang.cases.selectors import cases_due_soon_q, cases_overdue_q
from yiwang.core import ratelimit
from yiwang.core.errors import RateLimited, ServiceError

from . import workflow as wf
from .models import Category, DispatchRule, Open311Key, Ticket, TicketPart
from .vocabulary import config

if TYPE_CHECKING:
    from collections.abc import Sequence

    from yiwang.accounts.access import Visitor

FOLLOW_MAX_MISSES = 10  # wrong 4-digit guesses per guesser, and at one ticket number, per hour
FOLLOW_MISSES_UNDER_ATTACK = 3  # per guesser at a ticket number that has had FOLLOW_MAX_MISSES


class TooManyAttempts(ServiceError):
    status = 429
    default_code = "rate_limited"


# --- configuration --------------------------------------------------------------------------------


def centre_office() -> Office:
    """The 12345 centre's own office: every ticket starts there and goes back there when returned."""
    office = Office.objects.filter(code=config("centre_office")).first()
    if office is None:
        raise ServiceError(_("The hotline centre's office is not configured."), code="no_centre")
    return office


def category_by_code(code: str) -> Category | None:
    return Category.objects.filter(code=(code or "").strip(), active=True).first()


def categories() -> list[Category]:
    """Active categories in tree order (parents before their children), each with ``depth``."""
    rows = list(Category.objects.filter(active=True).order_by("order", "code"))
    children: dict[int | None, list[Category]] = {}
    for c in rows:
        children.setdefault(c.parent_id, []).append(c)
    out: list[Category] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in children.get(parent, []):
            c.depth = depth  # type: ignore[attr-defined]
            out.append(c)
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


def category_ancestors(category: Category) -> list[Category]:
    chain, seen = [category], {category.pk}
    while chain[-1].parent_id and chain[-1].parent_id not in seen:
        parent = Category.objects.filter(pk=chain[-1].parent_id).first()
        if parent is None:
            break
        seen.add(parent.pk)
        chain.append(parent)
    return chain


def category_in_business_line(category: Category) -> bool:
    return any(c.business_line for c in category_ancestors(category))


def suggest_office(category: Category, street: Street | None) -> Office | None:
    """The dispatch catalogue's office: the category (or its nearest ancestor) in the street, then in the
    whole district, then the street's default, then the district's default."""
    chain = category_ancestors(category)
    rules = list(
        DispatchRule.objects.filter(Q(category__in=chain) | Q(category__isnull=True)).select_related("office")
    )
    by_key = {(r.category_id, r.street_id): r.office for r in rules}
    street_id = street.pk if street is not None else None
    for c in [*chain, None]:
        cid = c.pk if c is not None else None
        for sid in ([street_id] if street_id is not None else []) + [None]:
            if (cid, sid) in by_key:
                return by_key[(cid, sid)]
    return None


def offices() -> QuerySet[Office]:
    return Office.objects.select_related("department", "street").order_by("code")


def streets() -> QuerySet[Street]:
    return Street.objects.order_by("code")


def communities() -> QuerySet[Community]:
    return Community.objects.select_related("street").order_by("code")


def district_box() -> tuple[float, float, float, float]:
    """The district's bounding box from its streets' centres, with a margin (lat0, lat1, lng0, lng1)."""
    box = Street.objects.aggregate(a=Min("lat"), b=Max("lat"), c=Min("lng"), d=Max("lng"))
    if box["a"] is None:
        return (-90.0, 90.0, -180.0, 180.0)
    m = 0.06
    return (box["a"] - m, box["b"] + m, box["c"] - m, box["d"] + m)


def inside_district(lat: float, lng: float) -> bool:
    a, b, c, d = district_box()
    return a <= lat <= b and c <= lng <= d


def metres(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def nearest_street(lat: float, lng: float) -> Street | None:
    rows = list(Street.objects.all())
    return min(rows, key=lambda s: metres(lat, lng, s.lat, s.lng)) if rows else None


def open311_key(raw: str) -> Open311Key | None:
    if not raw:
        return None
    return Open311Key.objects.filter(digest=hashlib.sha256(raw.encode()).hexdigest(), active=True).first()


# --- one ticket ---------------------------------------------------------------------------------

_TICKET_RELATED = (
    "ticket",
    "ticket__category",
    "ticket__street",
    "ticket__community",
    "ticket__suggested_office",
    "owning_office",
    "clock",
    "parent",
)


def ticket_case(case_id: int) -> Case | None:
    return Case.objects.select_related(*_TICKET_RELATED).filter(pk=case_id, kind=wf.KIND).first()


def ticket_by_number(number: str) -> Case | None:
    return (
        Case.objects.select_related(*_TICKET_RELATED)
        .filter(number=(number or "").strip(), kind=wf.KIND)
        .first()
    )


def ticket_by_token(token: str) -> Case | None:
    if not token:
        return None
    return Case.objects.select_related(*_TICKET_RELATED).filter(kind=wf.KIND, ticket__token=token).first()


def ticket_follow(number: str, last4: str, *, guessers: Sequence[str]) -> Case | None:
    """Public follow-up: the ticket number and the last 4 digits of the caller's telephone. Guesses are limited
    by who guesses as well as by the ticket (``ratelimit.guess``, as an application's progress lookup), so a
    caller with the right digits is never locked out by other people's guesses."""
    last4 = (last4 or "").strip()
    if not re.fullmatch(r"\d{4}", last4):
        return None
    case = ticket_by_number(number)
    if case is None:
        return None
    stored = case.ticket.phone_last4
    try:
        right = ratelimit.guess(
            scope="hotline:follow",
            target=str(case.pk),
            guessers=guessers,
            check=lambda: bool(stored) and hmac.compare_digest(stored, last4),
            per_guesser=FOLLOW_MAX_MISSES,
            per_target=FOLLOW_MAX_MISSES,
            under_attack=FOLLOW_MISSES_UNDER_ATTACK,
        )
    except RateLimited as exc:
        raise TooManyAttempts(exc.message) from exc
    return case if right else None


def merged_children(case: Case) -> QuerySet[Case]:
    return (
        Case.objects.filter(parent=case, kind=wf.KIND, status="merged")
        .select_related("ticket")
        .order_by("id")
    )


def ticket_parts(case: Case) -> QuerySet[TicketPart]:
    return TicketPart.objects.filter(case=case).select_related("office").order_by("at", "id")


def ticket_callers(case: Case) -> QuerySet[CaseParty]:
    return CaseParty.objects.filter(case=case, role="caller", until__isnull=True).select_related("person")


def main_reply(case: Case) -> Ticket:
    """The ticket whose handling and reply answer this one (the main ticket for a merged duplicate)."""
    if case.status == "merged" and case.parent_id:
        parent = Ticket.objects.filter(case_id=case.parent_id).first()
        if parent is not None:
            return parent
    return case.ticket


def open311_requests(
    *,
    numbers: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    codes: list[str] | None = None,
    statuses: list[str] | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[Case]:
    """Service requests for Open311 (public, no personal data): by number, or by time received, service code
    and open/closed, oldest first, one page. Merged duplicates are not listed."""
    qs = Case.objects.filter(kind=wf.KIND).exclude(status="merged").select_related(*_TICKET_RELATED)
    if numbers:
        qs = qs.filter(number__in=numbers)
    else:
        if start is not None:
            qs = qs.filter(received_at__gte=start)
        if end is not None:
            qs = qs.filter(received_at__lte=end)
        if codes:
            qs = qs.filter(ticket__category__code__in=codes)
        if statuses and len(set(statuses)) == 1:
            qs = qs.filter(is_open=statuses[0] == "open")
    return list(qs.order_by("received_at", "id")[offset : offset + limit])


# --- lists ----------------------------------------------------------------------------------------


def _tickets(user: Visitor) -> QuerySet[Case]:
    return (
        Case.objects.filter(cases_visible_q(user, kind=wf.KIND, staff_only=True))
        .select_related("ticket", "ticket__category", "ticket__street", "ticket__community", "owning_office")
        .order_by("due_at", "id")
    )


def _soon() -> timedelta:
    return timedelta(days=int(config("due_soon_days")))


@dataclass
class Board:
    unassigned: list[Case]
    returned: list[Case]
    due_soon: list[Case]
    overdue: list[Case]


def dispatcher_board(user: Visitor, *, limit: int = 50, now: datetime | None = None) -> Board:
    now = now or timezone.now()
    qs = _tickets(user).filter(is_open=True)
    return Board(
        unassigned=list(qs.filter(status="received")[:limit]),
        returned=list(qs.filter(status="returned")[:limit]),
        due_soon=list(qs.filter(cases_due_soon_q(within=_soon(), now=now))[:limit]),
        overdue=list(qs.filter(cases_overdue_q(now=now))[:limit]),
    )


def office_inbox(user: Visitor, *, limit: int = 200) -> list[Case]:
    """The office's open tickets (lead or co-handling), by time left."""
    return list(_tickets(user).filter(is_open=True)[:limit])


def callbacks_due(user: Visitor, *, limit: int = 100) -> list[Case]:
    return list(_tickets(user).filter(status="replied")[:limit])


def escalations(user: Visitor, *, now: datetime | None = None, limit: int = 100) -> dict[str, list[Case]]:
    """督办: the supervisor's tickets that are overdue or due soon, unsatisfied callers and pending extensions."""
    now = now or timezone.now()
    mine = (
        Case.objects.filter(cases_acting_q(user, wf.KIND, wf.SUPERVISOR), is_open=True)
        .select_related("ticket", "ticket__category", "owning_office")
        .order_by("due_at", "id")
    )
    return {
        "overdue": list(mine.filter(cases_overdue_q(now=now))[:limit]),
        "due_soon": list(mine.filter(cases_due_soon_q(within=_soon(), now=now))[:limit]),
        "unsatisfied": list(mine.filter(status="unsatisfied")[:limit]),
        "extensions": list(mine.filter(extension_requests__state="pending").distinct()[:limit]),
    }


def ticket_search(user: Visitor, *, q: str = "", status: str = "", limit: int = 100) -> list[Case]:
    qs = _tickets(user).order_by("-received_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(number=q.strip()) | Q(title__contains=q.strip()))
    return list(qs[:limit])


# --- duplicates -----------------------------------------------------------------------------------


def duplicate_candidates(
    *,
    phone_key: str = "",
    category: Category | None = None,
    community: Community | None = None,
    lat: float | None = None,
    lng: float | None = None,
    now: datetime | None = None,
    exclude: int | None = None,
    limit: int = 10,
) -> list[Case]:
    """Likely duplicates among open tickets received within the window: the same caller's telephone, or the
    same category in the same community or within the configured distance. Each test is its own indexed
    lookup on the tickets (telephone digest; category and community; category and a box of coordinates), so
    the cost follows the matches, not the size of the archive."""
    now = now or timezone.now()
    since = now - timedelta(days=int(config("duplicate_days")))
    top = float(config("duplicate_metres"))
    tests: list[Q] = []
    if phone_key:
        tests.append(Q(phone_key=phone_key))
    if category is not None and community is not None:
        tests.append(Q(category=category, community=community))
    if category is not None and lat is not None and lng is not None:
        d = top / 111_000
        dl = d / max(math.cos(math.radians(lat)), 0.01)
        tests.append(
            Q(category=category, lat__gte=lat - d, lat__lte=lat + d, lng__gte=lng - dl, lng__lte=lng + dl)
        )
    ids: set[int] = set()
    for test in tests:
        ids |= set(
            Ticket.objects.filter(
                test, case__is_open=True, case__received_at__gte=since, case__parent__isnull=True
            ).values_list("case_id", flat=True)[:200]
        )
    ids.discard(exclude or 0)
    rows = list(
        Case.objects.filter(pk__in=sorted(ids), kind=wf.KIND)
        .select_related("ticket", "ticket__category", "ticket__community")
        .order_by("-received_at", "-id")
    )
    if lat is not None and lng is not None and category is not None:
        rows = [
            c
            for c in rows
            if (phone_key and c.ticket.phone_key == phone_key)
            or (community is not None and c.ticket.community_id == community.pk)
            or (
                c.ticket.lat is not None
                and c.ticket.lng is not None
                and metres(lat, lng, c.ticket.lat, c.ticket.lng) <= top
            )
        ]
    return rows[:limit]


# --- figures --------------------------------------------------------------------------------------


def _period(start: date, end: date) -> Q:
    tz = timezone.get_current_timezone()
    a = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    b = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return Q(received_at__gte=a, received_at__lt=b)


def _counted(start: date, end: date, business: bool | None = None) -> QuerySet[Case]:
    """Tickets received in the period, each caller counted once (merged duplicates are not counted)."""
    qs = Case.objects.filter(_period(start, end), kind=wf.KIND).exclude(status="merged")
    if business is not None:
        qs = qs.filter(ticket__business_line=business)
    return qs


def _finished(until: datetime) -> Q:
    """Finished (办结) by ``until``: the office had replied. Merged duplicates share their main ticket's."""
    return Q(ticket__replied_at__lt=until)


def _overdue(until: datetime) -> Q:
    """Overdue as of ``until``: replied late, or not replied and past the handling clock's due moment."""
    return Q(timeliness="late") | Q(ticket__replied_at__isnull=True, is_open=True, due_at__lt=until)


TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
GRAIN = (
    "ticket__type",
    "ticket__category_id",
    "owning_office__code",
    "owning_office__name",
    "ticket__street__code",
    "ticket__street__name",
    "ticket__business_line",
)


def _line(rows: list[dict[str, Any]]) -> dict[str, Any]:
    received = sum(r["received"] for r in rows)
    finished = sum(r["finished"] for r in rows)
    overdue = sum(r["overdue"] for r in rows)
    seconds = sum(r["seconds"] for r in rows)
    return {
        "received": received,
        "finished": finished,
        "completion_rate": round(100 * finished / received, 1) if received else 0.0,
        "overdue": overdue,
        "overdue_rate": round(100 * overdue / received, 2) if received else 0.0,
        "avg_hours": round(seconds / finished / 3600, 1) if finished else None,
    }


def _group(rows: list[dict[str, Any]], key: Any, label: Any) -> list[dict[str, Any]]:
    groups: dict[Any, dict[str, Any]] = {}
    for r in rows:
        k = key(r)
        g = groups.setdefault(
            k, {"key": k, "label": label(r) or "—", "received": 0, "finished": 0, "overdue": 0}
        )
        for f in ("received", "finished", "overdue"):
            g[f] += r[f]
    out = sorted(groups.values(), key=lambda g: (-g["received"], str(g["key"])))
    for g in out:
        g["completion_rate"] = round(100 * g["finished"] / g["received"], 1) if g["received"] else 0.0
    return out


def _seconds(value: Any) -> float:
    if value is None:
        return 0.0
    return value.total_seconds() if isinstance(value, timedelta) else float(value) / 1_000_000


def figures(*, start: date, end: date, per: str = "month", now: datetime | None = None) -> dict[str, Any]:
    """Received, finished, completion rate, overdue count and rate, average handling time; by type,
    category (top level), office and street; per day, week or month; the business-environment line apart.
    Finished and overdue are as of the end of the period (or now, if earlier): a year's report counts what
    was finished within that year. Two grouped queries (the breakdowns at their finest grain, and the
    series), summed up here."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    until = min(now, datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz))
    qs = _counted(start, end)
    handling = ExpressionWrapper(F("ticket__replied_at") - F("received_at"), output_field=DurationField())
    rows = [
        {**r, "seconds": _seconds(r["duration"])}
        for r in qs.values(*GRAIN)
        .annotate(
            received=Count("pk"),
            finished=Count("pk", filter=_finished(until)),
            overdue=Count("pk", filter=_overdue(until)),
            duration=Sum(handling, filter=_finished(until)),
        )
        .order_by()
    ]
    series = (
        qs.annotate(p=TRUNC[per]("received_at"))
        .values("p")
        .annotate(received=Count("pk"), finished=Count("pk", filter=_finished(until)))
        .order_by("p")
    )
    roots = _category_roots()
    return {
        "start": start,
        "end": end,
        "per": per,
        "total": _line(rows),
        "business_line": _line([r for r in rows if r["ticket__business_line"]]),
        "by_type": _group(rows, lambda r: r["ticket__type"], lambda r: r["ticket__type"]),
        "by_category": _group(
            rows,
            lambda r: roots[r["ticket__category_id"]].code,
            lambda r: roots[r["ticket__category_id"]].label(),
        ),
        "by_office": _group(rows, lambda r: r["owning_office__code"], lambda r: r["owning_office__name"]),
        "by_street": _group(rows, lambda r: r["ticket__street__code"], lambda r: r["ticket__street__name"]),
        "series": [
            {
                "period": (r["p"].date() if isinstance(r["p"], datetime) else r["p"]).isoformat(),
                "received": r["received"],
                "finished": r["finished"],
            }
            for r in series
        ],
    }


def _category_roots() -> dict[int, Category]:
    """Each category's top-level ancestor (a ticket filed under a child counts for its root)."""
    cats = {c.pk: c for c in Category.objects.all()}

    def root(pk: int) -> Category:
        c, seen = cats[pk], set()
        while c.parent_id and c.parent_id in cats and c.pk not in seen:
            seen.add(c.pk)
            c = cats[c.parent_id]
        return c

    return {pk: root(pk) for pk in cats}


def community_counts(*, start: date, end: date) -> list[dict[str, Any]]:
    """Tickets per community in the period (the map)."""
    rows = (
        _counted(start, end)
        .filter(ticket__community__isnull=False)
        .values("ticket__community__code", "ticket__community__name", "ticket__street__code")
        .annotate(n=Count("pk"))
        .order_by("ticket__community__code")
    )
    return [
        {
            "code": r["ticket__community__code"],
            "name": r["ticket__community__name"],
            "street": r["ticket__street__code"],
            "n": r["n"],
        }
        for r in rows
    ]


def community_map(*, start: date, end: date, width: int = 560, height: int = 420) -> dict[str, Any]:
    """Tickets per community as points of a self-drawn SVG (no tiles): each community at its community hall
    (or its street's centre), a circle whose area grows with its tickets; the streets as labels."""
    counts = {r["code"]: r["n"] for r in community_counts(start=start, end=end)}
    halls = {
        h.community_id: (h.lat, h.lng)
        for h in Hall.objects.filter(kind=Hall.Kind.COMMUNITY, community__isnull=False).only(
            "community", "lat", "lng"
        )
    }
    places = []
    for c in Community.objects.select_related("street").order_by("code"):
        lat, lng = halls.get(c.pk, (c.street.lat, c.street.lng))
        places.append((c, lat, lng, counts.get(c.code, 0)))
    streets = list(Street.objects.order_by("code"))
    lats = [p[1] for p in places] + [s.lat for s in streets]
    lngs = [p[2] for p in places] + [s.lng for s in streets]
    if not lats:
        return {"width": width, "height": height, "points": [], "streets": [], "max": 0}
    pad = 24
    lat0, lat1, lng0, lng1 = min(lats), max(lats), min(lngs), max(lngs)
    sx = (width - 2 * pad) / max(lng1 - lng0, 1e-6)
    sy = (height - 2 * pad) / max(lat1 - lat0, 1e-6)
    scale = min(sx, sy)

    def xy(lat: float, lng: float) -> tuple[int, int]:
        return round(pad + (lng - lng0) * scale), round(height - pad - (lat - lat0) * scale)

    top = max((p[3] for p in places), default=0)
    points = []
    for c, lat, lng, n in places:
        x, y = xy(lat, lng)
        r = 2 + (14 * math.sqrt(n / top) if top else 0)
        points.append(
            {
                "code": c.code,
                "name": c.name,
                "street": c.street.name,
                "n": n,
                "x": x,
                "y": y,
                "r": round(r, 1),
            }
        )
    labels = [{"name": s.name, "x": xy(s.lat, s.lng)[0], "y": xy(s.lat, s.lng)[1]} for s in streets]
    return {"width": width, "height": height, "points": points, "streets": labels, "max": top}
