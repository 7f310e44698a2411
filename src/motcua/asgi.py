"""The ASGI application `motcua run` serves (gunicorn's asyncio worker), behind the body and time limits
of core.serving."""

import os

from django.core.asgi import get_asgi_application

from motcua import conf
from motcua.core.serving import Guarded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = Guarded(
    get_asgi_application(),
    max_body=conf.value("MOTCUA_MAX_REQUEST_MB") * 1024 * 1024,
    timeout=conf.value("MOTCUA_REQUEST_TIMEOUT"),
)
