"""Every integer an API operation takes is bounded in the OpenAPI document, and every edge is tried.

Hypothesis found an unbounded ``offset`` (2.1 × 10²³) that overflowed the database on one run and not
on another. These tests walk the same document deterministically: each integer parameter (path, query)
and each integer field of a request body must carry a minimum and a maximum, and each is sent just
below its minimum, just above its maximum and far beyond both, with every other value valid. The answer
must be 422 in the error format, naming the field — never a 500.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from yiwang.accounts import services as people
from yiwang.config.api import api

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.factories import World

SCHEMA = api.get_openapi_schema(path_prefix="/api")
COMPONENTS = SCHEMA["components"]["schemas"]
METHODS = {"get", "post", "put", "patch", "delete"}


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _integer(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The integer alternative of a (possibly optional) schema, if it has one."""
    schema = _resolve(schema)
    if schema.get("type") == "integer":
        return schema
    for alt in schema.get("anyOf", []):
        found = _integer(alt)
        if found is not None:
            return found
    return None


def _valid(schema: dict[str, Any]) -> Any:  # noqa: C901 - one branch per JSON Schema type
    """A value the schema accepts (for the parameters not under test)."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        return _valid(next(a for a in schema["anyOf"] if a.get("type") != "null"))
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {
            name: _valid(sub)
            for name, sub in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if schema.get("format") == "date":
        return "2026-06-01"
    if schema.get("format") == "date-time":
        return "2026-06-01T09:00:00+08:00"
    return "x" * max(1, schema.get("minLength", 1))


@dataclass(frozen=True)
class Probe:
    method: str
    path: str
    where: str  # path, query or body
    name: str
    value: int
    operation: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.path} {self.where}:{self.name}={self.value}"


def _edges(schema: dict[str, Any]) -> list[int]:
    low, high = schema["minimum"], schema["maximum"]
    return [low - 1, high + 1, 10**24, -(10**24)]


def _body_schema(operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return _resolve(content["application/json"]["schema"])
    return None


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in SCHEMA["paths"].items():
        for method, operation in methods.items():
            if method in METHODS:
                yield method, path, operation


def _integers() -> Iterator[tuple[str, str, str, str, dict[str, Any], dict[str, Any]]]:
    for method, path, operation in _operations():
        for param in operation.get("parameters", []):
            schema = _integer(param.get("schema", {}))
            if schema is not None:
                yield method, path, param["in"], param["name"], schema, operation
        body = _body_schema(operation)
        for name, sub in (body or {}).get("properties", {}).items():
            schema = _integer(sub)
            if schema is not None:
                yield method, path, "body", name, schema, operation


def test_every_integer_parameter_is_bounded_in_the_schema() -> None:
    unbounded = [
        f"{method.upper()} {path} {where}:{name}"
        for method, path, where, name, schema, _op in _integers()
        if "minimum" not in schema or "maximum" not in schema
    ]
    assert not unbounded, "integers without a documented range:\n" + "\n".join(unbounded)


PROBES = [
    Probe(method, path, where, name, value, op)
    for method, path, where, name, schema, op in _integers()
    if "minimum" in schema and "maximum" in schema
    for value in _edges(schema)
]


def test_the_probes_cover_the_known_cases() -> None:
    ids = {p.id for p in PROBES}
    assert f"GET /api/catalogue/items query:offset={10**24}" in ids
    assert "GET /api/audit/events query:limit=1001" in ids
    assert len({(p.method, p.path, p.where, p.name) for p in PROBES}) >= 20


def _request(probe: Probe) -> tuple[str, dict[str, Any], Any]:
    path, query, body = probe.path, {}, None
    for param in probe.operation.get("parameters", []):
        value = probe.value if (param["in"], param["name"]) == (probe.where, probe.name) else None
        if value is None:
            if param["in"] == "query" and not param.get("required"):
                continue
            value = _valid(param.get("schema", {}))
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", str(value))
        elif param["in"] == "query":
            query[param["name"]] = value
    schema = _body_schema(probe.operation)
    if schema is not None:
        body = _valid(schema)
        if probe.where == "body":
            body[probe.name] = probe.value
    return path, query, body


@pytest.mark.parametrize("probe", PROBES, ids=[p.id for p in PROBES])
def test_an_integer_out_of_range_is_refused_with_422(probe: Probe, world: World) -> None:
    _token, raw = people.api_token_create(actor=None, user=world.users["clerk"], name="bounds")
    client = Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})
    path, query, body = _request(probe)
    if probe.method == "get":
        response = client.get(path, query)
    elif body is not None:
        url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        response = getattr(client, probe.method)(url, json.dumps(body), content_type="application/json")
    else:
        response = getattr(client, probe.method)(path, query)
    assert response.status_code == 422, (response.status_code, response.content[:300])
    error = response.json()
    assert error["code"] == "invalid"
    assert error["fields"].get(probe.name), error
