from django.urls import path

from yiwang.accounts import views as auth_views

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/<int:announcement_id>/", views.announcement, name="announcement"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/register/", views.register, name="register"),
    path("account/", views.account, name="account"),
    path("account/reset/", auth_views.password_reset_complete, name="password_reset"),
    path("account/2fa/", auth_views.two_factor, name="two_factor"),
    path("account/2fa/enrol/", auth_views.two_factor_enrol, name="two_factor_enrol"),
]
