"""Django settings, read from the environment through the strict helpers in ``shinsa.config``.

Defaults give the embedded set-up (SQLite in WAL mode under ``var/``); production sets at least
``SECRET_KEY``, ``DATABASE_URL`` and ``SHINSA_DEBUG=false``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from shinsa.config import (
    ConfigError,
    check_database_url,
    env_bool,
    env_dir,
    env_int,
    env_list,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent

try:
    VAR_DIR = env_dir("SHINSA_VAR_DIR", Path.cwd() / "var")
    DEBUG = env_bool("SHINSA_DEBUG", True)
    # The development key only works with DEBUG on: production must provide its own.
    SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-shinsa-key-change-me" if DEBUG else None)
    DATABASE_URL = check_database_url(
        "DATABASE_URL", env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'shinsa.sqlite3'}")
    )
    MEDIA_ROOT = env_dir("SHINSA_MEDIA_ROOT", VAR_DIR / "media")
    POLICY_DIR = env_dir("SHINSA_POLICY_DIR", PACKAGE_DIR.parent / "policies")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
    WORKER_HEARTBEAT_SECONDS = env_int("SHINSA_WORKER_HEARTBEAT_SECONDS", 5, minimum=1, maximum=600)
    WORKER_STALE_SECONDS = env_int("SHINSA_WORKER_STALE_SECONDS", 30, minimum=2, maximum=3600)
    TASK_MAX_ATTEMPTS = env_int("SHINSA_TASK_MAX_ATTEMPTS", 3, minimum=1, maximum=50)
    AUDIT_SEAL_GRACE_SECONDS = env_int("SHINSA_AUDIT_SEAL_GRACE_SECONDS", 300, minimum=1)
    MAX_UPLOAD_BYTES = env_int("SHINSA_MAX_UPLOAD_MB", 64, minimum=1, maximum=4096) * 1024 * 1024
    MANIFEST_MAX_BYTES = env_int("SHINSA_MANIFEST_MAX_MB", 10, minimum=1, maximum=1024) * 1024 * 1024
    SIGN_IN_MAX_FAILURES = env_int("SHINSA_SIGN_IN_MAX_FAILURES", 5, minimum=1, maximum=100)
    SIGN_IN_WINDOW_SECONDS = env_int("SHINSA_SIGN_IN_WINDOW_SECONDS", 900, minimum=10, maximum=86400)
    SESSION_COOKIE_AGE = env_int("SHINSA_SESSION_HOURS", 12, minimum=1, maximum=24 * 14) * 3600
    LOG_FORMAT = env_str("SHINSA_LOG_FORMAT", "plain")
    WEBHOOK_MAX_ATTEMPTS = env_int("SHINSA_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1, maximum=30)
    WEBHOOK_RETRY_BASE_SECONDS = env_int("SHINSA_WEBHOOK_RETRY_BASE_SECONDS", 30, minimum=1, maximum=3600)
    WEBHOOK_TIMEOUT_SECONDS = env_int("SHINSA_WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1, maximum=60)
    # Single sign-on (OIDC): on when the issuer URL is set; see docs/security.md.
    OIDC_SERVER_URL = env_str("SHINSA_OIDC_SERVER_URL", "")
    OIDC_CLIENT_ID = env_str("SHINSA_OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = env_str("SHINSA_OIDC_CLIENT_SECRET", "")
    OIDC_NAME = env_str("SHINSA_OIDC_NAME", "Single sign-on")
    # Share of live review work that is gold (shinsa.quality): percent, placed by `shinsa place-gold`.
    GOLD_RATE_PERCENT = env_int("SHINSA_GOLD_RATE_PERCENT", 5, minimum=0, maximum=50)
    # On-call delivery: e-mail through Django's mailers (by default the file backend writing into
    # var/mail, so a trial can read the pages it sent; SMTP with SHINSA_EMAIL_BACKEND=smtp), and an
    # optional signed webhook.
    _EMAIL_BACKEND = env_str("SHINSA_EMAIL_BACKEND", "file" if DEBUG else "smtp")
    DEFAULT_FROM_EMAIL = env_str("SHINSA_FROM_EMAIL", "shinsa@localhost")
    SHINSA_BASE_URL = env_str("SHINSA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    SHINSA_ONCALL_WEBHOOK_URL = env_str("SHINSA_ONCALL_WEBHOOK_URL", "")
    SHINSA_ONCALL_WEBHOOK_SECRET = env_str("SHINSA_ONCALL_WEBHOOK_SECRET", SECRET_KEY)
    # Personal data retention (docs/operations.md): deactivated accounts are erased this long after
    # their last sign-in; reporters' contact data (none is stored today) is kept at most this long.
    RETAIN_INACTIVE_USER_DAYS = env_int("SHINSA_RETAIN_INACTIVE_USER_DAYS", 365, minimum=1, maximum=3650)
    RETAIN_REPORTER_DATA_DAYS = env_int("SHINSA_RETAIN_REPORTER_DATA_DAYS", 90, minimum=1, maximum=3650)
    # /metrics: readable from these addresses (exact IPs or CIDR networks), or with this bearer token.
    METRICS_ALLOWED_ADDRESSES = env_list("SHINSA_METRICS_ALLOWED", ["127.0.0.1", "::1"])
    METRICS_TOKEN = env_str("SHINSA_METRICS_TOKEN", "")
except ConfigError as error:
    raise ImproperlyConfigured(str(error)) from None

if _EMAIL_BACKEND == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("SHINSA_EMAIL_HOST", "localhost"),
                "port": env_int("SHINSA_EMAIL_PORT", 25, minimum=1, maximum=65535),
            },
        }
    }
elif _EMAIL_BACKEND == "file":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
else:
    raise ImproperlyConfigured(f"SHINSA_EMAIL_BACKEND must be file or smtp, not {_EMAIL_BACKEND!r}")

# Single sign-on through django-allauth's OpenID Connect provider (shinsa.accounts.sso): it links an
# identity to the existing account with the same verified e-mail, never creates accounts or grants
# roles. Password sign-in keeps working beside it.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
SOCIALACCOUNT_ADAPTER = "shinsa.accounts.sso.ShinsaSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # starting SSO is a POST from the sign-in page (CSRF-protected)
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_METHODS = {"username"}
SSO_PROVIDER_ID = "sso"
SSO_ENABLED = bool(OIDC_SERVER_URL)
if SSO_ENABLED and not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "SHINSA_OIDC_SERVER_URL needs SHINSA_OIDC_CLIENT_ID and SHINSA_OIDC_CLIENT_SECRET"
    )
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": SSO_PROVIDER_ID,
                "name": OIDC_NAME,
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {"server_url": OIDC_SERVER_URL, "token_auth_method": "client_secret_post"},
            }
        ]
        if SSO_ENABLED
        else [],
    }
}

# Second factor (django-otp TOTP): see shinsa.accounts.second_factor and docs/security.md.
OTP_TOTP_ISSUER = "Shinsa"
OTP_TOTP_THROTTLE_FACTOR = 1  # after each wrong code, wait 1, 2, 4, ... seconds before the next try

if SECRET_KEY.startswith("dev-insecure") and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be set to a secret value when SHINSA_DEBUG is false")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "shinsa.accounts",
    "shinsa.audit",
    "shinsa.policy",
    "shinsa.catalog",
    "shinsa.review",
    "shinsa.jobs",
    "shinsa.ratings",
    "shinsa.quality",
    "shinsa.media",
    "shinsa.api",
    "shinsa.web",
    "shinsa.demo",
    "shinsa.screening",
    "shinsa.labeling",
    "shinsa.insights",
    "shinsa.oncall",
    "shinsa.banks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "shinsa.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shinsa.web.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shinsa.web.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "shinsa.urls"
WSGI_APPLICATION = "shinsa.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=0 if url.startswith("sqlite") else 60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue on the busy timeout instead of failing with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
        name = Path(config["NAME"])
        name.parent.mkdir(parents=True, exist_ok=True)
        # A file (not :memory:) so tests can share the database with real worker processes.
        config["TEST"] = {"NAME": str(name.with_name(f"test-{name.stem}.sqlite3"))}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # psycopg prepares a statement a connection has run this many times. Only cursors with
        # server-side binding prepare (the claim statement, shinsa.review.claims: planning it costs more
        # than running it); Django's default client-side cursors never do. Django's default is never.
        config.setdefault("OPTIONS", {})["prepare_threshold"] = 5
    return config


DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "media", "audit"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # the console's CSS, JS and vendored files
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
MEDIA_URL = None  # media is never served from a public URL; views check entitlement first
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers and cookies: see docs/security.md. A shift is up to 12 hours; a session outlives
# neither the shift nor the browser.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # the console's JS never reads it; forms carry the token
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Strict: everything from our own origin, nothing inline (the console has no inline script or style;
# keep it so), no plugins, no framing, forms post only to us. Media is the same-origin player view.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if SSO_ENABLED:
    # Starting single sign-on posts to us and is redirected to the identity provider: browsers apply
    # form-action to that redirect, so the provider's origin must be allowed (docs/security.md).
    _sso = urlsplit(OIDC_SERVER_URL)
    SECURE_CSP["form-action"] = [CSP.SELF, f"{_sso.scheme}://{_sso.netloc}"]
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), fullscreen=(self), picture-in-picture=(self)"
)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see docs/security.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SHINSA_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes inside the cluster speak plain HTTP
    SECURE_HSTS_SECONDS = env_int("SHINSA_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SHINSA_HSTS_PRELOAD", True)  # consent only; submitting is manual

if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"SHINSA_LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # Every line passes through redaction (tokens, Authorization, passwords, SECRET_KEY) and
        # carries the request id.
        "redact": {"()": "shinsa.lib.redaction.RedactingFilter", "secrets": [SECRET_KEY]},
        "request_id": {"()": "shinsa.web.middleware.RequestIdLogFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "shinsa.lib.jsonlog.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("SHINSA_LOG_LEVEL", "INFO")},
    # Django's default config gives "django" its own console handler; route it through root only,
    # so each line prints once.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}
