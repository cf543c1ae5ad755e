"""``{% reveal person "id_number" "target-id" %}``: the one control that shows a person's full number. The
staff member first says why (the purposes the service accepts); the service checks the purpose, the role
and the person, and audits the reveal."""

from __future__ import annotations

from typing import Any

from django import template

from yiwang.accounts.services import UNMASK_PURPOSES

register = template.Library()


@register.inclusion_tag("web/_reveal.html")
def reveal(person: Any, field: str, target: str) -> dict[str, Any]:
    """``target``: the id of the element showing the masked number; one ending in "-" gets the person's id."""
    if target.endswith("-"):
        target = f"{target}{person.pk}"
    return {"person": person, "field": field, "target": target, "purposes": list(UNMASK_PURPOSES.items())}
