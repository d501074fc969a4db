"""CommonGround settings, read from the environment (see README "Configuration")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from commonground.accounts.domain.addresses import parse_trusted_proxies
from commonground.lib.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
# A checkout keeps its data in ./var beside pyproject.toml; an installed package in ./var
# of the folder it is started from (never inside site-packages).
_CHECKOUT = (BASE_DIR.parent / "pyproject.toml").is_file()
DATA_DIR = Path(
    env_str("COMMONGROUND_DATA_DIR", str((BASE_DIR.parent if _CHECKOUT else Path.cwd()) / "var"))
)

DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "insecure-development-key-only-for-local-use-never-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off (or set DEBUG=1 for local use)")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "commonground.accounts",
    "commonground.coalitions",
    "commonground.guide",
    "commonground.ecosystem",
    "commonground.assessments",
    "commonground.measurement",
    "commonground.governance",
    "commonground.funding",
    "commonground.voice",
    "commonground.systems",
    "commonground.reports",
    "commonground.web",
    "commonground.demo",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "commonground.web.middleware.DiskFullMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "commonground.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "commonground.coalitions.access.AccessPolicyMiddleware",
    "commonground.lib.request_memo.RequestMemoMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commonground.urls"
WSGI_APPLICATION = "commonground.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commonground.coalitions.context_processors.coalition_nav",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL", "")
# SQLite: write-ahead log (readers never wait for the writer), every transaction takes
# the write lock when it begins (IMMEDIATE: a transaction that read first cannot fail
# with "database is locked" when it then writes), and a writer waits up to 20 s for the
# lock instead of failing at once. Long imports keep their write transaction short.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASES = {
    "default": database_from_url(_database_url)
    if _database_url
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "commonground.sqlite3"}
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "derived": values derived from a coalition's data (the roadmap, the framework evidence,
# the counts behind them), kept across requests under the data's version, which every
# write changes (commonground.coalitions.freshness). In each process's memory: a process
# derives a value once per version; nothing to run beside the app.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "derived": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "commonground-derived",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # Whole pages kept per reader (coalitions.page_cache): a few hundred, about 10-300 KB
    # each, so a reader asking for endless variants of a page cannot fill the memory.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "commonground-pages",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "coalitions:choose"
LOGOUT_REDIRECT_URL = "accounts:login"
# Argon2id (accounts.hashers); PBKDF2 hashes from before still verify and are upgraded.
PASSWORD_HASHERS = [
    "commonground.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (RELIABILITY.md): 5 failures per (username, address) lock for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "commonground.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# One reading of the client's address (trusted proxies only) and of the typed address.
AXES_CLIENT_IP_CALLABLE = "commonground.accounts.protection.client_ip"
AXES_USERNAME_CALLABLE = "commonground.accounts.protection.axes_username"
# Our own throttles (commonground.accounts.protection): 20 attempts a minute per address;
# an account with 100 failures in the last hour (ASVS 2.2.1) refuses password sign-in
# from every address until the count drops; the owner gets in by resetting the password.
SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE = 20
ACCOUNT_FAILURES_PER_HOUR = 100
# A password-reset link works once, for an hour (Django's default is 3 days).
PASSWORD_RESET_TIMEOUT = 60 * 60
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
# Empty: the header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
parse_trusted_proxies(TRUSTED_PROXIES)  # a typo stops the server, naming the entry
# API tokens expire this many days after they are made.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)

# Sessions: 30 idle minutes, 12 hours at most from sign-in (enforced by SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = 30 * 60
# The idle clock restarts at most once a minute (accounts.middleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# Uploads: 10 MB a file (RELIABILITY.md); larger bodies are refused before a view runs.
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024 + 64 * 1024

# Background work (imports, big analyses): Django's tasks framework, stored in the database and
# run by `commonground db_worker` (the demo starts one beside its server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

INVITATION_DAYS = env_int("INVITATION_DAYS", 14, minimum=1)
# Days between two e-mails about one network survey to one partner (invitation or reminder).
SURVEY_REMINDER_DAYS = env_int("SURVEY_REMINDER_DAYS", 7, minimum=1)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_CONSOLE = "django.core.mail.backends.console.EmailBackend"
_mail_backend = env_str("EMAIL_BACKEND", _CONSOLE if DEBUG else _SMTP)
MAILERS = {
    "default": {
        "BACKEND": _mail_backend,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 587, minimum=1),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
        }
        if _mail_backend == _SMTP
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "commonground@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
