from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def site(request):
    """Language links that keep the reader on the same page (they work without JavaScript)."""
    current = translation.get_language()
    links = [
        {
            "code": code,
            "name": translation.get_language_info(code)["name_local"],
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, _ in settings.LANGUAGES
    ]
    return {"language_links": links, "SITE_URL": settings.SITE_URL}
