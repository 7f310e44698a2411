from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/qr.svg", views.procedure_qr, name="procedure-qr"),
    path("bieu-mau/<slug:code>.pdf", views.form_pdf, name="form-pdf"),
]
