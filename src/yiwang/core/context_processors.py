from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.YIWANG_SITE_NAME or _("Yiwang Government Services"),
        "nav_key": nav_key(request),
        "site": settings.YIWANG_SITE,
    }


def nav_key(request: HttpRequest) -> str:
    """Everything the navigation depends on besides the language, for caching the rendered menu:
    the kind of user, their roles and whether they are posted to a hall or an office."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    roles = ",".join(sorted(user.role_set())) if user.kind == "staff" else ""
    return f"{user.kind}:{roles}:{'h' if user.hall_id else ''}{'o' if user.office_id else ''}"
