from django.urls import path
from django.utils.translation import gettext_noop

from . import views

app_name = "applications"
urlpatterns = [
    # portal
    path("progress/", views.progress, name="progress"),
    path("items/", views.items, name="items"),
    path("apply/<str:code>/", views.start, name="start"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:case_id>/", views.detail, name="detail"),
    path("notices/<int:notice_id>/", views.notice_pdf, name="notice"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    # workbench
    path("reception/", views.reception, name="reception"),
    path("assist/", views.assist, name="assist"),
    path("assisted/", views.assisted, name="assisted"),
    path("inbox/", views.inbox, name="inbox"),
    path("case/<int:case_id>/", views.case_page, name="case"),
    path("approvals/", views.approvals, name="approvals"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("figures/", views.figures, name="figures"),
]

# Strings of the navigation links this context adds to the portal's and workbench's include files
# (kept here so message extraction for this context finds them).
NAV_STRINGS = (
    gettext_noop("Apply, upload, follow progress, answer corrections"),
    gettext_noop("Case number and the last 4 characters of the ID, no sign-in"),
    gettext_noop("One window: any item of this hall's level or 通办"),
    gettext_noop("Open cases sorted by time left"),
    gettext_noop("Refusals, rejections and extensions waiting for you"),
)
