"""Dependencies point one way (docs/adr/0005-layers.md): ``core`` (plain utilities) ← ``audit`` ← ``accounts``
← ``web`` (the shell: admin site, page helpers, API authentication) ← the contexts. A module's imports are
read from its source (top level and inside functions alike), so a cycle cannot hide in a function-local
import; and no function imports a project module at all except an app's ``ready()``.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "yiwang"
# The interfaces of a package (pages, API, admin, commands, app config) sit above the web shell.
INTERFACE = {"admin.py", "api.py", "views.py", "urls.py", "apps.py", "signals.py"}

# What each foundation package's own (non-interface) modules may import.
ALLOWED = {
    "core": {"core"},
    "audit": {"core", "audit"},
    "accounts": {"core", "audit", "accounts"},
    "web": {"core", "audit", "accounts", "web"},
}


def _modules(package: str) -> list[Path]:
    return [
        p
        for p in (SRC / package).rglob("*.py")
        if "migrations" not in p.parts and "management" not in p.parts and p.name not in INTERFACE
    ]


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, yiwang package imported, inside a function) for every project import of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(SRC).parts[0]
    inside: set[int] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            inside |= {
                id(n)
                for n in ast.walk(fn)
                if isinstance(n, ast.Import | ast.ImportFrom) and fn.name != "ready"
            }
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                target = package
            elif (node.module or "").startswith("yiwang."):
                target = (node.module or "").split(".")[1]
            else:
                continue
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith("yiwang.")]
            if not names:
                continue
            target = names[0].split(".")[1]
        else:
            continue
        out.append((node.lineno, target, id(node) in inside))
    return out


def test_the_foundation_imports_only_downwards() -> None:
    wrong = []
    for package, allowed in ALLOWED.items():
        for path in _modules(package):
            for line, target, _local in _imports(path):
                if target not in allowed:
                    wrong.append(f"{path.relative_to(SRC)}:{line} imports yiwang.{target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


# Packages whose functions import no project module (the rest follow as they are cleaned up).
NO_LOCAL_IMPORTS = ["core", "audit", "accounts", "web", "cases", "notifications", "applications"]
NO_LOCAL_IMPORTS += ["halls", "workdays", "workbench", "portal", "config", "catalogue", "licences", "hotline"]
NO_LOCAL_IMPORTS += ["credit", "concierge"]
NO_LOCAL_IMPORTS += ["disclosure"]
# Modules of those packages not yet cleaned up, each with its reason; the list only shrinks.
PENDING: dict[str, str] = {}


def test_no_function_local_project_imports() -> None:
    local = [
        f"{path.relative_to(SRC)}:{line}"
        for package in NO_LOCAL_IMPORTS
        for path in (SRC / package).rglob("*.py")
        if "migrations" not in path.parts and path.relative_to(SRC).as_posix() not in PENDING
        for line, _target, inside in _imports(path)
        if inside
    ]
    assert not local, (
        "function-local imports of project modules (import at the top, or fix the cycle):\n"
        + "\n".join(local)
    )


def test_pending_modules_still_need_their_exception() -> None:
    """An exception is removed as soon as its module is clean (or gone)."""
    clean = [
        name
        for name in PENDING
        if not (SRC / name).exists() or not any(inside for _line, _target, inside in _imports(SRC / name))
    ]
    assert not clean, f"remove from PENDING: {clean}"


def test_no_any_for_actors_users_or_cases() -> None:
    """Who acts and on what is always typed (``User``, ``Visitor``, ``Case`` …), never ``Any``."""
    untyped = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or "demo" in path.name:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for arg in node.args.args + node.args.kwonlyargs:
                    annotation = ast.unparse(arg.annotation) if arg.annotation is not None else ""
                    if arg.arg in {"actor", "user", "case"} and annotation == "Any":
                        untyped.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}({arg.arg})")
    assert not untyped, "parameters typed Any:\n" + "\n".join(untyped)


# Context dependencies that must stay one way: the key (a context) never imports any of the values. The
# applications workflow reads the credit standing through ``credit.selectors`` (and records the standing
# applied through ``credit.services``); credit knows nothing of applications.
ONE_WAY = {"credit": {"applications"}}
# What a context may import of another one it depends on, by module: applications → credit.
ALLOWED_CROSS = {("applications", "credit"): {"selectors", "services"}}


def _cross_modules(path: Path) -> list[tuple[int, str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("yiwang."):
            parts = (node.module or "").split(".")
            if len(parts) > 2:
                out.append((node.lineno, parts[1], parts[2]))
            else:
                out.extend((node.lineno, parts[1], a.name) for a in node.names)
    return out


def test_context_dependencies_point_one_way() -> None:
    wrong = []
    for package, forbidden in ONE_WAY.items():
        for path in (SRC / package).rglob("*.py"):
            for line, target, _local in _imports(path):
                if target in forbidden:
                    wrong.append(f"{path.relative_to(SRC)}:{line} imports yiwang.{target}")
    for (package, target), modules in ALLOWED_CROSS.items():
        for path in (SRC / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line, pkg, module in _cross_modules(path):
                if pkg == target and module not in modules:
                    wrong.append(f"{path.relative_to(SRC)}:{line} imports yiwang.{target}.{module}")
    assert not wrong, "imports against the one-way context dependencies:\n" + "\n".join(wrong)
