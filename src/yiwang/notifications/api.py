"""The notifications API (mounted at /api/notifications): the signed-in user's platform inbox.

Applicants and staff read their own messages and send read receipts; a message of somebody else
does not exist for them (404). Subjects and bodies are masked like every other response."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from yiwang.accounts.access import ensure
from yiwang.web.api import AUTH, ERRORS, MAX_OFFSET, WRITE_ERRORS, Id

from . import selectors, services
from .access import access_inbox
from .models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    link: str = Field(description="a path on this site (e.g. the case's progress page), or empty")
    created_at: datetime
    read_at: datetime | None
    unread: bool


class NotificationPage(Schema):
    count: int = Field(description="messages in the inbox (with ``unread=true``: unread ones)")
    unread: int = Field(description="unread messages in the inbox")
    limit: int
    offset: int
    items: list[NotificationOut]


class UnreadOut(Schema):
    unread: int


class ReadAllIn(BaseModel):
    """A plain pydantic model, not a ninja ``Schema``: a ``Schema`` reads its fields as attributes of
    any object, so with every field optional it would take a list or a number for an empty object."""

    up_to: Id | None = Field(
        None,
        description="mark only messages up to this id (the newest one the reader was shown); "
        "without it, every unread message",
    )

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise PydanticCustomError("dict_type", "The request body must be a JSON object.")
        return value


class ReadAllOut(Schema):
    marked: int = Field(description="messages marked read by this request")
    unread: int = Field(description="unread messages left")


def _out(n: Notification) -> dict[str, Any]:
    e = selectors.inbox_entry(n)
    return {
        "id": e.id,
        "subject": e.subject,
        "body": e.body,
        "link": e.link,
        "created_at": e.created_at,
        "read_at": e.read_at,
        "unread": e.unread,
    }


def _check(request: HttpRequest, action: str) -> None:
    ensure(access_inbox(request.user), user=request.user, action=action)


@router.get(
    "/",
    response={200: NotificationPage, **ERRORS},
    auth=AUTH,
    summary="List my messages",
    description="The signed-in user's platform-inbox messages, newest first, a page at a time "
    "(``limit``, ``offset``); ``unread=true`` lists only unread ones. Applicants and staff.",
)
def list_notifications(
    request: HttpRequest,
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    unread: bool = False,
) -> Any:
    _check(request, "notification.list")
    qs = selectors.unread_for(request.user) if unread else selectors.inbox_for(request.user)
    return {
        "count": qs.count(),
        "unread": selectors.unread_count(request.user),
        "limit": limit,
        "offset": offset,
        "items": [_out(n) for n in qs[offset : offset + limit]],
    }


@router.get(
    "/unread-count",
    response={200: UnreadOut, **ERRORS},
    auth=AUTH,
    summary="Count my unread messages",
    description="How many messages of the signed-in user's platform inbox are unread (the badge).",
)
def unread_count(request: HttpRequest) -> Any:
    _check(request, "notification.unread_count")
    return {"unread": selectors.unread_count(request.user)}


@router.post(
    "/{notification_id}/read",
    response={200: NotificationOut, **WRITE_ERRORS},
    auth=AUTH,
    summary="Mark one message read",
    description="Send the read receipt of one message of the signed-in user's inbox (audited). "
    "Marking a message that is already read changes nothing. A message of somebody else answers 404.",
)
def mark_read(request: HttpRequest, notification_id: Id) -> Any:
    _check(request, "notification.read")
    return _out(services.notification_mark_read(actor=request.user, notification_id=notification_id))


@router.post(
    "/read-all",
    response={200: ReadAllOut, **WRITE_ERRORS},
    auth=AUTH,
    summary="Mark all my messages read",
    description="Mark every unread message of the signed-in user's inbox read (body ``{}``), or only "
    "those up to ``up_to`` (one audit event for the batch, none when nothing was unread).",
)
def mark_all_read(request: HttpRequest, payload: ReadAllIn) -> Any:
    _check(request, "notification.read_all")
    marked = services.notification_mark_all_read(actor=request.user, up_to=payload.up_to)
    return {"marked": marked, "unread": selectors.unread_count(request.user)}
