"""ClipGuard settings, read from the environment (django-environ).

The embedded default needs nothing: a SQLite file, Celery's SQLAlchemy transport on a
SQLite file, a local media folder and the bundled reference CLIP. Production
(``CLIPGUARD_ENV=production``) reads ``DATABASE_URL``, ``CELERY_BROKER_URL`` and the rest
and refuses to start without a real ``SECRET_KEY`` (or ``SECRET_KEY_FILE``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured

# Lets admin and queryset classes take type parameters at run time (for mypy).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

CLIPGUARD_ENV: str = env.str("CLIPGUARD_ENV", default="development")
if CLIPGUARD_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("CLIPGUARD_ENV must be development, test or production")
PRODUCTION = CLIPGUARD_ENV == "production"

VAR_DIR = Path(env.str("CLIPGUARD_VAR_DIR", default=str(BASE_DIR / "var")))


def _secret(name: str, *, dev_default: str) -> str:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE``; no default in production."""
    file_path = env.str(f"{name}_FILE", default="")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    value: str = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set in production")
    return dev_default


SECRET_KEY = _secret("SECRET_KEY", dev_default="django-insecure-clipguard-development-only")
if PRODUCTION and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production (40+ random characters)")

DEBUG: bool = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "testserver"]
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "axes",
    "clipguard.accounts",
    "clipguard.datasets",
    "clipguard.consent",
    "governance",
    "inference",
    "audit",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused by the lockout into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clipguard.urls"
WSGI_APPLICATION = "clipguard.wsgi.application"
ASGI_APPLICATION = "clipguard.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'clipguard.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web and worker processes share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("TEST", {})
if env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"]["NAME"] = env.str("TEST_DATABASE_NAME")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
# Uploads wait here until the filters have run; nothing serves this folder.
QUARANTINE_ROOT = Path(env.str("QUARANTINE_ROOT", default=str(VAR_DIR / "quarantine")))

LOGIN_URL = "admin:login"

