"""Every route × method × role: no missing rows, no unexpected successes (docs/architecture.md, layering rule 4)."""

from __future__ import annotations

import importlib
import json
import pkgutil
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from yiwang.config.api import api
from yiwang.web.admin_site import RoleAdmin, admin_site

from . import registry
from .registry import ALL, Route

if TYPE_CHECKING:
    from django.test import Client

LOGIN_PATHS = ("/login/", "/admin/login/")


def collect_routes() -> list[Route]:
    rows: list[Route] = []
    package = importlib.import_module("tests.authz")
    for mod in pkgutil.iter_modules(package.__path__):
        if mod.name.startswith("routes_"):
            rows.extend(importlib.import_module(f"tests.authz.{mod.name}").ROUTES)
    # Django admin: each registered model's change list and add page belong to its admin roles.
    for model, model_admin in admin_site._registry.items():
        roles = frozenset(model_admin.admin_roles) if isinstance(model_admin, RoleAdmin) else registry.NOBODY
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        rows.append(Route(f"{info}_changelist", allow=roles, must_succeed=roles))
        own_add = getattr(model_admin, "add_roles", None)
        add_roles = (
            (roles if own_add is None else frozenset(own_add))
            if model_admin.has_add_permission.__func__ is RoleAdmin.has_add_permission
            and not getattr(model_admin, "read_only", False)
            else registry.NOBODY
        )
        rows.append(Route(f"{info}_add", allow=add_roles))
    return rows


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            if p.namespace == "api":
                continue  # API operations are checked through the OpenAPI document
            names |= url_names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def api_operations() -> set[str]:
    schema = api.get_openapi_schema(path_prefix="/api")
    ops = set()
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.add(f"API {method.upper()} {path}")
    return ops


ROUTES = collect_routes()
MODEL_ADMIN_NAMES = {"changelist", "add", "change", "delete", "history"}


def test_every_route_is_in_the_matrix() -> None:
    covered = {r.name for r in ROUTES}
    missing = []
    for name in url_names():
        if (
            name.startswith("admin:")
            and name.rsplit("_", 1)[-1] in MODEL_ADMIN_NAMES
            and name.count("_") >= 2
        ):
            # change/delete/history pages share the changelist's roles (same ModelAdmin permission methods)
            base = name.rsplit("_", 1)[0]
            if f"{base}_changelist" in covered:
                continue
        if name not in covered:
            missing.append(name)
    missing += sorted(op for op in api_operations() if op not in covered)
    assert not missing, "routes missing from the authorization matrix:\n" + "\n".join(sorted(missing))


def test_matrix_rows_name_real_routes() -> None:
    known = url_names() | api_operations()
    stale = sorted({r.name for r in ROUTES} - known)
    assert not stale, f"matrix rows for routes that no longer exist: {stale}"


def _request(client: Client, route: Route, world: Any) -> Any:
    kwargs = route.kwargs(world) if route.kwargs else {}
    if route.is_api:
        _, _method, path = route.name.split(" ", 2)
        for k, v in kwargs.items():
            path = path.replace("{" + k + "}", str(v))
        url = path
    else:
        url = reverse(route.name, kwargs=kwargs or None)
    data = route.data(world) if route.data else None
    method = route.method.lower()
    if method == "get":
        return client.get(url, route.query or data or {})
    if route.is_api or route.json:
        body = json.dumps(data if data is not None else {})
        if not route.is_api:
            return getattr(client, method)(url, data or {})
        return getattr(client, method)(url, body, content_type="application/json")
    return getattr(client, method)(url, data or {})


def _denied(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code in (301, 302):
        location = response.headers.get("Location", "")
        return any(p in location for p in LOGIN_PATHS)
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.label() for r in ROUTES])
def test_route_access(route: Route, world: Any, client_for: Any) -> None:
    problems = []
    for role in sorted(ALL):
        client = client_for(role)
        response = _request(client, route, world)
        denied = _denied(response)
        if role in route.allow and denied:
            problems.append(
                f"{role}: expected access, got {response.status_code} {response.headers.get('Location', '')}"
            )
        elif role not in route.allow and not denied:
            problems.append(f"{role}: UNEXPECTED ACCESS, got {response.status_code}")
        elif role in route.must_succeed and response.status_code >= 400:
            problems.append(f"{role}: expected success, got {response.status_code}")
        assert response.status_code != 500, f"{role}: server error"
    assert not problems, route.label() + "\n" + "\n".join(problems)
