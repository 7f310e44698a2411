from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path

from motcua.accounts.views import LoginView, PasswordResetView


def health(request):
    """Database, worker heartbeat, periodic jobs, queue depth and dead letters; 503 when one is down.
    Unauthenticated: counts and ages only (see docs/operations.md)."""
    from motcua.core.tasks.health import report

    ok, body = report()
    response = JsonResponse(body, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("motcua.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health),
] + i18n_patterns(
    path("", include("motcua.catalogue.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.feedback.urls")),
    path("", include("motcua.precheck.urls")),
    path("", include("motcua.knowledge.urls")),
    path("", include("motcua.assistant.urls")),
    path("tai-khoan/dinh-danh/", include("motcua.accounts.eid.urls")),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("tai-khoan/login/", LoginView.as_view(), name="login"),
    path("tai-khoan/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("tai-khoan/", include("django.contrib.auth.urls")),
    prefix_default_language=False,
)
