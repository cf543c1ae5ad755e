"""What the portal offers for an item — the joined-up journeys from a guide or a search result — and the
figures of the portal's home page. One place decides, so the guide page and every search result agree:

* **在线办理** (apply online, the built-in application): a published item whose online depth is at least II
  (forms and materials online); depth I puts only the information online;
* **预约办理** (book a visit): the halls that accept the item (the catalogue's rule, ``items_for_hall``, docs/adr
  /0021 and 0029) and take bookings for the queue it goes to; one hall → its booking page, several → the
  service map filtered to the item;
* **咨询 / 投诉** (ask or complain): the 12345 hotline's public intake page; the item's enquiry telephone too;
* the printable guide (PDF).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from yiwang.accounts import selectors as org
from yiwang.applications import selectors as applications
from yiwang.catalogue import selectors as catalogue
from yiwang.core.generations import Snapshots
from yiwang.halls import selectors as halls

from .models import Announcement

if TYPE_CHECKING:
    from collections.abc import Iterable

ONLINE_DEPTHS = frozenset({"2", "3", "4"})  # II–IV: the application itself is made online


@dataclass(frozen=True)
class ItemOffer:
    """The ways into an item's service, as links (empty when the item does not offer that way)."""

    code: str
    apply_url: str
    book_url: str
    book_halls: int
    enquire_url: str
    phone: str
    external_url: str
    pdf_url: str


def _build_booking(_key: Any) -> dict[str, tuple[str, ...]]:
    """Item code → the codes of the halls that accept the item and book its queue online."""
    out: dict[str, list[str]] = {}
    for hall in org.halls_list():
        if not halls.hall_config(hall).bookable:
            continue
        for it in halls.hall_items(hall, halls.hall_categories(hall, with_windows=False)):
            if it.category is not None and it.category.bookable:
                out.setdefault(it.code, []).append(hall.code)
    return {code: tuple(codes) for code, codes in out.items()}


# Rebuilt when a hall's configuration or the catalogue changes (or after five minutes).
_BOOKING: Snapshots[dict[str, tuple[str, ...]]] = Snapshots(("halls", "catalogue"), _build_booking, 300.0)


def booking_halls(code: str) -> tuple[str, ...]:
    """The halls (codes) where a visit for the item can be booked."""
    return (_BOOKING.get(None) or {}).get(code, ())


def item_offer(*, code: str, online_depth: str, online_url: str = "", phone: str = "") -> ItemOffer:
    """The offer of one published item, from its published facts (a search row or a guide's snapshot)."""
    hall_codes = booking_halls(code)
    if len(hall_codes) == 1:
        book_url = f"{reverse('halls:book', args=[hall_codes[0]])}?{urlencode({'item': code})}"
    elif hall_codes:
        book_url = f"{reverse('halls:map')}?{urlencode({'item': code})}"
    else:
        book_url = ""
    return ItemOffer(
        code=code,
        apply_url=reverse("applications:start", args=[code]) if online_depth in ONLINE_DEPTHS else "",
        book_url=book_url,
        book_halls=len(hall_codes),
        enquire_url=reverse("hotline:file"),
        phone=phone,
        external_url=online_url if online_url.startswith(("https://", "http://")) else "",
        pdf_url=reverse("catalogue:guide_pdf", args=[code]),
    )


def item_offers(items: Iterable[Any]) -> dict[str, ItemOffer]:
    """Offers of several items (catalogue ``Item`` rows), by code."""
    return {
        i.code: item_offer(code=i.code, online_depth=i.online_depth, online_url=i.online_url, phone=i.phone)
        for i in items
    }


def snapshot_offer(snapshot: dict[str, Any]) -> ItemOffer:
    """The offer of the item a published version's snapshot describes."""
    return item_offer(
        code=snapshot["code"],
        online_depth=str(snapshot.get("online_depth") or ""),
        online_url=str(snapshot.get("online_url") or ""),
        phone=str(snapshot.get("phone") or ""),
    )


# --- the home page -------------------------------------------------------------------------------

HOT_ITEMS = 8
HOT_SECONDS = 600  # hot items are recounted every ten minutes


def hot_items(limit: int = HOT_ITEMS) -> list[Any]:
    """The published items most applied for (application counts, through the applications' selectors),
    counted at most every ``HOT_SECONDS``; none before anyone has applied."""
    key = f"portal:hot:{limit}"
    codes = cache.get(key)
    if codes is None:
        codes = [code for code, _n in applications.application_counts_by_item(limit=limit)]
        cache.set(key, codes, HOT_SECONDS)
    rows = {i.code: i for i in catalogue.published_items().filter(code__in=codes)}
    return [rows[c] for c in codes if c in rows]


def theme_counts() -> dict[str, int]:
    """Published items per life event or business theme (the items' ``themes`` tags, edited in the admin)."""
    counts: dict[str, int] = {}
    for themes in catalogue.published_items().values_list("themes", flat=True):
        for code in {c for c in (themes or "").split(",") if c}:
            counts[code] = counts.get(code, 0) + 1
    return counts


# --- announcements (通知公告) ---------------------------------------------------------------------------


def _shown() -> QuerySet[Announcement]:
    now = timezone.now()
    return (
        Announcement.objects.filter(withdrawn=False, published_at__lte=now)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("department")
    )


def announcements_current(limit: int | None = None) -> QuerySet[Announcement]:
    """What the home page and the list show now: published, not withdrawn, not expired; pinned first, then
    the newest."""
    qs = _shown().order_by("-pinned", "-published_at", "-id")
    return qs[:limit] if limit else qs


def announcement_get(pk: int) -> Announcement | None:
    """One announcement as the public may read it (a withdrawn, expired or scheduled one is not found)."""
    return _shown().filter(pk=pk).first()
