"""Settings and URLs for bench/licences.py: the platform plus a bare template view (not used elsewhere).

- ``/bench/bare/``  a bare Django template view about the size of a verification page, no database;
- ``/bench/shell/`` the portal's page shell (``portal/base.html``) with the same rows, no database.
"""

from __future__ import annotations

from typing import Any

from yiwang.config.settings.local import *  # noqa: F403

ROOT_URLCONF = "licences_site"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEBUG = False

BARE = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><dl>{% for k, v in rows %}<dt>{{ k }}</dt><dd>{{ v }}</dd>{% endfor %}</dl></body></html>"""
SHELL = """{% extends "portal/base.html" %}{% block content %}<section class="card"><h1>{{ title }}</h1>
<dl>{% for k, v in rows %}<dt>{{ k }}</dt><dd>{{ v }}</dd>{% endfor %}</dl></section>{% endblock %}"""


def __getattr__(name: str) -> Any:
    """``urlpatterns`` is built on first use (after Django is set up), from the platform's own URLs."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.http import HttpRequest, HttpResponse
    from django.template import engines
    from django.urls import path

    from yiwang.config.urls import urlpatterns as platform

    bare_t = engines["django"].from_string(BARE)
    shell_t = engines["django"].from_string(SHELL)
    ctx = {
        "title": "电子证照核验",
        "rows": [("证照", "食品经营许可证"), ("持证主体", "示范科技有限公司")] * 5,
    }

    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse(bare_t.render(ctx, request))

    def shell(request: HttpRequest) -> HttpResponse:
        return HttpResponse(shell_t.render(ctx, request))

    patterns = [path("bench/bare/", bare), path("bench/shell/", shell), *platform]
    globals()["urlpatterns"] = patterns
    return patterns
