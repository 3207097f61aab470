"""Settings for the OE21 portal, read from the environment (one `env` object).

Without DATABASE_URL the portal runs in its demo configuration: SQLite in the project folder,
Celery tasks run eagerly in the web process. The settings fail closed: DEBUG is off unless
DJANGO_DEBUG=1 (scripts/demo and scripts/test set it), and without DEBUG there is no default
SECRET_KEY — the portal refuses to start. Production sets DATABASE_URL, REDIS_URL (or
CELERY_BROKER_URL), SECRET_KEY and ALLOWED_HOSTS; see README.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The demo configuration is the one without a database server.
DEMO_MODE = not env.str("DATABASE_URL", default="")

if DEBUG:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="demo-only-insecure-key-never-use-in-production-0123456789abcdef"
    )
else:
    # No default: a production deployment without a key must fail loudly.
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
]
LOCAL_APPS = [
    "oe21.apps.Oe21Config",
    "prioritization",
    "opportunities",
    "requirements_specs",
    "metrics",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "oe21.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless a view says otherwise; the REST API answers
    # anonymous requests itself, with 401 and a JSON body.
    "oe21.middleware.PortalLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form sent twice is saved once (a one-off token in every form).
    "oe21.submit_once.SubmitOnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: refuses sign-ins after repeated failures.
    "axes.middleware.AxesMiddleware",
]

# Sign-in is throttled (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one user name
# from one address, that pair is locked out for LOGIN_LOCKOUT_MINUTES; a success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "oe21.auth.PortalModelBackend",
]

# Sign-in with the organisation's directory (LDAP or Active Directory), when LDAP_SERVER_URI is set:
# directory accounts sign in with their directory password, their role comes from the directory
# groups named in LDAP_ROLE_GROUPS, and local accounts (e.g. the admin) still sign in as before.
# See oe21/directory_config.py, oe21/directory.py and README ("Sign-in with the directory").
LDAP_SERVER_URI = env.str("LDAP_SERVER_URI", default="")
if LDAP_SERVER_URI:
    from .directory_config import directory_settings

    globals().update(directory_settings(env))
    AUTHENTICATION_BACKENDS.insert(1, "oe21.directory.DirectoryBackend")
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): scripts and everything else only from the portal itself
# (no inline script: page behaviour is in static/*.js, chart data in JSON blocks). Inline styles
# stay allowed: plotly.js styles the charts it draws. The API's Swagger page needs its inline script.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "oe21.urls"
WSGI_APPLICATION = "oe21.wsgi.application"

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
                "oe21.context_processors.portal",
            ],
            "builtins": ["oe21.templatetags.submit_once", "oe21.templatetags.words", "oe21.templatetags.lists"],
        },
    },
]

# The cache: Redis shared by every web worker and the Celery workers when CACHE_URL is set (in
# production, e.g. redis://redis-host:6379/1); otherwise each process keeps its own in memory.
# It holds only results keyed by their inputs (the review's correlations), so nothing goes stale.
CACHE_URL = env("CACHE_URL", default="")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
          if CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",  # plotly.js: the cartesian bundle (static/vendor/plotly), the only chart types used
]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: a real Redis broker when one is configured, otherwise tasks run eagerly.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL.startswith("redis")
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A request that cannot reach the broker answers at once; the task waits in the outbox (oe21.outbox).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1, "socket_timeout": 5,
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A running job that has reported no progress for this long lost its worker (oe21.outbox.sweep).
JOB_STALE_AFTER = env.int("JOB_STALE_AFTER", default=600)
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "oe21.tasks.sweep_outbox", "schedule": 60.0},
    "recompute-measures-nightly": {
        "task": "metrics.tasks.recompute_measures_nightly",
        "schedule": crontab(hour=2, minute=15),
    },
    "refresh-risk-nightly": {
        "task": "metrics.tasks.refresh_risk_nightly",
        "schedule": crontab(hour=2, minute=45),
    },
    "monthly-review-reminder": {
        "task": "metrics.tasks.send_review_reminder",
        "schedule": crontab(hour=7, minute=0),
    },
}
# The monthly review is held on this day of the month after the month reviewed.
METRICS_REVIEW_DAY = env.int("METRICS_REVIEW_DAY", default=15)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="oe21-portal@localhost")
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oe21.api.authentication.PmsTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "oe21.api.schema.ExportAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OE21 Customer Engagement export",
    "DESCRIPTION": (
        "Read-only export of the OE21 3.2 Customer Engagement portal to the Performance Measurement "
        "System. Authenticate with `Authorization: Token <key>`. Every list is ordered by "
        "(updated_at, id), paged with a cursor, and filterable by `updated_since`; pass the "
        "`server_time` of a read as `updated_since` of the next one. `<table>/deleted/?since=` lists "
        "removed rows; `?format=csv` returns CSV; `<table>/export/` streams the whole table as CSV."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# A survey invitation's personal link works this many days after it is sent.
SURVEY_LINK_DAYS = env.int("SURVEY_LINK_DAYS", default=30)

# Imports larger than this many rows run as a background job with a progress bar.
IMPORT_SYNC_MAX_ROWS = env.int("IMPORT_SYNC_MAX_ROWS", default=300)
IMPORT_MAX_FILE_BYTES = env.int("IMPORT_MAX_FILE_BYTES", default=10 * 1024 * 1024)
# Offering documents (Task 3.2.5) are protected files: served only by the portal, to signed-in users.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every sign-in at INFO; its lock-outs are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
