"""Settings for the real worker and server processes the tests start: motcua's own, on the test's
database (SQLite file or PostgreSQL test database), with the test's mail server and media folder."""

import os

from motcua.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["MOTCUA_TEST_DATABASE"]  # noqa: F405
MEDIA_ROOT = os.environ.get("MOTCUA_TEST_MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405
if os.environ.get("MOTCUA_TEST_SMTP_PORT"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = "127.0.0.1"
    EMAIL_PORT = int(os.environ["MOTCUA_TEST_SMTP_PORT"])
    EMAIL_TIMEOUT = 2
if os.environ.get("MOTCUA_TEST_MAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["MOTCUA_TEST_MAIL_DIR"]
