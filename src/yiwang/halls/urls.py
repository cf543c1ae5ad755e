from django.urls import path

from . import views

app_name = "halls"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("me/appointments/", views.my_appointments, name="appointments"),
    path("appointments/<str:code>/", views.appointment_page, name="appointment"),
    path("appointments/<str:code>/cancel/", views.appointment_cancel, name="cancel"),
    path("appointments/<str:code>/reschedule/", views.appointment_reschedule, name="reschedule"),
    path("tickets/<uuid:token>/", views.ticket_page, name="ticket"),
    path("tickets/<uuid:token>/print/", views.ticket_print, name="ticket_print"),
    path("console/", views.console_page, name="console"),
    path("console/<int:window_id>/<str:action>/", views.console_action, name="console_action"),
    path("figures/", views.figures_page, name="figures"),
    path("setup/", views.setup_page, name="setup"),
    path("<str:code>/", views.hall_page, name="hall"),
    path("<str:code>/book/", views.book_page, name="book"),
    path("<str:code>/take/", views.take_page, name="take"),
    path("<str:code>/board/", views.board_page, name="board"),
    path("<str:code>/kiosk/", views.kiosk_page, name="kiosk"),
]
