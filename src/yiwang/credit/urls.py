from django.urls import path

from . import views

app_name = "credit"
urlpatterns = [
    # workbench
    path("records/", views.records, name="records"),
    path("subjects/<int:subject_id>/", views.subject, name="subject"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:batch_id>/", views.import_detail, name="import"),
    path("figures/", views.figures, name="figures"),
    # portal
    path("rules/", views.rules, name="rules"),
    path("mine/", views.mine, name="mine"),
]
