"""Every page names the site's icon, and the file is there: no favicon 404 on every page load."""

import re

from django.conf import settings
from django.contrib.staticfiles import finders


def test_every_page_names_an_icon_that_exists(client, db):
    for path in ("/", "/tra-cuu/", "/en/", "/ar/"):
        page = client.get(path).content.decode()
        found = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
        assert found, path
        name = found.group(1).removeprefix(settings.STATIC_URL)
        icon = finders.find(name)
        assert icon and open(icon, encoding="utf-8").read().startswith("<svg"), name
