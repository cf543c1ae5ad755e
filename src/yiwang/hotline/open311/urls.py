"""Open311 GeoReport v2, mounted at /open311/v2/ (each resource by its format suffix)."""

from django.urls import re_path

from . import views

app_name = "open311"
FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})$"
urlpatterns = [
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[A-Za-z0-9_-]{1,40})" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests_, name="requests"),
    re_path(r"^requests/(?P<request_id>[A-Za-z0-9_-]{1,40})" + FMT, views.request_one, name="request"),
    re_path(r"^tokens/(?P<token>[A-Za-z0-9_-]{1,40})" + FMT, views.token, name="token"),
]
