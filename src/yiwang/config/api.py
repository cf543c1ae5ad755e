"""The JSON API: one NinjaAPI at /api/, each context mounting its router here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from yiwang.core.api import install_error_handlers

api = NinjaAPI(
    title="Yiwang API",
    version="1.0",
    description=str(_("Internet + government services: catalogue, cases, halls and more.")),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)


def _mount() -> None:
    from yiwang.accounts.api import router as accounts_router
    from yiwang.audit.api import router as audit_router

    api.add_router("/", accounts_router)
    api.add_router("/audit", audit_router)

    # Later contexts mount here: workdays, catalogue, cases, applications, halls …
    for module, prefix in [
        ("yiwang.workdays.api", "/workdays"),
        ("yiwang.catalogue.api", "/catalogue"),
        ("yiwang.applications.api", "/applications"),
        ("yiwang.cases.api", "/cases"),
        ("yiwang.halls.api", "/halls"),
    ]:
        try:
            mod = __import__(module, fromlist=["router"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        api.add_router(prefix, mod.router)


_mount()
