from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yiwang.accounts import selectors as org
from yiwang.accounts.access import access_portal_account, enterprises_for
from yiwang.catalogue.models import BUSINESS_THEMES, PERSON_THEMES, Theme
from yiwang.core.pagecache import anonymous_page
from yiwang.web.pages import require

from . import selectors

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


@require_GET
@anonymous_page(("catalogue", "halls"), max_age=60)
def home(request: HttpRequest) -> HttpResponse:
    counts = selectors.theme_counts()

    def themes(codes: tuple[str, ...]) -> list[tuple[str, str, int]]:
        return [(c, str(Theme(c).label), counts[c]) for c in codes if counts.get(c)]

    return render(
        request,
        "portal/home.html",
        {
            "halls": org.district_halls(),
            "person_themes": themes(PERSON_THEMES),
            "business_themes": themes(BUSINESS_THEMES),
            "hot_items": selectors.hot_items(),
        },
    )


@require_GET
@login_required
@require(access_portal_account, action="portal.account")
def account(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    return render(
        request, "portal/account.html", {"person": person, "enterprises": enterprises_for(request.user)}
    )
