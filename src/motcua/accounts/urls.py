"""A citizen's own account: /tai-khoan/dang-ky/ (sign-up) and the e-mail link that opens it."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("dang-ky/", views.sign_up, name="sign-up"),
    path("dang-ky/da-gui/", views.sign_up_sent, name="sign-up-sent"),
    path("xac-minh/<str:uidb64>/<str:token>/", views.verify_email, name="verify"),
    path("hai-buoc/", views.second_factor_verify, name="second-factor"),
    path("hai-buoc/thiet-lap/", views.second_factor_setup, name="second-factor-setup"),
]
