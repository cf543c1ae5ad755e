from django.urls import path

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
    path("inbox/", views.inbox, name="inbox"),
    path("case/<int:case_id>/", views.case_page, name="case"),
    path("approvals/", views.approvals, name="approvals"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("figures/", views.figures, name="figures"),
]
