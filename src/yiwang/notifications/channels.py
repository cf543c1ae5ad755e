"""Pluggable delivery channels. The default records the message as sent so the demo can show it;
a deployment sets NOTIFICATION_CHANNELS to its SMS gateway / WeChat / e-mail senders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import Notification


class Channel(Protocol):
    def send(self, notification: Notification) -> None: ...


class RecordingChannel:
    """Keeps the message in the platform inbox only (the demo's and the tests' channel)."""

    def send(self, notification: Notification) -> None:
        return None


class EmailChannel:
    def send(self, notification: Notification) -> None:
        to = notification.address or (notification.recipient.email if notification.recipient else "")
        if to:
            send_mail(notification.subject, notification.body, None, [to])


def channel_for(name: str) -> Channel:
    configured = getattr(settings, "NOTIFICATION_CHANNELS", {})
    path = configured.get(name, "yiwang.notifications.channels.RecordingChannel")
    channel: Channel = import_string(path)()
    return channel
