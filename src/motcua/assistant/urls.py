from django.urls import path

from . import views

app_name = "assistant"
urlpatterns = [
    path("tro-ly/", views.chat, name="chat"),
    path("tro-ly/moi/", views.new, name="new"),
    path("tro-ly/lich-su/", views.history, name="history"),
    path("tro-ly/<int:pk>/", views.chat, name="conversation"),
    path("tro-ly/tra-loi/<int:pk>/danh-gia/", views.rate, name="rate"),
    path("tro-ly/<int:pk>/chuyen-can-bo/", views.handover, name="handover"),
]
