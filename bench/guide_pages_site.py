"""Settings and URLs for bench/guide_pages.py: the platform plus two baseline views (not used elsewhere).

- ``/bench/bare/``  a bare Django template view: a small standalone template, no database.
- ``/bench/shell/`` the portal's page shell (``portal/base.html``) with a paragraph, no database.
"""

from __future__ import annotations

from typing import Any

from yiwang.config.settings.local import *  # noqa: F403

ROOT_URLCONF = "guide_pages_site"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEBUG = False

BARE = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}</body></html>"""
SHELL = """{% extends "portal/base.html" %}{% block content %}<section class="card"><h1>{{ title }}</h1>
{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}</section>{% endblock %}"""


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
    ctx = {"title": "办事指南", "paragraphs": ["一网通办，就近可办。"] * 5}

    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse(bare_t.render(ctx, request))

    def shell(request: HttpRequest) -> HttpResponse:
        return HttpResponse(shell_t.render(ctx, request))

    patterns = [path("bench/bare/", bare), path("bench/shell/", shell), *platform]
    globals()["urlpatterns"] = patterns
    return patterns
