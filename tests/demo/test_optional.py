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


def test_the_demo_runs_with_debug_off_and_serves_its_own_pages(tmp_path: Path) -> None:
    """`make demo` uses the local settings: debug is off unless asked, so a mistyped address gets the portal's
    404 page (never Django's technical page listing every URL), static files still come from the packages,
    and links in notices follow the port the demo serves on."""
    probe = (
        "from django.conf import settings; from django.test import Client; c = Client(HTTP_HOST='127.0.0.1');"
        "missing = c.get('/no-such-page/'); static = c.get('/static/vendor/htmx/htmx.min.js');"
        "print(settings.DEBUG, missing.status_code, b'URLconf' in missing.content, static.status_code,"
        " settings.YIWANG_PUBLIC_BASE_URL)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "yiwang.config.settings.local",
        "YIWANG_VAR_DIR": str(tmp_path),
        "PORT": "8123",
    }
    result = run_yiwang("shell", "-v", "0", "-c", probe, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["False", "404", "False", "200", "http://127.0.0.1:8123"]
