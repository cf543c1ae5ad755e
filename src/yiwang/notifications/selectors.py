"""Reads of the notification outbox, and the platform inbox as its recipient sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Max, QuerySet
from django.utils.http import url_has_allowed_host_and_scheme

from yiwang.accounts.access import authenticated
from yiwang.core.masking import mask_text

from .models import Notification

if TYPE_CHECKING:
    from datetime import datetime

    from yiwang.accounts.access import Visitor

PAGE_SIZE = 20
MAX_ID = 2**63 - 1  # BigAutoField: a larger number names no row (and overflows the database's integers)


def notifications_for(user: Visitor, limit: int = 50) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=authenticated(user)).order_by("-created_at", "-id")[:limit]


def inbox_for(user: Visitor) -> QuerySet[Notification]:
    """The user's platform-inbox messages, newest first (other channels are not shown in the inbox)."""
    me = authenticated(user)
    if me is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=me, channel=Notification.Channel.INBOX).order_by(
        "-created_at", "-id"
    )


def unread_for(user: Visitor) -> QuerySet[Notification]:
    return inbox_for(user).filter(read_at__isnull=True)


def unread_count(user: Visitor) -> int:
    return unread_for(user).count()


def inbox_newest_id(user: Visitor) -> int | None:
    """The id of the newest message in the inbox now: "mark all as read" marks only what was shown."""
    newest: int | None = inbox_for(user).aggregate(newest=Max("pk"))["newest"]
    return newest


def inbox_page(user: Visitor, number: int | None, per_page: int = PAGE_SIZE) -> Page[Notification]:
    """One page of the inbox (a number past the end gives the last page)."""
    return Paginator(inbox_for(user), per_page).get_page(number or 1)


def notification_get(notification_id: int) -> Notification | None:
    if not 1 <= notification_id <= MAX_ID:
        return None
    return Notification.objects.filter(pk=notification_id).first()


@dataclass(frozen=True)
class InboxEntry:
    """A message as its recipient sees it: identifiers masked, only a link into this site."""

    id: int
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


def local_link(link: str) -> str:
    """The link when it is a path on this site, else "" (a stored link is never followed off-site)."""
    link = (link or "").strip()
    if not link.startswith("/") or link.startswith(("//", "/\\")):
        return ""
    return link if url_has_allowed_host_and_scheme(link, allowed_hosts=None) else ""


def inbox_entry(n: Notification) -> InboxEntry:
    return InboxEntry(
        id=n.pk,
        subject=mask_text(n.subject),
        body=mask_text(n.body),
        link=local_link(n.link),
        created_at=n.created_at,
        read_at=n.read_at,
    )


def latest_about(obj: Any, channel: str) -> Notification | None:
    """The newest message of a channel queued about an object (the demo shows a recorded SMS code with it,
    docs/adr/0056)."""
    return (
        Notification.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), channel=channel)
        .order_by("-created_at", "-id")
        .first()
    )
