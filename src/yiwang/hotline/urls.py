from django.urls import path
from django.utils.translation import gettext_noop

from . import views

app_name = "hotline"
urlpatterns = [
    # portal
    path("file/", views.file_online, name="file"),
    path("follow/", views.follow, name="follow"),
    # workbench
    path("intake/", views.intake, name="intake"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("board/", views.board, name="board"),
    path("inbox/", views.inbox, name="inbox"),
    path("escalations/", views.escalations, name="escalations"),
    path("tickets/", views.search, name="search"),
    path("tickets/<int:case_id>/", views.ticket, name="ticket"),
    path("tickets/<int:case_id>/reveal/", views.reveal, name="reveal"),
    path("figures/", views.figures, name="figures"),
    path("map/", views.ticket_map, name="map"),
]

# Strings of the navigation links this context adds to the portal's and workbench's include files.
NAV_STRINGS = (
    gettext_noop("12345 hotline"),
    gettext_noop("File a request with the 12345 hotline, follow it and rate the answer"),
    gettext_noop("Follow a hotline ticket"),
    gettext_noop("Take a call"),
    gettext_noop("Record a call on one screen, with likely duplicates"),
    gettext_noop("Callbacks"),
    gettext_noop("Dispatch board"),
    gettext_noop("Unassigned, returned, due soon and overdue tickets"),
    gettext_noop("Hotline inbox"),
    gettext_noop("This office's tickets by time left"),
    gettext_noop("Hotline escalations"),
    gettext_noop("Hotline figures"),
    gettext_noop("Hotline tickets"),
)
