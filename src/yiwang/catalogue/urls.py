from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.index, name="index"),
    path("pick/", views.pick, name="pick"),
    path("report/", views.report, name="report"),
    path("items/<str:code>/", views.guide, name="guide"),
    path("items/<str:code>/guide.pdf", views.guide_pdf_view, name="guide_pdf"),
    path("items/<str:code>/history/", views.history, name="history"),
    path("items/<str:code>/files/<str:name>/", views.item_file, name="file"),
]
