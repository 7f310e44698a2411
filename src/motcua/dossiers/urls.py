from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("ho-so/", views.mine, name="mine"),
    path("ho-so/nop/<str:procedure_code>/", views.submit, name="submit"),
    path("ho-so/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:code>/xu-ly/<slug:action>/", views.act, name="act"),
    path("ho-so/<str:code>/thu-xin-loi/<int:pk>/duyet/", views.approve_apology, name="approve-apology"),
    path("ho-so/<str:code>/mau-<str:number>.pdf", views.form_pdf, name="form"),
    path("ho-so/<str:code>/tep/<int:pk>/", views.attachment, name="attachment"),
    path("ho-so/<str:code>/ket-qua.pdf", views.result, name="result"),
    path("tra-cuu/", views.track, name="track"),
    path("verify/<str:code>/<str:token>/", views.verify, name="verify"),
    path("gop-y/", views.feedback, name="feedback"),
    path("can-bo/", views.workspace, name="workspace"),
    path("can-bo/so-theo-doi.xlsx", views.register, name="register"),
]
