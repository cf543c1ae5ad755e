"""Production settings pass Django's deployment checklist (``yiwang check --deploy``) with no warnings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def run_yiwang(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY"}}
    base["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), base.get("PYTHONPATH", "")]))
    return subprocess.run(
        [sys.executable, "-m", "yiwang.cli", *args],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    from yiwang.audit.chain import new_signing_key

    private, public = new_signing_key()
    (tmp_path / "checkpoint.pem").write_bytes(private)
    (tmp_path / "checkpoint.pub.pem").write_bytes(public)
    return {
        "DJANGO_SETTINGS_MODULE": "yiwang.config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "zwfw.example.gov.cn",
        "YIWANG_VAR_DIR": str(tmp_path / "var"),
        "AUDIT_HMAC_KEYS": f"prod1:{secrets.token_hex(32)}",
        "FIELD_ENCRYPTION_KEYS": f"prod1:{secrets.token_hex(16)}",
        "FIELD_ENCRYPTION_KEY_ID": "prod1",
        "FIELD_BLIND_INDEX_KEY": secrets.token_hex(32),
        "AUDIT_CHECKPOINT_PRIVATE_KEY_FILE": str(tmp_path / "checkpoint.pem"),
        "AUDIT_CHECKPOINT_PUBLIC_KEY_FILE": str(tmp_path / "checkpoint.pub.pem"),
        **extra,
    }


def test_production_settings_pass_check_deploy_with_no_warnings(tmp_path: Path) -> None:
    result = run_yiwang(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path), cwd=tmp_path
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output


def test_production_settings_keep_debug_off_even_when_asked(tmp_path: Path) -> None:
    result = run_yiwang(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
        env=production_env(tmp_path, DEBUG="true"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["False", "True"]


def test_production_settings_refuse_a_missing_or_short_secret_key(tmp_path: Path) -> None:
    for key in ["", "too-short"]:
        result = run_yiwang("check", env=production_env(tmp_path, SECRET_KEY=key), cwd=tmp_path)
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr
