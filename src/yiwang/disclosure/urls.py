from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    # portal
    path("apply/", views.file_request, name="file"),
    path("track/", views.track, name="track"),
    path("track/reply.pdf", views.reply_pdf, name="reply_pdf"),
    path("requests/<int:case_id>/withdraw/", views.withdraw, name="withdraw"),
    path("publications/", views.publications, name="publications"),
    # workbench
    path("inbox/", views.inbox, name="inbox"),
    path("requests/<int:case_id>/", views.request_page, name="request"),
    path("figures/", views.figures, name="figures"),
]
