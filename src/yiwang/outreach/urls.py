from django.urls import path
from django.utils.translation import gettext_noop

from . import views

app_name = "outreach"
urlpatterns = [
    path("visits/", views.visits, name="visits"),
    path("visits/<int:visit_id>/", views.visit, name="visit"),
    path("screenings/", views.screenings, name="screenings"),
    path("figures/", views.figures, name="figures"),
    path("register/import/", views.register_import, name="import"),
]

NAV_STRINGS = (
    gettext_noop("Outreach visits"),
    gettext_noop("Residents of your community who qualify for a benefit and have not applied"),
    gettext_noop("Outreach screenings"),
    gettext_noop("Outreach figures"),
    gettext_noop("Import residents"),
)
