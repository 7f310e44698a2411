"""The ASGI application `motcua run` serves (gunicorn's asyncio worker), behind the body and time limits
of core.serving."""

import os

import django

from motcua import conf
from motcua.core.serving import Asgi, Guarded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
django.setup(set_prefix=False)
application = Guarded(
    Asgi(),
    max_body=conf.value("MOTCUA_MAX_REQUEST_MB") * 1024 * 1024,
    timeout=conf.value("MOTCUA_REQUEST_TIMEOUT"),
)
