from django.urls import path

from . import views

app_name = "concierge"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("enterprises/<int:key_id>/", views.enterprise, name="enterprise"),
    path("figures/", views.figures, name="figures"),
    path("mine/", views.mine, name="mine"),
]
