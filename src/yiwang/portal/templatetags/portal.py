"""The portal's header: the name of the district the platform serves."""

from __future__ import annotations

from django import template
from django.core.cache import cache

from yiwang.accounts import selectors as org

register = template.Library()

DISTRICT_SECONDS = 300


@register.simple_tag(takes_context=True)
def district_name(context: template.Context) -> str:
    """The district's name in the page's language (cached for five minutes; empty before one is loaded)."""
    names = cache.get("portal:district")
    if names is None:
        d = org.home_district()
        names = (d.name, d.name_en or d.name) if d is not None else ("", "")
        cache.set("portal:district", names, DISTRICT_SECONDS)
    return names[1] if str(context.get("LANGUAGE_CODE", "")).startswith("en") else names[0]
