from django.urls import path
from django.utils.translation import gettext_noop

from . import views

app_name = "construction"
urlpatterns = [
    # portal
    path("projects/", views.mine, name="mine"),
    path("projects/<int:case_id>/", views.project, name="project"),
    path("projects/<int:case_id>/stages/<int:stage>/", views.submit_stage, name="submit_stage"),
    # workbench
    path("board/", views.board, name="board"),
    path("board/<int:case_id>/", views.staff_project, name="staff_project"),
    path("figures/", views.figures, name="figures"),
]

# Strings of the navigation links this context adds to the portal's and workbench's include files.
NAV_STRINGS = (
    gettext_noop("Construction projects"),
    gettext_noop("深圳90: register a project, one form per stage, follow the parallel approvals"),
    gettext_noop("Project board"),
    gettext_noop("Construction projects by risk: least slack first"),
    gettext_noop("Project figures"),
)
