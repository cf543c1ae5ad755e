from django.urls import path
from django.utils.translation import gettext_noop

from . import views

app_name = "feedback"
urlpatterns = [
    # portal and the QR page
    path("rate/", views.rate, name="rate"),
    path("mine/", views.mine, name="mine"),
    path("rectifications/<int:case_id>/rate/", views.rectification_rate, name="rectification_rate"),
    # the window's rating pad and the clerk's console
    path("console/", views.console, name="console"),
    path("console/<int:window_id>/ask/", views.console_ask, name="console_ask"),
    path("console/<int:window_id>/cancel/", views.console_cancel, name="console_cancel"),
    path("pad/<int:window_id>/", views.pad, name="pad"),
    path("pad/<int:window_id>/state/", views.pad_state, name="pad_state"),
    path("pad/<int:window_id>/rate/", views.pad_rate, name="pad_rate"),
    # workbench
    path("forward/", views.forward, name="forward"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:review_id>/", views.review, name="review"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("rectifications/<int:case_id>/", views.rectification, name="rectification"),
    path("appeals/", views.appeals, name="appeals"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/<int:case_id>/", views.complaint, name="complaint"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/<str:fmt>/", views.report_file, name="report_file"),
]

NAV_STRINGS = (
    gettext_noop("Rate a service"),
    gettext_noop("Rate a service you received: at a window, online or by 12345"),
    gettext_noop("My reviews"),
    gettext_noop("Reviews"),
    gettext_noop("Satisfaction reviews with their automatic checks"),
    gettext_noop("Rectifications"),
    gettext_noop("Bad reviews to call back and rectify"),
    gettext_noop("Appeals"),
    gettext_noop("Complaints post"),
    gettext_noop("Rating pad"),
    gettext_noop("Forward a review"),
    gettext_noop("Service-quality reports"),
)
