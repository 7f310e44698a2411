from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [path("gop-y/", views.feedback, name="form")]
