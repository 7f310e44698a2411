"""Django settings. Every value an operator may change comes from `motcua.conf` (see `motcua config`)."""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from motcua import conf

BASE_DIR = conf.BASE_DIR
DATA_DIR = Path(conf.value("MOTCUA_DATA_DIR"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = conf.value("MOTCUA_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = conf.value("MOTCUA_DEBUG")
ALLOWED_HOSTS = conf.value("MOTCUA_ALLOWED_HOSTS")
SITE_URL = conf.value("MOTCUA_SITE_URL").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "motcua.core",
    "motcua.accounts",
    "motcua.catalogue",
    "motcua.dossiers",
    "motcua.feedback",
    "motcua.knowledge",
    "motcua.precheck",
    "motcua.assistant",
    "motcua.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "motcua.accounts.second_factor.middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "motcua.core.middleware.private_pages_not_stored",
    "axes.middleware.AxesMiddleware",  # last: it turns a locked-out sign-in into the lock-out page
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The portal's own sign-in and password pages (core/templates/registration/) before the admin's.
        "DIRS": [BASE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.core.context.site",
                "motcua.accounts.eid.views.eid_context",
            ],
        },
    },
]


def _databases() -> dict:
    url = conf.value("DATABASE_URL")
    if url:
        # A pool per process, not persistent connections: under the ASGI server each request runs in a
        # thread of its own, and a connection kept by a finished thread would never be reused.
        database = dj_database_url.parse(url)
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": conf.value("MOTCUA_DB_POOL_SIZE"),
            "timeout": 20,
        }
        return {"default": database}
    # SQLite tuned for a web server and a worker writing at once: WAL lets readers run beside the
    # writer, IMMEDIATE takes the write lock at BEGIN (no upgrade deadlocks), busy timeout waits.
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "motcua.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            # A file (the live-server browser tests need one), named per process so runs never collide.
            "TEST": {"NAME": DATA_DIR / f"test-{os.getpid()}.sqlite3"},
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
OFFICIAL_SECOND_FACTOR = conf.value("MOTCUA_OFFICIAL_SECOND_FACTOR")
OTP_TOTP_ISSUER = "motcua"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first; English and Arabic (right-to-left) alongside.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = conf.value("MOTCUA_TIME_ZONE")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
WHITENOISE_USE_FINDERS = True  # serve app static files straight from the package, no collectstatic step

# A file cache shared by the web workers (rate limits must hold across processes); no server needed.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache",
    }
}

EMBEDDER = conf.value("MOTCUA_EMBEDDER")
EMBEDDER_THREADS = conf.value("MOTCUA_EMBEDDER_THREADS")
EMBEDDER_QUERY_TOKENS = conf.value("MOTCUA_EMBEDDER_QUERY_TOKENS")
EMBEDDER_PASSAGE_TOKENS = conf.value("MOTCUA_EMBEDDER_PASSAGE_TOKENS")
KNOWLEDGE_INDEX = conf.value("MOTCUA_KNOWLEDGE_INDEX")
KNOWLEDGE_INDEX_URL = conf.value("MOTCUA_KNOWLEDGE_INDEX_URL")
RERANKER = conf.value("MOTCUA_RERANKER")

SEARCH_DIR = Path(conf.value("MOTCUA_SEARCH_DIR") or DATA_DIR / "index")

ASSISTANT_LLM = conf.value("MOTCUA_LLM")
ASSISTANT_LLM_URL = conf.value("MOTCUA_LLM_URL")
ASSISTANT_LLM_MODEL = conf.value("MOTCUA_LLM_MODEL")
ASSISTANT_LLM_KEY = conf.value("MOTCUA_LLM_KEY")
ASSISTANT_LLM_TIMEOUT = conf.value("MOTCUA_LLM_TIMEOUT")
ASSISTANT_RATE = conf.value("MOTCUA_ASSISTANT_RATE")
ASSISTANT_GLOSSARY = conf.value("MOTCUA_ASSISTANT_GLOSSARY")

