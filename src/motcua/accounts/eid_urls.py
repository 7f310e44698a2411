"""Sign-in with the electronic ID (VNeID or another OpenID Connect provider): /tai-khoan/dinh-danh/."""

from django.urls import path

from motcua.accounts import eid_views

app_name = "eid"

urlpatterns = [
    path("", eid_views.start, name="start"),
    path("callback/", eid_views.callback, name="callback"),
]