# The lockout's checking backend first (it authenticates nobody), then Django's own.
AUTHENTICATION_BACKENDS = [
    "clipguard.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Login lockout (django-axes) --------------------------------------------------------
# After CLIPGUARD_LOGIN_FAILURE_LIMIT failed password logins for one username from one
# client address, that pair is refused (HTTP 429, even with the right password) until
# CLIPGUARD_LOGIN_COOLOFF_MINUTES have passed without another attempt. Other usernames, and
# the same username from elsewhere, are not affected. API keys are not password logins.
CLIPGUARD_LOGIN_FAILURE_LIMIT: int = env.int("CLIPGUARD_LOGIN_FAILURE_LIMIT", default=5)
CLIPGUARD_LOGIN_COOLOFF_MINUTES: int = env.int("CLIPGUARD_LOGIN_COOLOFF_MINUTES", default=15)
if CLIPGUARD_LOGIN_FAILURE_LIMIT < 1 or CLIPGUARD_LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured(
        "CLIPGUARD_LOGIN_FAILURE_LIMIT and CLIPGUARD_LOGIN_COOLOFF_MINUTES must be at least 1"
    )
# Reverse proxies in front of ClipGuard that append the client's address to
# X-Forwarded-For. 0 (the default): the connection's address is the client's, and
# X-Forwarded-For is never read (a client could write anything there).
CLIPGUARD_TRUSTED_PROXIES: int = env.int("CLIPGUARD_TRUSTED_PROXIES", default=0)
if CLIPGUARD_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("CLIPGUARD_TRUSTED_PROXIES must be 0 or more")
AXES_ENABLED = True
AXES_CLIENT_IP_CALLABLE = "clipguard.accounts.lockout.client_address"
AXES_FAILURE_LIMIT = CLIPGUARD_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=CLIPGUARD_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_CALLABLE = "clipguard.accounts.lockout.lockout_response"
# Attempts are counted under the keyed hash of the username, never the name itself, and
# keep neither user agent nor Accept header (clipguard.accounts.lockout).
AXES_USERNAME_CALLABLE = "clipguard.accounts.lockout.lockout_username"
AXES_HANDLER = "clipguard.accounts.lockout.LockoutHandler"
# No log of successful logins (the ledger records them, without address or user agent)
# and no permanent log of failures (the ledger records them too).
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Masked in axes' log lines and in the form data it keeps with an attempt.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "user_agent", "csrfmiddlewaretoken"]

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Uploads and image safety -------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CLIPGUARD_MAX_UPLOAD_BYTES: int = env.int("CLIPGUARD_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
CLIPGUARD_MAX_IMAGE_PIXELS: int = env.int("CLIPGUARD_MAX_IMAGE_PIXELS", default=40_000_000)
CLIPGUARD_MAX_LABELS: int = env.int("CLIPGUARD_MAX_LABELS", default=100)

# --- Models -------------------------------------------------------------------------
CLIPGUARD_MODEL_DIR = Path(
    env.str(
        "CLIPGUARD_MODEL_DIR", default=str(BASE_DIR / "inference" / "reference_model" / "weights")
    )
)
CLIPGUARD_MODEL_ID: str = env.str("CLIPGUARD_MODEL_ID", default="clipguard-reference-clip")
CLIPGUARD_INFERENCE_BATCH_SIZE: int = env.int("CLIPGUARD_INFERENCE_BATCH_SIZE", default=16)
CLIPGUARD_TORCH_THREADS: int = env.int("CLIPGUARD_TORCH_THREADS", default=1)

# --- Privacy filters ----------------------------------------------------------------
CLIPGUARD_PII_HASH_SALT = _secret("CLIPGUARD_PII_HASH_SALT", dev_default="clipguard-dev-salt")
CLIPGUARD_FACE_OBSCURE_MODE: str = env.str("CLIPGUARD_FACE_OBSCURE_MODE", default="fill")
CLIPGUARD_FILTER_TIME_LIMIT: int = env.int("CLIPGUARD_FILTER_TIME_LIMIT", default=120)

# --- Records of processing (GDPR Art. 30) ---------------------------------------------
# Empty values show as "unset" in the report, so an operator notices them.
CLIPGUARD_CONTROLLER_NAME: str = env.str("CLIPGUARD_CONTROLLER_NAME", default="")
CLIPGUARD_CONTROLLER_CONTACT: str = env.str("CLIPGUARD_CONTROLLER_CONTACT", default="")
CLIPGUARD_DPO_CONTACT: str = env.str("CLIPGUARD_DPO_CONTACT", default="")

# --- Audit ---------------------------------------------------------------------------
AUDIT_SIGNING_KEY_FILE = Path(
    env.str("AUDIT_SIGNING_KEY_FILE", default=str(VAR_DIR / "keys" / "audit-signing.key"))
)
AUDIT_CHECKPOINT_DIR = Path(env.str("AUDIT_CHECKPOINT_DIR", default=str(VAR_DIR / "checkpoints")))
# A record may commit this long after records with higher ids were sealed (long transactions).
AUDIT_LATE_COMMIT_GRACE_SECONDS: int = env.int("AUDIT_LATE_COMMIT_GRACE_SECONDS", default=900)
AUDIT_CLOCK_SKEW_SECONDS: int = env.int("AUDIT_CLOCK_SKEW_SECONDS", default=60)
# Log retention (EU AI Act Art. 12/26: at least six months); audit_prune refuses less.
AUDIT_RETENTION_DAYS: int = env.int("AUDIT_RETENTION_DAYS", default=183)

# --- Celery --------------------------------------------------------------------------
CELERY_BROKER_URL: str = env.str(
    "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}"
)
# Tests and side-by-side deployments sharing one broker keep their queues apart by prefix.
CLIPGUARD_QUEUE_PREFIX: str = env.str("CLIPGUARD_QUEUE_PREFIX", default="")
CELERY_TASK_DEFAULT_QUEUE = f"{CLIPGUARD_QUEUE_PREFIX}filters"
CELERY_TASK_ROUTES = {
    "inference.filter_asset": {"queue": f"{CLIPGUARD_QUEUE_PREFIX}filters"},
    "inference.run_job": {"queue": f"{CLIPGUARD_QUEUE_PREFIX}models"},
    "inference.run_job_chunk": {"queue": f"{CLIPGUARD_QUEUE_PREFIX}models"},
    "audit.seal": {"queue": f"{CLIPGUARD_QUEUE_PREFIX}audit"},
}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The SQLAlchemy transport hands every transport option to create_engine(): give it none.
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {} if CELERY_BROKER_URL.startswith("sqla+") else {"polling_interval": 0.2}
)

# --- REST API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "clipguard.accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "clipguard.api_errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_THROTTLE_RATE", default="6000/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ClipGuard API",
    "DESCRIPTION": "Privacy-governed CLIP jobs for business units.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