_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[conf.value("MOTCUA_TASK_BACKEND")]}}
# The worker's resilience (motcua.core.tasks, docs/operations.md): heartbeats, retries, dead letters.
TASK_WORKER_LEASE = conf.value("MOTCUA_WORKER_LEASE")
TASK_ATTEMPTS = conf.value("MOTCUA_TASK_ATTEMPTS")
TASK_RETRY_SECONDS = conf.value("MOTCUA_TASK_RETRY_SECONDS")
TASK_HISTORY_DAYS = conf.value("MOTCUA_TASK_HISTORY_DAYS")
# Periodic jobs: each is enqueued once per interval across all workers (motcua.core.tasks.scheduler).
PERIODIC_TASKS = {
    "deadline-scan": {
        "task": "motcua.dossiers.tasks.scan_deadlines",
        "seconds": conf.value("MOTCUA_DEADLINE_SCAN_SECONDS"),
    },
    "task-retention": {"task": "motcua.core.tasks.retention.prune_history", "seconds": 24 * 3600},
    # skipped (with a warning) where no backup key is set; a production server then shows it failing
    "backup": {"task": "motcua.core.backup.tasks.scheduled_backup", "seconds": 24 * 3600},
}

EMAIL_BACKEND = conf.value("MOTCUA_EMAIL_BACKEND")
DEFAULT_FROM_EMAIL = "motcua <no-reply@motcua.invalid>"

EID_PROVIDER = conf.value("MOTCUA_EID_PROVIDER")
EID_ISSUER = conf.value("MOTCUA_EID_ISSUER")
EID_CLIENT_ID = conf.value("MOTCUA_EID_CLIENT_ID")
EID_CLIENT_SECRET = conf.value("MOTCUA_EID_CLIENT_SECRET")
EID_NAME = conf.value("MOTCUA_EID_NAME")
EID_SCOPES = conf.value("MOTCUA_EID_SCOPES")
EID_TOKEN_AUTH = conf.value("MOTCUA_EID_TOKEN_AUTH")
EID_ID_NUMBER_CLAIM = conf.value("MOTCUA_EID_ID_NUMBER_CLAIM")
EID_ACR_VALUES = conf.value("MOTCUA_EID_ACR_VALUES")
EID_TIMEOUT = conf.value("MOTCUA_EID_TIMEOUT")
EID_OFFICIALS = conf.value("MOTCUA_EID_OFFICIALS")

SIGNING_PKCS12 = conf.value("MOTCUA_SIGNING_PKCS12")
SIGNING_PASSWORD = conf.value("MOTCUA_SIGNING_PASSWORD")
SIGNER = conf.value("MOTCUA_SIGNER")
NOTIFIER = conf.value("MOTCUA_NOTIFIER")
PRECHECK_OCR = conf.value("MOTCUA_OCR")
MAX_UPLOAD_MB = conf.value("MOTCUA_MAX_UPLOAD_MB")
SUPPLEMENT_DAYS = conf.value("MOTCUA_SUPPLEMENT_DAYS")
DUE_WARNING_HOURS = conf.value("MOTCUA_DUE_WARNING_HOURS")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "motcua.api.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "600/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": "The public procedure catalogue (read-only) and dossiers (token or session authentication).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {"DossierStatusEnum": "motcua.dossiers.models.Status"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "motcua.api.schema.portable_integers",
    ],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
PRODUCTION = conf.value("MOTCUA_PRODUCTION")
TRUSTED_PROXIES = conf.value("MOTCUA_TRUSTED_PROXIES")
ALLOW_DEMO_SIGNER = conf.value("MOTCUA_ALLOW_DEMO_SIGNER")
CSRF_TRUSTED_ORIGINS = [
    origin
    for origin in dict.fromkeys([SITE_URL, *conf.value("MOTCUA_CSRF_TRUSTED_ORIGINS")])
    if "://" in origin
]
if PRODUCTION:  # HTTPS ends at the reverse proxy, which says so in X-Forwarded-Proto
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = conf.value("MOTCUA_HSTS_SECONDS")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's own probe speaks plain http
    SESSION_COOKIE_AGE = 8 * 3600  # a working day, not two weeks
# Submitting the domain to the browsers' HSTS preload list is the province's decision, not a default.
# SQLite ignores the covering columns of the open-dossier index (PostgreSQL uses them): by design.
SILENCED_SYSTEM_CHECKS = ["security.W021", "models.W040"]
# Only our own scripts, styles and images; no inline code (the pages have none), no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in lock-out (django-axes): by account and, separately, by address, for the admin sign-in too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = conf.value("MOTCUA_LOGIN_FAILURES")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=conf.value("MOTCUA_LOGIN_LOCKOUT_MINUTES"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "motcua.core.throttle.address_or_none"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "motcua.accounts.views.locked_out"
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "motcua.core.logmask.MaskPersonalData"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "motcua": {"handlers": ["console"], "level": conf.value("MOTCUA_LOG_LEVEL"), "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
