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
    path("open/", views.proactive, name="proactive"),
    path("open/<int:item_id>/", views.proactive_item, name="proactive_item"),
    path("open/<int:item_id>/attachment", views.item_attachment, name="item_attachment"),
    path("normative/", views.normative, name="normative"),
    path("normative/<int:document_id>/", views.normative_document, name="normative_document"),
    # workbench
    path("inbox/", views.inbox, name="inbox"),
    path("requests/<int:case_id>/", views.request_page, name="request"),
    path("figures/", views.figures, name="figures"),
    path("figures/report.<str:fmt>", views.annual_report_file, name="annual_report"),
    path("office/items/", views.office_items, name="office_items"),
    path("office/items/<int:item_id>/", views.office_item, name="office_item"),
    path("office/register/", views.office_register, name="office_register"),
]
