from django.urls import path
from django.utils.translation import gettext_noop

from . import views

app_name = "policies"
urlpatterns = [
    # portal
    path("calculator/", views.calculator, name="calculator"),
    path("p/<str:code>/", views.detail, name="detail"),
    # workbench
    path("manage/", views.manage, name="manage"),
    path("manage/<str:code>/", views.edit, name="edit"),
    path("notices/<int:notice_id>/", views.notice, name="notice"),
    path("notices/<int:notice_id>/notify/", views.notify, name="notify"),
]

NAV_STRINGS = (
    gettext_noop("Policy calculator"),
    gettext_noop("Which support policies your enterprise qualifies for, how much, and how to apply"),
    gettext_noop("Policies and rules"),
)
