from __future__ import annotations

from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from yiwang.core import views as core_views
from yiwang.core.admin_site import admin_site

from .api import api

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
    path("admin/", admin_site.urls),
    path("workbench/", include("yiwang.workbench.urls")),
    path("", include("yiwang.portal.urls")),
]

# Later contexts add their pages here (they are optional so each issue can land on its own).
for _module, _prefix in [
    ("yiwang.workdays.urls", "workdays/"),
    ("yiwang.catalogue.urls", "catalogue/"),
    ("yiwang.applications.urls", "applications/"),
    ("yiwang.halls.urls", "halls/"),
]:
    try:
        __import__(_module)
    except ModuleNotFoundError as exc:
        if exc.name != _module:
            raise
        continue
    urlpatterns.insert(-1, path(_prefix, include(_module)))

handler400 = "yiwang.core.views.bad_request"
handler403 = "yiwang.core.views.forbidden"
handler404 = "yiwang.core.views.not_found"
handler500 = "yiwang.core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
