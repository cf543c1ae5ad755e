from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.accounts import selectors as org
from yiwang.accounts.access import access_portal_account, enterprises_for
from yiwang.core.pagecache import anonymous_page
from yiwang.web.pages import require

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


@require_GET
@anonymous_page(("catalogue", "halls"), max_age=60)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"halls": org.district_halls()})


@require_GET
@login_required
@require(access_portal_account, action="portal.account")
def account(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    return render(
        request, "portal/account.html", {"person": person, "enterprises": enterprises_for(request.user)}
    )
