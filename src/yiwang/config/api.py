"""The JSON API: one NinjaAPI at /api/, each context mounting its router here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from yiwang.accounts.api import router as accounts_router
from yiwang.analytics.api import router as analytics_router
from yiwang.applications.api import router as applications_router
from yiwang.audit.api import router as audit_router
from yiwang.cases.api import router as cases_router
from yiwang.catalogue.api import router as catalogue_router
from yiwang.concierge.api import router as concierge_router
from yiwang.construction.api import router as construction_router
from yiwang.credit.api import router as credit_router
from yiwang.disclosure.api import router as disclosure_router
from yiwang.feedback.api import router as feedback_router
from yiwang.halls.api import router as halls_router
from yiwang.hotline.api import router as hotline_router
from yiwang.licences.api import router as licences_router
from yiwang.notifications.api import router as notifications_router
from yiwang.outreach.api import router as outreach_router
from yiwang.policies.api import router as policies_router
from yiwang.portal.api import router as portal_router
from yiwang.web.api import install_error_handlers
from yiwang.workdays.api import router as workdays_router

api = NinjaAPI(
    title="Yiwang API",
    version="1.0",
    description=str(
        _(
            "Internet + government services: catalogue, cases, halls, the 12345 hotline and more. "
            "Other systems may also file and follow hotline tickets through Open311 GeoReport v2 at "
            "/open311/v2/ (services, services/{code}, requests, requests/{id}, tokens/{token}; .json or .xml; "
            "POST requests form-encoded with an api_key issued by an administrator)."
        )
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

api.add_router("/", accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/workdays", workdays_router)
api.add_router("/catalogue", catalogue_router)
api.add_router("/applications", applications_router)
api.add_router("/cases", cases_router)
api.add_router("/halls", halls_router)
api.add_router("/hotline", hotline_router)
api.add_router("/construction", construction_router)
api.add_router("/disclosure", disclosure_router)
api.add_router("/notifications", notifications_router)
api.add_router("/licences", licences_router)
api.add_router("/feedback", feedback_router)
api.add_router("/analytics", analytics_router)
api.add_router("/credit", credit_router)
api.add_router("/concierge", concierge_router)
api.add_router("/policies", policies_router)
api.add_router("/outreach", outreach_router)
api.add_router("/portal", portal_router)
