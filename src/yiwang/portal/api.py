"""The portal's API (mounted at /api/portal): the announcements (通知公告), public as on the home page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yiwang.core.errors import NotFound
from yiwang.web.api import ERRORS, Id

from . import selectors

router = Router(tags=["portal"])


class AnnouncementOut(Schema):
    id: int
    title: str = Field(..., description="in the reader's language when an English title is given")
    text: str
    issued_by: str = Field(..., description="the issuing department (empty: the service bureau)")
    published_at: datetime
    expires_at: datetime | None
    pinned: bool


class AnnouncementsQuery(Schema):
    limit: int = Field(20, ge=1, le=100)


def _out(a: Any) -> dict[str, Any]:
    english = (get_language() or "").startswith("en")
    dept = a.department
    return {
        "id": a.pk,
        "title": (a.title_en or a.title) if english else a.title,
        "text": (a.body_en or a.body) if english else a.body,
        "issued_by": ((dept.name_en or dept.name) if english else dept.name) if dept is not None else "",
        "published_at": a.published_at,
        "expires_at": a.expires_at,
        "pinned": a.pinned,
    }


@router.get("/announcements", response={200: list[AnnouncementOut], **ERRORS}, auth=None)
def announcements(request: HttpRequest, q: Query[AnnouncementsQuery]) -> Any:
    """The current announcements (通知公告), pinned first, then the newest."""
    return [_out(a) for a in selectors.announcements_current(q.limit)]


@router.get("/announcements/{announcement_id}", response={200: AnnouncementOut, **ERRORS}, auth=None)
def announcement(request: HttpRequest, announcement_id: Id) -> Any:
    found = selectors.announcement_get(announcement_id)
    if found is None:
        raise NotFound(_("No such announcement."))
    return _out(found)
