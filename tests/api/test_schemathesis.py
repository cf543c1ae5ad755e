"""Fuzz every operation in /api/openapi.json with all of Schemathesis's checks.

The schema is read from the Django application itself when this module is collected, so every
router mounted in ``yiwang.config.api`` is covered without listing it here. Each operation is run
with schema-valid and schema-invalid data, as an anonymous caller, as a window clerk with a
bearer token and as the audit administrator with a browser session (CSRF token included).

Status-code convention checked here (see ``yiwang.core.api``): 400 means the request does not
match the documented schema; 422 means it matches the schema but breaks a rule (a resident ID with
a wrong check digit, for example). So a schema-valid request may be refused with 422, never 400.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.wsgi import get_wsgi_application
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client
from hypothesis import HealthCheck, settings

from yiwang.accounts import services as people

# Bounded so the whole run stays within a couple of minutes; raise locally to dig deeper
# (YIWANG_FUZZ_EXAMPLES=200 make test PYTEST_ARGS="-m schemathesis").
MAX_EXAMPLES = int(os.environ.get("YIWANG_FUZZ_EXAMPLES", "25"))

CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "checks": {
            "enabled": True,
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"],
            },
        },
    }
)

application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)

pytestmark = [pytest.mark.schemathesis]

CALLERS = ["anonymous", "clerk-token", "audit_admin-session"]


@pytest.fixture(params=CALLERS)
def caller(request: Any, world: Any) -> dict[str, str]:
    """The request headers of one kind of caller."""
    if request.param == "anonymous":
        return {}
    role, how = request.param.split("-")
    user = world.users[role]
    if how == "token":
        _token, raw = people.api_token_create(actor=None, user=user, name="schemathesis")
        return {"Authorization": f"Bearer {raw}"}
    client = Client()
    client.force_login(user)
    secret = _get_new_csrf_string()
    session_key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {
        # As a header, so Schemathesis knows these credentials were given, not generated.
        "Cookie": f"{django_settings.SESSION_COOKIE_NAME}={session_key}; {django_settings.CSRF_COOKIE_NAME}={secret}",
        "X-CSRFToken": _mask_cipher_secret(secret),
    }


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_operation(case: Any, caller: dict[str, str]) -> None:
    case.call_and_validate(headers=caller)
