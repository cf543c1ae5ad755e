"""Audit events for sign-in, sign-out and failed sign-in. Django's ``login()`` rotates the session key."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from yiwang.audit.services import audit_record
from yiwang.core.middleware import client_ip

from . import throttle
from .access import authenticated
from .middleware import AUTH_AT, SEEN_AT

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .access import Visitor


@receiver(user_logged_in)
def _on_login(sender: Any, request: HttpRequest, user: Visitor, **kwargs: Any) -> None:
    now = time.time()
    if request is not None and hasattr(request, "session"):
        request.session[AUTH_AT] = now
        request.session[SEEN_AT] = now
    audit_record(actor=user, action="auth.login", obj=authenticated(user))


@receiver(user_logged_out)
def _on_logout(sender: Any, request: HttpRequest, user: Visitor, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=authenticated(user))


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The account's hourly cap counts these events (``throttle.account_failures_last_hour``): the
    # username is recorded in its normal form.
    audit_record(
        actor=None,
        action="auth.login_failed",
        object_type="accounts.user",
        object_id=str(credentials.get("username", "")).strip().lower()[:64],
        outcome="failed",
    )
    if request is not None:
        throttle.address_failure(client_ip(request))
