from django.urls import path

from .views import citizen, dossier, workspace

app_name = "dossiers"
urlpatterns = [
    path("ho-so/", citizen.mine, name="mine"),
    path("ho-so/nop/<str:procedure_code>/", citizen.submit, name="submit"),
    path("ho-so/<str:code>/", dossier.detail, name="detail"),
    path("ho-so/<str:code>/xu-ly/<slug:action>/", dossier.act, name="act"),
    path("ho-so/<str:code>/thu-xin-loi/<int:pk>/duyet/", dossier.approve_apology, name="approve-apology"),
    path("ho-so/<str:code>/mau-<str:number>.pdf", dossier.form_pdf, name="form"),
    path("ho-so/<str:code>/tep/<int:pk>/", dossier.attachment, name="attachment"),
    path("ho-so/<str:code>/ket-qua.pdf", dossier.result, name="result"),
    path("tra-cuu/", citizen.track, name="track"),
    path("verify/<str:code>/<str:token>/", citizen.verify, name="verify"),
    path("can-bo/", workspace.workspace, name="workspace"),
    path("can-bo/so-theo-doi.xlsx", workspace.register, name="register"),
]
