"""The WSGI application, for a WSGI server in front of motcua instead of `motcua run`'s ASGI one (the
body-size cap is then that server's or its proxy's: see docs/production.md)."""

import os

import django

from motcua.core.serving import Wsgi

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
django.setup(set_prefix=False)
application = Wsgi()
