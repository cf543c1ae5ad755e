"""Queue notifications inside the caller's transaction; deliver them after commit through a task
(``delivery.notification_deliver``);
mark messages of the platform inbox read (read receipts are audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.access import authenticated, ensure
from yiwang.audit.services import audit_denied, audit_record
from yiwang.core.errors import NotFound

from .access import access_inbox, access_notification
from .models import Notification
from .selectors import notification_get
from .tasks import deliver_notification

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor


def notification_queue(
    *,
    subject: str,
    body: str,
    recipient: Any = None,
    address: str = "",
    channel: str = Notification.Channel.INBOX,
    link: str = "",
    obj: models.Model | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Put one message in the outbox. With a ``dedupe_key`` a second call is a no-op (returns None)."""
    if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            n = Notification.objects.create(
                recipient=recipient,
                address=address,
                channel=channel,
                subject=subject[:200],
                body=body,
                link=link[:300],
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return None  # a concurrent sweep queued the same message first
    transaction.on_commit(lambda: deliver_notification.enqueue(n.pk))
    return n


def notification_mark_read(*, actor: Visitor, notification_id: int) -> Notification:
    """Mark one message of the actor's inbox read (a read receipt: one audit event, same transaction).

    Only the recipient may: for anybody else the message does not exist (NotFound; a ``denied``
    audit event is written when it does exist). Marking a message that is already read changes
    nothing and writes nothing."""
    n = notification_get(notification_id)
    if n is None or not access_notification(actor, n):
        if n is not None:
            audit_denied(actor=actor, action="notification.read", obj=n)
        raise NotFound(_("Not found."))
    with transaction.atomic():
        now = timezone.now()
        # A conditional update is the compare-and-set: of two concurrent requests only one changes
        # the row, and only that one writes the audit event.
        changed = Notification.objects.filter(pk=n.pk, read_at__isnull=True).update(read_at=now)
        if changed:
            audit_record(actor=actor, action="notification.read", obj=n)
        n.refresh_from_db(fields=["read_at"])
    return n


def notification_mark_all_read(*, actor: Visitor, up_to: int | None = None) -> int:
    """Mark every unread message of the actor's inbox read, or only those up to id ``up_to`` (the
    newest one the reader was shown). One audit event for the batch; none when nothing was unread.
    Returns how many were marked."""
    ensure(access_inbox(actor), user=actor, action="notification.read_all")
    with transaction.atomic():
        unread = Notification.objects.filter(
            recipient=authenticated(actor), channel=Notification.Channel.INBOX, read_at__isnull=True
        )
        if up_to is not None:
            unread = unread.filter(pk__lte=up_to)
        # Lock the rows first (PostgreSQL), so a concurrent single read receipt either waits and
        # finds the row read, or went first and the row is no longer selected here.
        ids = list(unread.select_for_update().order_by("pk").values_list("pk", flat=True))
        if not ids:
            return 0
        marked = Notification.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())
        audit_record(
            actor=actor,
            action="notification.read_all",
            object_type=Notification._meta.label_lower,
            data={"count": marked, "ids": ids[:500], "up_to": up_to},
        )
    return int(marked)
