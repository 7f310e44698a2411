from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .dossiers import DossierViewSet
from .search import SearchView
from .views import FieldViewSet, ProcedureViewSet

router = DefaultRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("fields", FieldViewSet, basename="field")
router.register("dossiers", DossierViewSet, basename="dossier")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("search", SearchView.as_view(), name="search"),
]
