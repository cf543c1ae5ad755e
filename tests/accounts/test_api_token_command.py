"""``yiwang api_token``: a token is shown once, works as a bearer token, is listed, revoked and audited."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from yiwang.accounts.models import ApiToken
from yiwang.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def test_issue_use_list_and_revoke(world: Any, client: Any) -> None:
    out = _run("t_clerk", "integration test", "--days", "30")
    raw = out.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert raw.startswith("yw_") and token.digest == ApiToken.digest_of(raw) and raw not in token.digest
    assert token.expires_at is not None
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert f"{token.prefix}  integration test" in _run("t_clerk", "--list")
    assert f"revoked {token.prefix}" in _run("t_clerk", "--revoke", token.prefix)
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert list(
        AuditEvent.objects.filter(action__startswith="api_token.").values_list("action", flat=True)
    ) == [
        "api_token.create",
        "api_token.revoke",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nobody", "x"), "no such user"),
        (("t_clerk",), "name"),
        (("t_clerk", "x", "--days", "-1"), "--days"),
        (("t_clerk", "--revoke", "zzzzzzzz"), "no token"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world: Any, args: tuple[str, ...], message: str) -> None:
    with translation.override("en"), pytest.raises(CommandError, match=message):
        _run(*args)
    assert ApiToken.objects.count() == 0
