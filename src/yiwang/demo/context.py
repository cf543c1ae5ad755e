"""The demo loader's plumbing: one module per context in ``yiwang.demo.loaders`` with ``load(ctx)``.

``yiwang load_demo`` calls them in INSTALLED_APPS order (a loader whose context is not installed is
skipped). Each loader must be idempotent: a second run changes nothing (it looks objects up by their
natural codes before creating them).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from django.apps import apps

DEMO_PASSWORD = "Yiwang-demo-2026"  # noqa: S105 - printed by `make demo`; demo data only
LOADERS = "yiwang.demo.loaders"


@dataclass
class DemoContext:
    out: Callable[[str], None]
    progress: Any  # rich.progress.Progress
    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, username, where)

    def count(self, what: str, n: int = 1) -> None:
        if n:
            self.created[what] = self.created.get(what, 0) + n


def data_file(name: str) -> bytes:
    """The bytes of ``yiwang/demo/data/<name>`` (shipped as package data)."""
    return resources.files("yiwang.demo").joinpath("data", name).read_bytes()


@cache
def data_json(name: str) -> Any:
    return json.loads(data_file(name))


def demo_loaders() -> list[tuple[str, Callable[[DemoContext], None]]]:
    """``(context label, load)`` for every installed context that has a demo loader, in INSTALLED_APPS
    order."""
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("yiwang."):
            continue
        try:
            module = importlib.import_module(f"{LOADERS}.{config.label}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{LOADERS}.{config.label}":
                raise
            continue
        if hasattr(module, "load"):
            loaders.append((config.label, module.load))
    return loaders
