from __future__ import annotations

from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from yiwang.core import views as core_views
from yiwang.web.admin_site import admin_site

from .api import api

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
    path("admin/", admin_site.urls),
    path("workbench/", include("yiwang.workbench.urls")),
    path("workdays/", include("yiwang.workdays.urls")),
    path("catalogue/", include("yiwang.catalogue.urls")),
    path("applications/", include("yiwang.applications.urls")),
    path("halls/", include("yiwang.halls.urls")),
    path("hotline/", include("yiwang.hotline.urls")),
    path("open311/v2/", include("yiwang.hotline.open311.urls")),
    path("construction/", include("yiwang.construction.urls")),
    path("messages/", include("yiwang.notifications.urls")),
    path("licences/", include("yiwang.licences.urls")),
    path("feedback/", include("yiwang.feedback.urls")),
    path("analytics/", include("yiwang.analytics.urls")),
    path("credit/", include("yiwang.credit.urls")),
    path("concierge/", include("yiwang.concierge.urls")),
    path("policies/", include("yiwang.policies.urls")),
    path("outreach/", include("yiwang.outreach.urls")),
    path("disclosure/", include("yiwang.disclosure.urls")),
    path("", include("yiwang.portal.urls")),
]

handler400 = "yiwang.core.views.bad_request"
handler403 = "yiwang.core.views.forbidden"
handler404 = "yiwang.core.views.not_found"
handler500 = "yiwang.core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
