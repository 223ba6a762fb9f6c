"""Settings of Kenes, read from the environment.

Demo mode (``KENES_DEMO=1``, what ``make run`` sets) works on a bare machine: SQLite under ``var/``, a
generated secret key kept under ``var/``, mail printed to the console, no second factor required.
Production mode (the default) fails fast on a missing ``SECRET_KEY`` or ``ALLOWED_HOSTS`` and turns on
every transport-security setting, so that ``manage.py check --deploy`` has nothing to say.
"""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEMO = env.bool("KENES_DEMO", default=False)
DEBUG = env.bool("KENES_DEBUG", default=False)
VAR_DIR = Path(env.str("KENES_VAR_DIR", default=str(BASE_DIR / "var")))


def _secret_key() -> str:
    """The secret key: from the environment, or in demo mode generated once and kept under var/."""
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not DEMO:
        raise ImproperlyConfigured("SECRET_KEY must be set outside demo mode (KENES_DEMO=1).")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Encrypts secrets kept in the database (second-factor seeds). Its own setting, so that rotating
# SECRET_KEY (sessions, tokens in links) does not lock every user out of the second factor; when
# unset it is derived from SECRET_KEY.
KENES_FIELD_KEY = env.str("KENES_FIELD_KEY", default="")
KENES_FIELD_KEY_FALLBACKS = env.list("KENES_FIELD_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEMO else [])
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set outside demo mode.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "kenes.core",
    "kenes.accounts",
    "kenes.directory",
    "kenes.council",
    "kenes.control",
    "kenes.strategy",
    "kenes.threats",
    "kenes.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kenes.core.middleware.AuditContextMiddleware",
    "kenes.accounts.middleware.SecondFactorMiddleware",
]

ROOT_URLCONF = "kenes.urls"
WSGI_APPLICATION = "kenes.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kenes" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kenes.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kenes.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so the audit chain's head is never read
    # by two writers at once; WAL lets readers go on while a write is in progress.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("KENES_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout: this many failures for one username within the window refuse every further try.
KENES_LOGIN_MAX_FAILURES = env.int("KENES_LOGIN_MAX_FAILURES", default=5)
KENES_LOGIN_WINDOW_MINUTES = env.int("KENES_LOGIN_WINDOW_MINUTES", default=15)
KENES_TOKEN_TTL_HOURS = env.int("KENES_TOKEN_TTL_HOURS", default=24 * 30)
KENES_DEMO_PASSWORD = env.str("KENES_DEMO_PASSWORD", default="kenes-demo-2026")
# Outside demo mode users cleared secret and above must enrol a TOTP second factor.
KENES_REQUIRE_SECOND_FACTOR = env.bool("KENES_REQUIRE_SECOND_FACTOR", default=not DEMO)
KENES_IMPORT_TIMEOUT_MINUTES = env.int("KENES_IMPORT_TIMEOUT_MINUTES", default=120)
KENES_MAX_UPLOAD_BYTES = env.int("KENES_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
KENES_BASE_URL = env.str("KENES_BASE_URL", default="")
KENES_STRATEGY_IMPORT_MAX_ROWS = env.int("KENES_STRATEGY_IMPORT_MAX_ROWS", default=50_000)

SESSION_COOKIE_AGE = env.int("KENES_SESSION_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from a meta tag, not the cookie
CSRF_FAILURE_VIEW = "kenes.core.errors.csrf_failure"  # the styled page, in the reader's language
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("KENES_MAX_REQUEST_BYTES", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

if not DEMO and not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("KENES_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("KENES_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.bool("KENES_BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

LANGUAGE_CODE = env.str("KENES_LANGUAGE", default="kk")
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "kenes" / "locale"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "kenes" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
WHITENOISE_USE_FINDERS = DEMO or DEBUG
MEDIA_ROOT = Path(env.str("KENES_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# The append-only file where the daily job anchors the audit chain's head outside the database
# (``kenes.core.audit.anchor_head``); keep it, or a copy of it, where the database's users cannot write.
KENES_AUDIT_ANCHOR_FILE = Path(env.str("KENES_AUDIT_ANCHOR_FILE", default=str(VAR_DIR / "audit-anchors.jsonl")))

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEMO else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kenes@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Two queues, each served by its own worker process (see docs/operations.md): ``default`` for short
# work (imports, e-mails, the daily control job), ``forecasts`` for the long forecast runs.
TASKS = {
    "default": {
        "BACKEND": env.str("KENES_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "forecasts"],
    }
}
# Every task runs under its queue's time limit (seconds); one past it is stopped and marked failed.
KENES_TASK_TIME_LIMITS = {
    "default": env.int("KENES_TASK_TIME_LIMIT", default=30 * 60),
    "forecasts": env.int("KENES_FORECAST_TIME_LIMIT", default=60 * 60),
}
# A queued import or forecast run says it is waiting for the worker after this many seconds.
KENES_TASK_WAITING_SECONDS = env.int("KENES_TASK_WAITING_SECONDS", default=60)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("KENES_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

KENES_SITE_NAME = _("Kenes")
