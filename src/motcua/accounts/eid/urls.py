"""Sign-in with the electronic ID (VNeID or another OpenID Connect provider): /tai-khoan/dinh-danh/."""

from django.urls import path

from . import views

app_name = "eid"

urlpatterns = [
    path("", views.start, name="start"),
    path("callback/", views.callback, name="callback"),
]
