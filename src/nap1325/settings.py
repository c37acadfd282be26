"""Django settings, read from the environment (see README "Configuration").

With nothing set, the platform runs on an embedded SQLite file inside the data directory
(``NAP1325_DATA_DIR``, default ``./var``) with a secret key generated once and kept there.
With ``DATABASE_URL=postgres://…`` it runs on PostgreSQL through psycopg 3.
With ``DEBUG`` off, a missing ``SECRET_KEY`` stops the start (no silent generated secret
in production).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" are true)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated environment variable."""
    raw = os.environ.get(name, "")
    items = [item.strip() for item in raw.split(",") if item.strip()]
    return items or default


DATA_DIR = Path(os.environ.get("NAP1325_DATA_DIR") or Path.cwd() / "var").resolve()
#: "embedded" (default: one machine, SQLite unless DATABASE_URL says otherwise, a generated
#: secret kept in DATA_DIR) or "production" (DEBUG must be off, SECRET_KEY and
#: ALLOWED_HOSTS must be given).
DEPLOYMENT = os.environ.get("NAP1325_ENV", "embedded").strip().lower() or "embedded"
if DEPLOYMENT not in {"embedded", "production"}:
    raise ImproperlyConfigured(
        f"NAP1325_ENV must be 'embedded' or 'production', not {DEPLOYMENT!r}."
    )
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    configured = os.environ.get("SECRET_KEY", "").strip()
    if DEPLOYMENT == "production":
        if DEBUG:
            raise ImproperlyConfigured("DEBUG must be off when NAP1325_ENV=production.")
        if not configured:
            raise ImproperlyConfigured("SECRET_KEY must be set when NAP1325_ENV=production.")
        if not os.environ.get("ALLOWED_HOSTS", "").strip():
            raise ImproperlyConfigured("ALLOWED_HOSTS must be set when NAP1325_ENV=production.")
    if configured:
        return configured
    # Embedded mode: a secret generated once and kept in the data directory.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Per-field plan content translations (title_en, title_ru, title_ky, …); before admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "nap1325.core",
    "nap1325.library",
    "nap1325.plans",
    "nap1325.monitoring",
    "nap1325.coordination",
    "nap1325.participation",
    "nap1325.interchange",
    "nap1325.reports",
    "nap1325.demo",
    "nap1325.portal",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "nap1325.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "nap1325.urls"
WSGI_APPLICATION = "nap1325.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

_default_sqlite = f"sqlite:///{DATA_DIR / 'nap1325.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_sqlite,
        # Persistent connections save 7–20 ms per request on PostgreSQL (docs/performance.md);
        # off in embedded mode, whose threaded server opens a thread per request.
        conn_max_age=int(
            os.environ.get("CONN_MAX_AGE", "60" if DEPLOYMENT == "production" else "0")
        ),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("ky", _("Kyrgyz"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Numbers and dates per locale: en "1,234.5", ru/ky "1 234,5" (non-breaking space);
# nap1325/formats/<lang>/formats.py override Django's own where they differ. Grouping is
# applied by the `number` filter (core/templatetags/nap1325.py), not by a global
# USE_THOUSAND_SEPARATOR, which would also group years, ids and anchors ("2 024").
FORMAT_MODULE_PATH = ["nap1325.formats"]
# Plan content (titles, descriptions, organisation names, …) is stored per language in
# columns <field>_en/_ru/_ky (django-modeltranslation). Pages read it through
# nap1325.core.content, which follows the plan's own chain (Plan.languages); this global
# chain is only what `obj.title` (e.g. __str__, audit labels) falls back to.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "ru", "ky")
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Static files are served by WhiteNoise; in embedded mode straight from the package,
# so the demo needs no collectstatic.
WHITENOISE_USE_FINDERS = DEPLOYMENT == "embedded"
if DEPLOYMENT == "embedded":
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
#: Largest evidence file accepted on an agency report, in bytes (default 10 MB). Evidence
#: is served only through a permission-checked view, never from MEDIA_URL.
NAP1325_EVIDENCE_MAX_BYTES = int(
    os.environ.get("NAP1325_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024))
)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "nap1325@localhost")

# Background tasks (DESIGN.md §7): django-tasks with its database backend; a worker runs
# them (`nap1325 db_worker`). NAP1325_TASKS=immediate runs them in the request instead.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("NAP1325_TASKS") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("NAP1325_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# REST API (issue 6 point 5; docs/api.md): token or session authentication, paginated
# lists, one error format, OpenAPI schema by drf-spectacular, docs from drf-spectacular-sidecar.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "nap1325.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "nap1325.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "nap1325.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NAP 1325 Platform API",
    "DESCRIPTION": (
        "Read the published content of National Action Plans on UNSC resolution 1325, "
        "and, with a token, what your role on a plan lets you see; focal points save and "
        "submit their agency's values. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "nap1325.plans.models.Plan.Status",
        "ActionStatusEnum": "nap1325.plans.models.Action.Status",
        "PeriodStateEnum": "nap1325.monitoring.models.ReportingPeriod.State",
        "ReportStateEnum": "nap1325.monitoring.models.AgencyReport.State",
    },
}
