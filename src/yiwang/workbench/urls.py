from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people_page, name="people"),
    path("people/<int:person_id>/reveal/<str:field>/", views.reveal, name="reveal"),
]
