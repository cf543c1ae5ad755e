"""The portal's writers that span contexts: a resident's one-time code, issued by accounts and sent through
the notification outbox in the same transaction (docs/adr/0056)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from yiwang.accounts import otp
from yiwang.notifications.models import Notification
from yiwang.notifications.services import notification_queue

if TYPE_CHECKING:
    from yiwang.accounts.models import SignInCode


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
