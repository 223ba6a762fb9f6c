from django.urls import path

from kenes.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_otp_view, name="login-otp"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.create_token, name="token-create"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="token-revoke"),
    path("second-factor/", views.second_factor, name="second-factor"),
]
