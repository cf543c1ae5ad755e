from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": settings.YIWANG_SITE_NAME or _("Yiwang Government Services")}
