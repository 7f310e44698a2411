from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [path("tra-cuu-tri-thuc/", views.search, name="search")]
