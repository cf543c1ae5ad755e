"""Pages are as strict as the API with their query strings: hostile values never give a 500.

Every GET page of the authorization matrix is requested, by a role allowed to see it, with each query
parameter any page reads set to values at and beyond its edges (numbers beyond 64 bits, negative
numbers, non-numbers, a NUL character, very long text, malformed dates and years). The page must
answer (200, a redirect or a 4xx with a message), never 500. The parameter list is checked against the
source, so a page that starts reading a new parameter is fuzzed too.

Every parameter is first set at once, to each edge value, while the query dictionary records which names
the page looks up; then each name the page read is tried alone (so no other error hides it). A name the page
never looks up cannot change its answer, so it is not tried alone: that keeps a PDF page from being
rendered sixty times for parameters it ignores.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from yiwang.core.forms import QueryForm

from .test_matrix import ROUTES

if TYPE_CHECKING:
    from .registry import Route

SRC = Path(__file__).resolve().parents[2] / "src" / "yiwang"
READ = re.compile(r"""(?:request\.GET|source|params)(?:\.get\(|\[)\s*["']([a-z_0-9]+)["'](?!\]\s*=)""")

# Every query parameter a page reads (checked against the source below).
PARAMS = [
    "by", "code", "credit_code", "date", "days", "department", "end", "item", "item_q", "kind", "last4",
    "lat", "level", "lng", "next", "number", "online", "open", "page", "person", "q", "start", "status",
    "street", "theme", "ticket", "tongban", "version", "when", "window", "year", "audience", "no_visit",
    "item_type", "up_to", "per", "format", "filed", "rated",
    "category", "source", "standing",
    "appeals", "bad", "enterprise", "error", "manual", "project_type", "show", "submitted", "via",
    "name", "office", "date_from", "date_to", "column", "group", "text",
]  # fmt: skip
EDGES = [
    str(2**64),
    "210589640297594381926400",
    "-1",
    "0",
    "x",
    "1e309",
    "\x00",
    "9" * 400,
    "2026-13-45",
    "１２",
]


def _subclasses(cls: type) -> set[type]:
    out = set(cls.__subclasses__())
    for sub in list(out):
        out |= _subclasses(sub)
    return out


def test_the_parameter_list_covers_every_page() -> None:
    read: set[str] = set()
    for path in SRC.rglob("views.py"):
        read |= set(READ.findall(path.read_text(encoding="utf-8")))
    for path in SRC.rglob("forms.py"):
        importlib.import_module("yiwang." + ".".join(path.relative_to(SRC).with_suffix("").parts))
    for form in _subclasses(QueryForm):
        read |= set(form.base_fields)
    missing = sorted(read - set(PARAMS) - {"action", "language", "password", "username", "file"})
    assert not missing, f"pages read query parameters this test does not try: {missing}"


PAGES = [
    r for r in ROUTES if not r.is_api and r.method == "GET" and r.allow and not r.name.startswith("admin:")
]


@pytest.fixture
def looked_up(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The names any query (or form) dictionary is asked for while the test runs."""
    names: set[str] = set()
    getitem, getlist, contains = (
        MultiValueDict.__getitem__,
        MultiValueDict._getlist,
        MultiValueDict.__contains__,
    )

    def record_getitem(self: MultiValueDict, key: str) -> Any:  # type: ignore[type-arg]
        names.add(key)
        return getitem(self, key)

    def record_getlist(self: MultiValueDict, key: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[type-arg]
        names.add(key)
        return getlist(self, key, *args, **kwargs)

    def record_contains(self: MultiValueDict, key: object) -> bool:  # type: ignore[type-arg]
        if isinstance(key, str):
            names.add(key)
        return contains(self, key)

    monkeypatch.setattr(MultiValueDict, "__getitem__", record_getitem)
    monkeypatch.setattr(MultiValueDict, "_getlist", record_getlist)
    monkeypatch.setattr(MultiValueDict, "__contains__", record_contains)
    return names


@pytest.mark.parametrize("route", PAGES, ids=[r.label() for r in PAGES])
def test_hostile_query_values_never_give_a_server_error(
    route: Route, world: Any, client_for: Any, looked_up: set[str]
) -> None:
    role = sorted(route.allow - {"anonymous"} or route.allow)[0]
    client = client_for(role)
    kwargs = route.kwargs(world) if route.kwargs else {}
    url = reverse(route.name, kwargs=kwargs or None)
    failures = []

    def attempt(query: dict[str, str]) -> None:
        response = client.get(url, {**route.query, **query})
        if response.status_code >= 500:
            failures.append(f"{str(query)[:60]}: {response.status_code}")

    looked_up.clear()
    for value in EDGES:  # every parameter at once …
        attempt(dict.fromkeys(PARAMS, value))
    for name in sorted(looked_up & set(PARAMS)):  # … and each the page read, alone
        attempt({name: EDGES[1]})
    assert not failures, failures
