from django.urls import path

from . import views

app_name = "licences"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("shared/<str:token>/", views.shared, name="shared"),
    path("types/<str:code>/sample.pdf", views.type_sample, name="type_sample"),
    path("wallet/", views.wallet, name="wallet"),
    path("<int:licence_id>/", views.detail, name="detail"),
    path("<int:licence_id>/pdf/", views.licence_pdf_view, name="pdf"),
    path("<int:licence_id>/share/", views.share, name="share"),
    path("desk/", views.desk, name="desk"),
    path("desk/issuances/<int:issuance_id>/", views.issue, name="issue"),
    path("desk/licences/<int:licence_id>/", views.manage, name="manage"),
]
