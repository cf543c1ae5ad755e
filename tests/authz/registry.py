"""The authorization matrix: every route × method × role (and object variant) with its expected access.

Each context keeps its rows in ``tests/authz/routes_<context>.py`` as ``ROUTES``. The test fails
when a URL pattern or API operation has no row, or when any role outside ``allow`` gets through.

Conventions:
- ``name`` is the URL name (``portal:home``) for pages, or ``"API METHOD /api/path"`` for API
  operations as they appear in the OpenAPI document (path parameters in braces).
- ``kwargs(world)`` gives URL kwargs (pages) or path parameters (API); ``data(world)`` a body.
- ``allow`` is the set of roles that pass the access check. A passing request may still answer
  400/404/409 for its data; a refused one answers 401/403 (404 when hiding existence), or
  redirects an anonymous visitor to the sign-in page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.factories import ROLES

if TYPE_CHECKING:
    from collections.abc import Callable

ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"anonymous"}
APPLICANTS = frozenset({"applicant", "agent"})
STAFF = ALL - {"anonymous"} - APPLICANTS
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Route:
    name: str
    method: str = "GET"
    allow: frozenset[str] = NOBODY
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    data: Callable[[Any], Any] | None = None
    variant: str = ""  # e.g. "own", "other office", "other applicant"
    json: bool = True
    query: dict[str, str] = field(default_factory=dict)
    # Roles for which the request must *succeed* (2xx/3xx) rather than merely pass the access check.
    must_succeed: frozenset[str] = NOBODY

    def __post_init__(self) -> None:
        if self.name.startswith("API "):
            object.__setattr__(self, "method", self.name.split(" ", 2)[1])

    @property
    def is_api(self) -> bool:
        return self.name.startswith("API ")

    def label(self) -> str:
        return f"{self.method} {self.name}{' [' + self.variant + ']' if self.variant else ''}"
