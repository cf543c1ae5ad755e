from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.year_page, name="calendar"),
    path("<int:year>/", views.year_page, name="year"),
    path("calculator/", views.calculator, name="calculator"),
    path("manage/", views.manage, name="manage"),
    path("clocks/<int:clock_id>/", views.clock_page, name="clock"),
]
