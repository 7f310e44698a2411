"""Small response policies that apply to every page."""

from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path

# Pages that can show a dossier or a person even to a visitor (tracking by code and ID number).
PRIVATE_PREFIXES = ("/ho-so/", "/tra-cuu/", "/api/", "/tro-ly/", "/can-bo/", "/tai-khoan/", "/admin/")


def private_pages_not_stored(get_response):
    """`Cache-Control: no-store` on anything personal: every page of a signed-in user, every API answer
    and the look-up pages, so neither a shared computer's browser nor a proxy keeps a copy. The API's
    answers also vary by the Authorization header."""

    def middleware(request):
        response = get_response(request)
        path = request.path
        if language := get_language_from_path(path):  # /en/tra-cuu/ is the same page as /tra-cuu/
            path = path.removeprefix(f"/{language}")
        user = getattr(request, "user", None)
        personal = path.startswith(PRIVATE_PREFIXES) or bool(user and user.is_authenticated)
        if personal and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        if request.path.startswith("/api/"):
            vary = response.get("Vary", "")
            if "authorization" not in vary.lower():
                response["Vary"] = f"{vary}, Authorization" if vary else "Authorization"
        return response

    return middleware
