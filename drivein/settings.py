"""
Settings for Drive-in, read from the environment (django-environ).

Development works with no configuration at all: DEBUG on, SQLite in the checkout.
Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and usually DATABASE_URL;
see .env.example.
"""

import warnings
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: never used with DEBUG off (see above).
    SECRET_KEY = "django-insecure-development-key-for-drive-in-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A failed check answers in Danish: JSON to the phone's queue, a page to a browser.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

INSTALLED_APPS = [
    "core.admin_site.DriveinAdminConfig",  # django.contrib.admin on our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    "django_tasks_db",
    "drivein",
    "stops",
    "visits",
    "volunteers",
    "planning",
    "public_pages",
    "shifts",
    "api",
    "reach",
    "funders",
    "notifications",
    "webpush",
    # Demo data (seed_demo): above every app, under the project package.
    "demo",
]

MIDDLEWARE = [
    # Operations (core/observability.py, core/unavailable.py): the request id first,
    # so that every log line has it; a lost database answers 503, not a stack trace.
    "core.observability.RequestIdMiddleware",
    "core.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for the phones' slow links (Django's adds random bytes against BREACH).
    "core.compression.PageGZipMiddleware",
    "core.ratelimit.PathRateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "drivein.urls"

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
                "drivein.context_processors.role",
            ],
        },
    },
]

WSGI_APPLICATION = "drivein.wsgi.application"

# SQLite in the checkout unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers go on while a report is written; IMMEDIATE takes the
            # write lock at BEGIN so concurrent writers queue instead of failing.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    # Persistent connections for servers that want them (CONN_MAX_AGE=60 under gunicorn).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # DB_POOL_SIZE=N: a psycopg connection pool of up to N connections per process
    # (docs/production.md: workers x threads); replaces CONN_MAX_AGE.
    if env.int("DB_POOL_SIZE", default=0) > 0:
        # Settings-time and only with a pool: psycopg_pool is for PostgreSQL only.
        from psycopg_pool import ConnectionPool

        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": env.int("DB_POOL_SIZE"),
            "timeout": env.int("DB_POOL_TIMEOUT", default=10),
            # A connection the server closed (a PostgreSQL restart) is not handed out.
            "check": ConnectionPool.check_connection,
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Volunteers log in with their username or phone number and a password, or with a
# one-time link that a coordinator sends (django-sesame): it expires after 7 days
# and works once.
# django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "core.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "volunteers.backends.PhoneNumberBackend",
    "sesame.backends.ModelBackend",
]
SESAME_MAX_AGE = 60 * 60 * 24 * 7
SESAME_ONE_TIME = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Volunteers log in on their own phone and stay logged in for a season.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 120
# Django's database sessions, their read built once (core/sessions.py).
SESSION_ENGINE = "core.sessions"

# Danish first, English second.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# No public holidays, but most cafés close: planning warns of a visit on one
# (visits/holidays.py). "MM-DD" → the day's name; SPECIAL_DAYS="" in the environment
# for none, or e.g. SPECIAL_DAYS="12-24=Juleaftensdag,12-31=Nytårsaftensdag".
SPECIAL_DAYS = env.dict(
    "SPECIAL_DAYS",
    default={"12-24": "Juleaftensdag", "12-31": "Nytårsaftensdag", "06-05": "Grundlovsdag"},
)
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
FIRST_DAY_OF_WEEK = 1  # Monday

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve static files straight from static/ too, so tests and DEBUG need no collectstatic;
# with DEBUG off only the collected (hashed) files, as the manifest names them.
WHITENOISE_USE_FINDERS = DEBUG
# Before collectstatic, STATIC_ROOT does not exist yet; that is expected.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Content Security Policy (Django's own): no inline scripts or styles, nothing
# from other hosts. Templates that need an inline script use {{ csp_nonce }}.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Request bodies (forms, API JSON) are small here; refuse anything larger with a 400/413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=512 * 1024)

# How many reverse proxies (nginx, a load balancer) stand in front of the app: the
# client's address is then taken from X-Forwarded-For, as that many proxies wrote it.
# 0 means REMOTE_ADDR is the client. Login lockouts and rate limits key on it.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# The cache holds rate-limit and throttle counters. With DEBUG off they are shared by
# every process on the database (drivein_cache, made by migrate); CACHE_URL=redis://…
# shares them between machines. In development and tests: per process, in memory.
CACHES = {
    "default": env.cache(
        "CACHE_URL", default="locmemcache://drivein" if DEBUG else "dbcache://drivein_cache"
    )
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # Django's, with an increment that concurrent processes cannot lose (drivein/cache.py).
    # Expired counters are deleted past MAX_ENTRIES (each write counts the table's rows).
    CACHES["default"]["BACKEND"] = "drivein.cache.DatabaseCache"
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
elif CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that is down or unreachable costs a request one second, not a worker.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 1, "socket_timeout": 1}
    )

