"""Every schema in the OpenAPI document has its own name: django-ninja files two classes of the same
name under one component, so one silently describes the other's operations (two ``MaterialOut`` did)."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

from yiwang.config.api import api


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def test_schema_class_names_are_unique() -> None:
    api.get_openapi_schema()  # imports every router and builds every schema
    by_name: dict[str, list[str]] = defaultdict(list)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("yiwang."):
            by_name[cls.__name__].append(f"{cls.__module__}.{cls.__qualname__}")
    assert {n: sorted(p) for n, p in by_name.items() if len(p) > 1} == {}
