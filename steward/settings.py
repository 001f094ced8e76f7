"""One settings module, driven by environment variables with safe development defaults.

Production (DEBUG unset or 0 with STEWARD_ENV=production) must pass `manage.py check --deploy`: secrets,
hosts and the database come from the environment and the security flags below switch on.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from steward import bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("STEWARD_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

if PRODUCTION and not os.environ.get("SECRET_KEY"):
    raise RuntimeError("SECRET_KEY must be set when STEWARD_ENV=production")
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-9f2c1e7a5b3d4c6e8a0b")
# Old keys still accepted for sessions and signatures while a new SECRET_KEY rolls out (deploy/RUNBOOK.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# --- Applications: public schema (shared) vs one schema per enterprise (tenant) ---------------------------
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "frontend",  # before viewflow, so our templates (registration/login.html) win
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_prometheus",
    "viewflow",
    "steward",
    "steward.factors",
    "steward.compliance.reference",
    # Trigger-based history of mutable regulated tables (steward/history.py); event tables are per tenant.
    "pgtrigger",
    "pghistory",
    "steward.oversight",
    "steward.register",  # the city register of enterprises, its bulk feeds and 速算 (one table, not a schema each)
    "steward.budget",  # 企业碳预算 of register enterprises (with or without a workspace), adjustments, burn-down
    "steward.integrations",  # API tokens, webhooks, e企管 bridge (rows bound to one enterprise each)
    "steward.banking",  # what consenting enterprises show banks (碳效贷), each bank read in the access log
]
# Regulated records live only in tenant schemas, so a task that forgot its tenant fails closed
# (RELIABILITY.md §2.2).
TENANT_APPS = [
    "django.contrib.contenttypes",
    "steward.evidence",
    "steward.carbon",
    "steward.quality",
    "steward.filing",
    "steward.compliance",
    "steward.documents",  # copy-of-record store (app label "reports", see its AppConfig)
    "steward.annual",
    "steward.intake",
    "steward.pollution",
    "steward.handoff",  # the national platform 存证 hand-off and its receipts
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Workspace"
TENANT_DOMAIN_MODEL = "tenants.WorkspaceDomain"
TENANT_SUBFOLDER_PREFIX = "e"
# New enterprises are cloned from a migrated template schema instead of running every migration.
TENANT_BASE_SCHEMA = "tenant_template"
# History events are rows that must not change either; context (user, URL) goes on the event as JSON.
PGHISTORY_APPEND_ONLY = True
# Request context (user, URL) only for methods that write: pghistory prepends a set_config to every statement
# it covers, which doubled the round trips of every workspace GET (bench/api_load.py). GETs write nothing, and
# services name their author themselves (steward.history.attributed).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PGHISTORY_INSTALL_CONTEXT_FUNC_ON_MIGRATE = False
TENANT_CREATION_FAKES_MIGRATIONS = True
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Control characters in the path, query or form fields are refused before the tenant lookup sees them.
    "steward.edge.middleware.EdgeMiddleware",
    "tenants.routing.TenantSubfolderMiddleware",  # upstream's, keeping each workspace's URL resolver
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "steward.history.WorkspaceHistoryMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "steward.logging.RequestContextMiddleware",
    "tenants.middleware.WorkspaceAccessMiddleware",
    "steward.oversight.middleware.AccessLogMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "steward.urls_workspace"
PUBLIC_SCHEMA_URLCONF = "steward.urls"
WSGI_APPLICATION = "steward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each frontend area keeps its pages beside its views: frontend/<area>/templates/frontend/<area>/.
        "DIRS": sorted(BASE_DIR.glob("frontend/*/templates")),
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "frontend.context_processors.navigation",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------------
if PRODUCTION and not os.environ.get("DATABASE_URL"):
    raise RuntimeError("DATABASE_URL must be set when STEWARD_ENV=production")
DATABASES = {
    "default": dj_database_url.parse(
        bootstrap.ensure_database_url(),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# django-tenants issues a session-level SET search_path: never put a transaction-pooling PgBouncer in front
# (RELIABILITY.md §2.1). It sets the path once per schema change (TENANT_LIMIT_SET_CALLS), not on every cursor:
# every request and tenant task selects its schema first, and the backend forgets the cached path on close,
# rollback and savepoint rollback (tests/tenants/test_search_path_cache.py proves each case). Half the
# statements of a list request were `SET search_path` before.
TENANT_LIMIT_SET_CALLS = True
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth: global users in the public schema, access decided per request by tenants.access -------------
AUTH_USER_MODEL = "tenants.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/home/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = 60 * 60 * 8

# --- Internationalisation: Simplified Chinese first, English second -------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "frontend" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files and evidence -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Development serves static files straight from the apps; production serves the collected, hashed copies.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Evidence files never get a public URL: they are written below EVIDENCE_ROOT/<schema>/ and served only by
# an authorised view (RELIABILITY.md §2.4).
EVIDENCE_ROOT = Path(os.environ.get("EVIDENCE_ROOT", BASE_DIR / ".data" / "evidence"))
# Behind nginx, set to its internal location (e.g. /_protected_evidence/) to send files with X-Accel-Redirect.
EVIDENCE_X_ACCEL_PREFIX = os.environ.get("EVIDENCE_X_ACCEL_PREFIX", "")
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Spreadsheet imports: the upload itself, and what its ZIP may expand to (zip bombs are refused before parsing).
INTAKE_MAX_BYTES = int(os.environ.get("INTAKE_MAX_BYTES", str(10 * 1024 * 1024)))
# Bulk feeds of the register (a year of the grid company's electricity for the city is ~100 MB of CSV).
REGISTER_FEED_MAX_BYTES = int(os.environ.get("REGISTER_FEED_MAX_BYTES", str(512 * 1024 * 1024)))
INTAKE_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("INTAKE_MAX_UNCOMPRESSED_BYTES", str(100 * 1024 * 1024)))

# --- Cache: keys carry the schema name so tenants never collide (RELIABILITY.md §2.3) ---------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if REDIS_URL
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": REDIS_URL or "steward",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# --- Celery: real broker with REDIS_URL, otherwise in-process (eager) so the demo needs no broker ---------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "close-expired-engagements": {"task": "tenants.close_expired_engagements", "schedule": 60 * 60 * 6},
    "filing-deadline-notices": {"task": "filing.deadline_notices", "schedule": 60 * 60 * 24},
    "annual-report-deadline-notices": {"task": "annual.deadline_notices", "schedule": 60 * 60 * 24},
    "intake-discard-stale-uploads": {"task": "intake.discard_stale_uploads", "schedule": 60 * 60 * 24},
    # Tasks the broker refused while it was down (tenants/outbox.py)
    "relay-queued-tasks": {"task": "tenants.relay_queued_tasks", "schedule": 60},
    "retry-failed-deliveries": {"task": "tenants.retry_failed_deliveries", "schedule": 60 * 10},
    # A register year whose newest grading run has not read every batch, or used older factors (steward/register)
    "register-regrade-stale": {"task": "register.regrade_stale", "schedule": 60 * 5},
}

# --- Notices beyond the inbox (tenants/channels.py) -------------------------------------------------------
# E-mail: SMTP when EMAIL_HOST is set; otherwise (demo, development) each message is written as a file under
# .data/mail/ so nothing is sent by accident and the demo still shows what would go out.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
    EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", BASE_DIR / ".data" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "湖州碳管家 <noreply@localhost>")
STEWARD_SITE_URL = os.environ.get("STEWARD_SITE_URL", "http://127.0.0.1:8000")
# Dotted paths of classes with send(address, subject, body); empty: the channel is not connected.
STEWARD_SMS_ADAPTER = os.environ.get("STEWARD_SMS_ADAPTER", "")
STEWARD_ZZD_ADAPTER = os.environ.get("STEWARD_ZZD_ADAPTER", "")

# --- REST API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "steward.integrations.api_auth.WorkspaceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["steward.integrations.api_auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": os.environ.get("API_TOKEN_RATE", "600/min")},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "steward.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "COERCE_DECIMAL_TO_STRING": True,
    # JSON read within DATA_UPLOAD_MAX_MEMORY_SIZE and a nesting limit, numbers as Decimal (steward.edge).
    "DEFAULT_PARSER_CLASSES": [
        "steward.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Every refusal as {field: [{code, message}]} (docs/api.md).
    "EXCEPTION_HANDLER": "steward.api.errors.exception_handler",
}
# The first year whose accounting months may be entered (steward.edge.periods).
FIRST_REPORTING_YEAR = int(os.environ.get("FIRST_REPORTING_YEAR", "2013"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Carbon Steward API",
    "DESCRIPTION": "碳管家 / 环保管家 platform API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Monitoring: /metrics answers these networks (CIDR, comma-separated) or a bearer of METRICS_TOKEN ------
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# --- Machine integrations: webhooks (signed, retried) and the e企管 file drop (docs/eqiguan.md) -----------
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", not PRODUCTION)
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env_bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", not PRODUCTION)
EQIGUAN_DROP_DIR = os.environ.get("EQIGUAN_DROP_DIR", "")
EQIGUAN_SIGNING_KEY = os.environ.get("EQIGUAN_SIGNING_KEY", SECRET_KEY)

# --- Security (all on in production; `manage.py check --deploy` must be clean) --------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# The content security policy is set by steward.logging.RequestContextMiddleware (no inline scripts).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# Swagger UI bootstraps itself with an inline script.
CONTENT_SECURITY_POLICY_EXEMPT_PREFIXES = ("/api/docs/",)

# --- Logging: one JSON object per line, with request id, tenant and user ---------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "steward.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
    },
}

# --- Error reporting: Sentry only when a DSN is configured ----------------------------------------------
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    from steward.logging import scrub_sentry_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("STEWARD_ENV", "development"),
        send_default_pii=False,
        before_send=scrub_sentry_event,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
