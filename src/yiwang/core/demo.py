"""The demo district loader's plumbing: each context may have a ``demo.py`` with ``load(ctx)``.

``yiwang load_demo`` calls them in INSTALLED_APPS order. Each loader must be idempotent: a
second run changes nothing (it looks objects up by their natural codes before creating them).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps

if TYPE_CHECKING:
    from collections.abc import Callable

DEMO_PASSWORD = "Yiwang-demo-2026"  # noqa: S105 - printed by `make demo`; demo data only


@dataclass
class DemoContext:
    out: Callable[[str], None]
    progress: Any  # rich.progress.Progress
    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, username, where)

    def count(self, what: str, n: int = 1) -> None:
        if n:
            self.created[what] = self.created.get(what, 0) + n


def demo_loaders() -> list[tuple[str, Callable[[DemoContext], None]]]:
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("yiwang."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        if hasattr(module, "load"):
            loaders.append((config.label, module.load))
    return loaders
