from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path


def health(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("motcua.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health),
] + i18n_patterns(
    path("", include("motcua.catalogue.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.precheck.urls")),
    path("", include("motcua.knowledge.urls")),
    path("", include("motcua.assistant.urls")),
    path("tai-khoan/dinh-danh/", include("motcua.accounts.eid_urls")),
    path("tai-khoan/", include("django.contrib.auth.urls")),
    prefix_default_language=False,
)
