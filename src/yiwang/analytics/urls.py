from django.urls import path
from django.utils.translation import gettext_noop

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/formula/", views.formula, name="formula"),
    path("staff/", views.staff, name="staff"),
    path("index/", views.index, name="index"),
    path("thirdparty/", views.thirdparty, name="thirdparty"),
]

NAV_STRINGS = (
    gettext_noop("Analysis"),
    gettext_noop("Workload, hot items, convenience, halls, windows and satisfaction"),
    gettext_noop("Assessment"),
    gettext_noop("My scores"),
    gettext_noop("Government-service index"),
)
