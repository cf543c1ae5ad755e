"""Crash safety (PostgreSQL): the application server is killed with SIGKILL in the middle of a bounded load
of submissions through the HTTP API, then started again. Every submission the server acknowledged (201
with a number) is in the database afterwards, and the case numbers stay gapless: a killed request's
transaction rolls back its number with it."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from tests.applications.builders import make_item
from yiwang.accounts.services import api_token_create
from yiwang.cases.models import Case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
CLIENTS, PER_CLIENT = 4, 30


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--blocking-threads",
            "4",
            "--log-level",
            "error",
            "yiwang.config.wsgi:application",
        ],
        env=env,
        cwd=str(ROOT),
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def _kill(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def test_acknowledged_submissions_survive_a_kill_9_and_numbers_stay_gapless(
    world: Any, tmp_path: Path
) -> None:
    item = make_item(world)
    _, token = api_token_create(actor=None, user=world.users["clerk"], name="crash test")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "yiwang.config.settings.local",
        "YIWANG_VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # the same keys as this process, so the server reads the identifiers and extends the chain
        "FIELD_ENCRYPTION_KEYS": ",".join(
            f"{k}:{v.hex()}" for k, v in settings.FIELD_ENCRYPTION_KEYS.items()
        ),
        "FIELD_ENCRYPTION_KEY_ID": settings.FIELD_ENCRYPTION_KEY_ID,
        "FIELD_BLIND_INDEX_KEY": settings.FIELD_BLIND_INDEX_KEY.hex(),
        "AUDIT_HMAC_KEYS": ",".join(f"{k}:{v.hex()}" for k, v in settings.AUDIT_HMAC_KEYS.items()),
        "AUDIT_HMAC_KEY_ID": settings.AUDIT_HMAC_KEY_ID,
    }
    port = _port()
    server = _serve(port, env)
    acknowledged: list[str] = []
    lock = threading.Lock()
    sent = [0]
    body = json.dumps({"item": item.code, "person_id": world.other_person.pk})

    def client() -> None:
        for _ in range(PER_CLIENT):
            with lock:
                sent[0] += 1
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                c.request(
                    "POST",
                    "/api/applications/receive",
                    body,
                    {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
                )
                r = c.getresponse()
                if r.status == 201:
                    with lock:
                        acknowledged.append(json.loads(r.read())["number"])
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)  # the server is down: this one was not acknowledged

    try:
        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        while sent[0] < CLIENTS * PER_CLIENT // 3:
            time.sleep(0.02)
        _kill(server)  # in the middle of the load
        server = _serve(port, env)
        for t in threads:
            t.join(timeout=300)
    finally:
        _kill(server)
    numbers = set(Case.objects.filter(number__gt="").values_list("number", flat=True))
    assert acknowledged and set(acknowledged) <= numbers  # nothing acknowledged was lost
    seqs = sorted(int(n[-6:]) for n in numbers)
    assert seqs == list(range(1, len(seqs) + 1))  # gapless
    assert len(acknowledged) < CLIENTS * PER_CLIENT  # the kill happened under load: some were refused
