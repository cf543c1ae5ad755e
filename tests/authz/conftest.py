"""The matrix asks every route as every role, so it signs twenty users in for each route. Django's
``force_login`` runs the whole sign-in (session key rotation, the ``user_logged_in`` signal and its audit
event) and costs about a third of the matrix's time; here a session is written directly with what a
sign-in leaves in it, which is all the access checks read."""

from __future__ import annotations

import time
from importlib import import_module
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client

from yiwang.accounts.middleware import AUTH_AT, SEEN_AT

if TYPE_CHECKING:
    from tests.factories import World

BACKEND = "django.contrib.auth.backends.ModelBackend"


def signed_in_client(user: Any) -> Client:
    client = Client()
    if user is None:
        return client
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = time.time()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[AUTH_AT] = now
    store[SEEN_AT] = now
    store.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    return client


@pytest.fixture
def client_for(world: World) -> Any:
    def make(role_or_user: Any) -> Client:
        user = world.users.get(role_or_user) if isinstance(role_or_user, str) else role_or_user
        return signed_in_client(user)

    return make