# Rate limits on the public pages and feeds, per client address: path prefix → rate
# ("number/second|minute|hour|day"). Answered with 429 and Retry-After.
PATH_RATE_LIMITS = {
    "/s/": env.str("RATE_LIMIT_PUBLIC_PAGES", default="60/minute"),
    "/calendar/": env.str("RATE_LIMIT_FEEDS", default="30/minute"),
    "/shared/": env.str("RATE_LIMIT_SHARE_LINKS", default="60/minute"),
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins, that
# username from that address is locked out for AXES_COOLOFF_TIME. Administrators
# unlock in the admin (Axes › Access attempts) or with `manage.py axes_reset`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Keep failed attempts only (for the lockout), not a log of every login and address.
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
# Every spelling of a phone number counts against one lockout.
AXES_USERNAME_CALLABLE = "volunteers.backends.lockout_username"
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Outgoing mail from EMAIL_URL (django-environ syntax); the console in development.
_mail = env.email("EMAIL_URL", default="consolemail://")
_MAIL_OPTIONS = {
    "django.core.mail.backends.smtp.EmailBackend": lambda: {
        "host": _mail["EMAIL_HOST"],
        "port": _mail["EMAIL_PORT"],
        "username": _mail["EMAIL_HOST_USER"],
        "password": _mail["EMAIL_HOST_PASSWORD"],
        "use_tls": _mail.get("EMAIL_USE_TLS", False),
        "use_ssl": _mail.get("EMAIL_USE_SSL", False),
    },
    # filemail:///var/mail/drivein: one file per message in that folder
    # (django-environ drops the path's leading "/", so it is read from the URL).
    "django.core.mail.backends.filebased.EmailBackend": lambda: {
        "file_path": urlsplit(env.str("EMAIL_URL")).path,
    },
}
MAILERS = {
    "default": {
        "BACKEND": _mail["EMAIL_BACKEND"],
        "OPTIONS": _MAIL_OPTIONS.get(_mail["EMAIL_BACKEND"], dict)(),
    }
}
# The console backend writes every mail, one-time login links included, into the
# server's log: never with DEBUG off.
if not DEBUG and MAILERS["default"]["BACKEND"].endswith("console.EmailBackend"):
    raise ImproperlyConfigured(
        "EMAIL_URL must be set when DEBUG is off (smtp+tls://user:password@host:587, or "
        "dummymail:// to send no mail): the console backend would print login links "
        "into the server's log."
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Drive-in <drivein@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API call is answered 401 with "WWW-Authenticate: Token".
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ScopedThrottle"],
    # Per token or user (per address when anonymous), for each scope.
    "DEFAULT_THROTTLE_RATES": {
        "read": env.str("API_RATE_READ", default="300/minute"),
        "write": env.str("API_RATE_WRITE", default="60/minute"),
        "token": env.str("API_RATE_TOKEN", default="10/minute"),
    },
    "NUM_PROXIES": NUM_PROXIES or None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Throttles, rate limits and the login lockout. THROTTLING=false switches all three off,
# for a load test only (make bench): one client address would otherwise hit them at once.
THROTTLING = env.bool("THROTTLING", default=True)
if not THROTTLING:
    REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []
    PATH_RATE_LIMITS = {}
    AXES_ENABLED = False
# The benchmark's floor view (/bench/floor/); never on in production (make bench sets it).
BENCH = env.bool("BENCH", default=False)

# Background work (filling road legs; notifications later): Django's tasks on a
# database queue (django-tasks-db), run by `manage.py db_worker` (make run starts it).
TASKS = {
    "default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}

# Notifications (docs/notifications.md): the channels by name (push adds "push").
NOTIFICATION_CHANNELS = {
    "email": "notifications.channels.email.EmailChannel",
    "sms": "notifications.channels.sms.SmsChannel",
    "push": "webpush.channel.PushChannel",
}
# SMS backend by URL: console://, file:///folder, locmem://, gatewayapi://TOKEN@gatewayapi.com
# Unset with DEBUG off: no SMS (the console would print numbers and texts into the log).
SMS_URL = env.str("SMS_URL", default="console://" if DEBUG else "")
SMS_SENDER = env.str("SMS_SENDER", default="DriveOut")
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=10.0)
# Edits to a visit closer together than this are told in one message.
NOTIFY_SETTLE_MINUTES = env.int("NOTIFY_SETTLE_MINUTES", default=10)
# A failed send is tried again after NOTIFY_RETRY_SECONDS x 4^(attempt-1), at most
# NOTIFY_MAX_ATTEMPTS times in all; then the centre's coordinators see it.
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=5)
NOTIFY_RETRY_SECONDS = env.int("NOTIFY_RETRY_SECONDS", default=60)
# How long a worker may take over one send before the tick treats it as interrupted.
NOTIFY_LEASE_SECONDS = env.int("NOTIFY_LEASE_SECONDS", default=300)
# How many notifications one task sends (several workers share a tick's tasks).
NOTIFY_BATCH = env.int("NOTIFY_BATCH", default=25)
# Coordinators: a visit short of people this many hours ahead; missing reports at this hour.
NOTIFY_UNDERSTAFFED_HOURS = env.int("NOTIFY_UNDERSTAFFED_HOURS", default=48)
NOTIFY_REPORT_MISSING_AT = env.str("NOTIFY_REPORT_MISSING_AT", default="08:00")

# API tokens are issued and revoked in the admin; they lapse after this many days.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=365)

SPECTACULAR_SETTINGS = {
    "TITLE": "Drive-in API",
    "DESCRIPTION": (
        "Routes, stops, visits and reports of Social Drive Out. Authenticate with "
        "`Authorization: Token <key>` (a token from the admin or from "
        "`POST /api/v1/auth/token/`) or with the browser session (writes need the CSRF token)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and its assets from drf-spectacular-sidecar, served here: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # validatorUrl None: Swagger UI would otherwise load a badge from another host.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {"VisitStatusEnum": "visits.choices.VisitStatus"},
}

# Planning: the road between two stops is the great-circle distance times
# ROAD_FACTOR, driven at RURAL_SPEED_KMH.
ROAD_FACTOR = env.float("ROAD_FACTOR", default=1.3)
RURAL_SPEED_KMH = env.float("RURAL_SPEED_KMH", default=60.0)
# Drive times on the road network (docs/roads.md): Valhalla in-process on tiles that
# `manage.py build_roads` makes in ROUTING_TILES_DIR, or a Valhalla server at
# ROUTING_URL. Neither set: the straight-line estimate above, labelled as one.
ROUTING_TILES_DIR = env.str("ROUTING_TILES_DIR", default="")
ROUTING_URL = env.str("ROUTING_URL", default="")
# A stop farther than this from any road is "no road" (metres).
ROUTING_SNAP_METRES = env.int("ROUTING_SNAP_METRES", default=1000)
# Map tiles (docs/roads.md says which services allow it); none: Denmark's outline only.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_ATTRIBUTION = env.str("MAP_ATTRIBUTION", default="")
if MAP_TILE_URL:  # the CSP lets the map load its tiles from that host ({s}. subdomains too)
    _tiles = urlsplit(MAP_TILE_URL.replace("{s}.", "*."))
    SECURE_CSP["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
# The national weekly target when no centre targets apply (15 centres x 12 stops x 7).
NATIONAL_WEEKLY_TARGET = env.int("NATIONAL_WEEKLY_TARGET", default=1260)

# The site's own address, for absolute links where there is no request (the weekly
# digest's e-mails): scheme and host, no trailing slash.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Web Push to the volunteers' phones (docs/push.md). The key pair signs every push
# (VAPID); make one with `manage.py vapid_keys`. With DEBUG off and no keys, push is
# off (the profile offers no button). The pair below is for development only.
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="mailto:drivein@localhost")
if DEBUG and not VAPID_PRIVATE_KEY and not VAPID_PUBLIC_KEY:
    VAPID_PRIVATE_KEY = "G9xTpQzCO-puvA_7ClMwLbcWiW34qjW9ev_bdLdoPZE"
    VAPID_PUBLIC_KEY = (
        "BBz7wgN13anHk8ZAinxj-s1-m3zmTtcX64hFRiEyMZkNqT_wPQ3beBprjHq251ibDdJx9o-8SULPbEJsW5oQMVI"
    )
# The server POSTs to the address a phone hands in: only to the browsers' push
# services (scheme://host, * for any part of a host name), never anywhere else.
WEBPUSH_ENDPOINT_HOSTS = env.list(
    "WEBPUSH_ENDPOINT_HOSTS",
    default=[
        "https://fcm.googleapis.com",
        "https://*.push.services.mozilla.com",
        "https://web.push.apple.com",
        "https://*.push.apple.com",
        "https://*.notify.windows.com",
    ],
)
# Seconds to wait for a push service; a message it cannot take now is tried again later.
WEBPUSH_TIMEOUT = env.float("WEBPUSH_TIMEOUT", default=10.0)
# How long a push service keeps a message for a phone that is off (seconds).
WEBPUSH_TTL = env.int("WEBPUSH_TTL", default=60 * 60 * 24)

# Operations (docs/operations.md) ---------------------------------------------------
# `manage.py backup` writes into BACKUP_DIR (a folder outside the checkout in production).
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")
# /healthz fails the worker check when a due task has waited longer than this (seconds).
HEALTH_WORKER_MAX_WAIT = env.int("HEALTH_WORKER_MAX_WAIT", default=300)
# A load balancer asks /healthz over plain HTTP on the server's own port.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Logs: plain lines, or LOG_FORMAT=json (one object per line); each with the request id.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT is plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Errors to Sentry (or a compatible service, e.g. GlitchTip) when SENTRY_DSN is set,
# with volunteers' contact data filtered out first (core.observability.scrub).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    # Only with SENTRY_DSN set (init_sentry imports the SDK).
    from core.observability import init_sentry

    init_sentry(SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default="production"))
