from django.urls import path

from . import views

app_name = "precheck"
urlpatterns = [
    path("ho-so/<str:code>/kiem-tra/chay/", views.rerun, name="rerun"),
    path("ho-so/<str:code>/kiem-tra/phat-hien/<int:pk>/", views.decide, name="decide"),
    path("ho-so/<str:code>/kiem-tra/mau-02.pdf", views.form_02, name="form-02"),
    path("ho-so/<str:code>/kiem-tra/yeu-cau-bo-sung/", views.request_supplement, name="request"),
    path("ho-so/kiem-tra-truoc/ket-qua/<int:pk>/", views.try_result, name="try-result"),
    path("ho-so/kiem-tra-truoc/<str:procedure_code>/", views.try_submit, name="try"),
]
