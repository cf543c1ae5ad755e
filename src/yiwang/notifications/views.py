"""The inbox pages: "My messages" for applicants (portal shell) and staff (workbench shell), one read
receipt at a time (htmx swaps the message in place; without JavaScript the form posts and returns)
or all at once. Access through the access functions; the services do the writing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from yiwang.accounts.access import access_workbench
from yiwang.core.errors import NotFound
from yiwang.core.views import bad_request
from yiwang.web.pages import require

from . import selectors, services
from .access import access_inbox
from .forms import InboxQueryForm, MarkAllReadForm, MarkReadForm


def _shell(request: HttpRequest) -> str:
    """Staff read their messages in the workbench, applicants in the portal."""
    return "workbench/base.html" if access_workbench(request.user) else "portal/base.html"


@require_GET
@login_required
@require(access_inbox, action="notification.inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxQueryForm(request.GET)
    page = selectors.inbox_page(request.user, form.page_number())
    return render(
        request,
        "notifications/inbox.html",
        {
            "base_template": _shell(request),
            "page": page,
            "entries": [selectors.inbox_entry(n) for n in page],
            "unread": selectors.unread_count(request.user),
            "up_to": selectors.inbox_newest_id(request.user),
            "here": request.get_full_path(),
        },
    )


@require_POST
@login_required
@require(access_inbox, action="notification.read")
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    form = MarkReadForm(request.POST)
    try:
        n = services.notification_mark_read(actor=request.user, notification_id=notification_id)
    except NotFound as exc:
        raise Http404 from exc
    if request.headers.get("HX-Request"):
        return render(
            request,
            "notifications/_read.html",
            {"e": selectors.inbox_entry(n), "unread": selectors.unread_count(request.user)},
        )
    return redirect(form.next_url(request) or reverse("notifications:inbox"))


@require_POST
@login_required
@require(access_inbox, action="notification.read_all")
def mark_all_read(request: HttpRequest) -> HttpResponse:
    form = MarkAllReadForm(request.POST)
    if not form.is_valid():
        return bad_request(request)
    n = services.notification_mark_all_read(actor=request.user, **form.values())
    if n:
        messages.success(
            request,
            ngettext("%(n)d message marked as read.", "%(n)d messages marked as read.", n) % {"n": n},
        )
    else:
        messages.info(request, _("There were no unread messages."))
    return redirect(form.next_url(request) or reverse("notifications:inbox"))
