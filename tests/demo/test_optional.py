"""The demo package is optional: no other package imports it, production settings do not install it, and
the platform runs without it."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.core.test_settings_deploy import production_env, run_yiwang

SRC = Path(__file__).resolve().parents[2] / "src" / "yiwang"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_production_package_imports_the_demo_package() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.is_relative_to(SRC / "demo"):
            continue
        if any(n == "yiwang.demo" or n.startswith("yiwang.demo.") for n in _imports(path)):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []
    assert not list(SRC.glob("*/demo*.py")), "demo data belongs in yiwang/demo"


def test_only_the_local_and_test_settings_install_it() -> None:
    from django.conf import settings

    from yiwang.config.settings import base

    assert "yiwang.demo" in settings.INSTALLED_APPS  # the test settings
    assert "yiwang.demo" not in base.INSTALLED_APPS
    local = (SRC / "config" / "settings" / "local.py").read_text(encoding="utf-8")
    assert 'INSTALLED_APPS = [*INSTALLED_APPS, "yiwang.demo"]' in local


def test_production_runs_without_the_demo_package(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    check = run_yiwang("check", "--deploy", "--fail-level", "WARNING", env=env, cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    listed = run_yiwang("help", "--commands", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    commands = listed.stdout.split()
    assert "load_demo" not in commands and "migrate" in commands
    apps = run_yiwang(
        "shell",
        "-c",
        "from django.conf import settings; print(sorted(settings.INSTALLED_APPS))",
        env=env,
        cwd=tmp_path,
    )
    assert apps.returncode == 0, apps.stderr
    assert "yiwang.applications" in apps.stdout and "yiwang.demo" not in apps.stdout
