"""The portal's writers that span contexts: a resident's one-time code, issued by accounts and sent through
the notification outbox in the same transaction (docs/adr/0056)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.accounts import otp
from yiwang.audit.services import audit_record
from yiwang.core.generations import bump
from yiwang.notifications.models import Notification
from yiwang.notifications.services import notification_queue

from .models import Announcement

if TYPE_CHECKING:
    from yiwang.accounts.models import SignInCode, User


def _sms(row: SignInCode, code: str) -> None:
    minutes = max(1, otp.valid_seconds() // 60)
    body = _(
        "Your Yiwang verification code is %(code)s, valid for %(minutes)d minutes. "
        "Never tell it to anyone, staff included."
    ) % {"code": code, "minutes": minutes}
    notification_queue(
        subject=_("Verification code"),
        body=body,
        address=row.mobile,
        channel=Notification.Channel.SMS,
        obj=row,
    )


def resident_code_send(*, mobile: str, purpose: str, client: str) -> SignInCode:
    """Issue a one-time code for ``mobile`` (to register or to sign in) and put the SMS in the outbox; the
    code itself is in the message only, never in the code's row or the audit trail."""
    return otp.code_issue(mobile=mobile, purpose=purpose, client=client, deliver=_sms)


def announcement_publish(*, actor: User | None, **fields: Any) -> Announcement:
    """Publish an announcement (通知公告) on the portal, audited; the home page is drawn again. The admin's
    form does the same for the editors (``portal.admin``); this is the call for loaders and imports."""
    with transaction.atomic():
        row = Announcement(created_by=actor, **fields)
        row.full_clean()
        row.save()
        audit_record(actor=actor, action="portal.announcement.publish", obj=row, data={"title": row.title})
        bump("portal")
    return row
