"""Settings shared by every environment.

Every value that differs between machines comes from the environment. With nothing set,
Haven runs on an embedded default: SQLite in ``var/`` and Celery's filesystem broker.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("HAVEN_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Widget templates come from the project's templates (TemplatesSetting, below).
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "outbox",
    "accounts",
    "policy",
    "deadlines",
    "system",
    "cases",
    "risk",
    "support",
    "transfers",
    "letters",
    "repairs",
    "enforcement",
    "subject_access",
    "dashboards",
    "retention",
    "twofactor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy on every response, static files and redirects included.
    "accounts.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their caching), around everything else.
    "system.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.CurrentOrganisationMiddleware",
    # The idle timeout, checked on every request; writes the session at most once a minute.
    "accounts.middleware.SessionIdleMiddleware",
    # Signs out a session older than HAVEN_SESSION_ABSOLUTE_SECONDS, active or not.
    "accounts.middleware.SessionLifetimeMiddleware",
    # /admin/ is a 404 to everyone but platform staff.
    "accounts.middleware.AdminForPlatformStaffMiddleware",
    # Nothing but signing in until the second factor is given (twofactor/middleware.py);
    # reads the session only once it has been.
    "twofactor.middleware.SecondFactorMiddleware",
    # Axes last: it must see the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.navigation",
            ],
            # Haven's one date-and-time filter, on every page without a {% load %} (issue 17).
            "builtins": ["policy.templatetags.uk_time"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'haven.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default shares one file between web, worker and beat: WAL lets readers
    # and one writer work together, and IMMEDIATE transactions queue writers instead of
    # failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiler spends more time compiling the dashboards' aggregates
        # than running them (0.65 s on one NM01 query with 100,000 cases); Haven's queries
        # are all short, so it only ever costs.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The managers' dashboard computes its sections on this many database connections at once
# (see dashboards/sections.py). SQLite has one file and one writer: one connection there.
HAVEN_DASHBOARD_THREADS = env.int(
    "HAVEN_DASHBOARD_THREADS",
    default=2 if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else 1,
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and sign-in ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# "Forgotten your password?" requests per hour, per e-mail address and per client address.
HAVEN_PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("HAVEN_PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
HAVEN_PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("HAVEN_PASSWORD_RESET_LIMIT_PER_CLIENT", default=10)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle timeout: the session lives 30 minutes from the last request, not from sign-in.
SESSION_COOKIE_AGE = env.int("HAVEN_SESSION_IDLE_SECONDS", default=30 * 60)
# Not every request: accounts.middleware.SessionIdleMiddleware writes the session at most
# once every HAVEN_SESSION_TOUCH_SECONDS (and whenever it changes) and checks the idle time on
# every request, so the timeout holds to the minute without a write per page.
SESSION_SAVE_EVERY_REQUEST = False
HAVEN_SESSION_TOUCH_SECONDS = env.int("HAVEN_SESSION_TOUCH_SECONDS", default=60)
# Absolute lifetime: signed out this long after signing in, however active (12 hours).
HAVEN_SESSION_ABSOLUTE_SECONDS = env.int("HAVEN_SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout after repeated failures (accounts/lockout.py). The database handler keeps working
# with Redis down. Failures count per account and client address together: anyone can type
# an officer's address, so locking the account alone would let them lock the officer out for
# the cool-off. Housing staff share office addresses, so locking the address alone would lock
# a whole office out after one person's typos. A guesser using many addresses meets the
# per-account ceiling, which locks the account everywhere.
AXES_HANDLER = "accounts.lockout.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = env.int("HAVEN_LOGIN_FAILURE_LIMIT", default=5)
HAVEN_LOGIN_ACCOUNT_FAILURE_CEILING = env.int("HAVEN_LOGIN_ACCOUNT_FAILURE_CEILING", default=30)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.permissions.login_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Two-factor sign-in (twofactor/): whether it is required and how long a device may be
# remembered are each organisation's policy settings; platform staff always need it.
HAVEN_REMEMBER_DEVICE_COOKIE = "haven_remember_device"
OTP_TOTP_ISSUER = "Haven"
# Wrong codes count toward the axes lockout; django-otp also makes each device wait
# 1, 2, 4, ... seconds after consecutive wrong codes.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Evidence and letters live in a private folder outside the web root. Nothing serves it
# directly: downloads go through views that check access. MEDIA_URL is deliberately unset.
PRIVATE_STORAGE_ROOT = env.path("HAVEN_PRIVATE_STORAGE_ROOT", default=str(VAR_DIR / "private"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(PRIVATE_STORAGE_ROOT),
            "base_url": None,
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
HAVEN_EVIDENCE_MAX_BYTES = env.int("HAVEN_EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
# Uploads are scanned by ClamAV's daemon when this is set (system/antivirus.py):
# tcp://host:3310 or unix:///run/clamav/clamd.ctl. Unset: no scanning (development).
HAVEN_CLAMD_ADDRESS = env.str("HAVEN_CLAMD_ADDRESS", default="")
HAVEN_CLAMD_TIMEOUT_SECONDS = env.int("HAVEN_CLAMD_TIMEOUT_SECONDS", default=30)

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Haven <no-reply@haven.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that stops answering fails the send within the outbox task's time limit.
EMAIL_TIMEOUT = env.int("HAVEN_EMAIL_TIMEOUT_SECONDS", default=20)

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_FOLDER = Path(
    env.str("HAVEN_BROKER_FOLDER", default=str(VAR_DIR / "celery" / "broker"))
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    (CELERY_BROKER_FOLDER / "control").mkdir(parents=True, exist_ok=True)
    # One folder for both directions: every producer and consumer on this machine shares it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("HAVEN_CELERY_DEFAULT_QUEUE", default="celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TIMEZONE = TIME_ZONE
# A letter task (render and e-mail one letter) is killed after this many seconds (the soft
# limit, 15 s earlier, fails the letter cleanly). A claim on a letter is a lease that ends
# 30 s after this limit, so a claim left by a worker that died is taken over within the
# limit plus the lease margin plus one letter sweep (letters/services/delivery.py).
HAVEN_LETTER_TASK_SECONDS = env.int("HAVEN_LETTER_TASK_SECONDS", default=60)
# Promises kept outside the case's deadlines that Team deadlines lists (deadlines/registry.py).
HAVEN_TEAM_DEADLINE_SOURCES = ["subject_access.selectors.team_deadlines"]
# A subject access bundle covers every case of one person: allowed longer than a letter.
HAVEN_SUBJECT_ACCESS_TASK_SECONDS = env.int("HAVEN_SUBJECT_ACCESS_TASK_SECONDS", default=120)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Security headers (tightened further in production.py) ---------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no Haven page uses (accounts.middleware.PermissionsPolicyMiddleware).
HAVEN_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CSRF_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The public form's privacy page states the organisation's retention schedule, read through
# this function of the retention app (cases.online does not import the apps above it).
HAVEN_PRIVACY_RETENTION = "retention.selectors.privacy_retention_lines"

# Every history row keeps the officer's reason whole (a TextField, not varchar(100)).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Widgets draw through the project's template engine, so templates/django/forms/ can override
# them once for every form: no "---------" choice, the day/month/year date entry (issue 17).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Logging: structured, and never personal data (log ids, not names) ---------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env.str("HAVEN_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# /readyz is 503 once beat's last heartbeat is this old (at the limit, not ready); by default
# three missed heartbeats. HAVEN_HEARTBEAT_SECONDS is read by config/celery.py as well.
HAVEN_HEARTBEAT_SECONDS = env.float("HAVEN_HEARTBEAT_SECONDS", default=60.0)
HAVEN_SCHEDULER_STALE_AFTER_SECONDS = env.float(
    "HAVEN_SCHEDULER_STALE_SECONDS", default=3 * HAVEN_HEARTBEAT_SECONDS
)

# Absolute links in e-mails (deadline reminders and digests).
HAVEN_SITE_URL = env.str("HAVEN_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# --- Cache (shared by every process: the public report form's rate limits live here) ------
# CACHE_URL wins; else a Redis broker is reused; else a file cache under var/.
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CELERY_BROKER_URL,
            "KEY_PREFIX": "haven-cache",
            # A Redis that stops answering fails fast instead of holding a request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Online reports from residents (C13) ----------------------------------------------------
HAVEN_REPORT_LIMIT_PER_ADDRESS = env.int("HAVEN_REPORT_LIMIT_PER_ADDRESS", default=5)
HAVEN_REPORT_LIMIT_PER_ORGANISATION = env.int("HAVEN_REPORT_LIMIT_PER_ORGANISATION", default=200)
# A person takes longer than this from the first question to "Send": faster is a bot.
HAVEN_REPORT_MIN_SECONDS = env.int("HAVEN_REPORT_MIN_SECONDS", default=10)
HAVEN_REPORT_UPLOAD_MAX_BYTES = env.int("HAVEN_REPORT_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# --- The client's address (accounts/network.py) ---------------------------------------------
# Behind a reverse proxy, the header it appends the client's address to (e.g.
# HTTP_X_FORWARDED_FOR). The right-most entry is used, or this many entries further left when
# more trusted proxies sit in front of Haven's own; entries left of that are the client's
# and never trusted. Unset: REMOTE_ADDR.
HAVEN_CLIENT_IP_HEADER = env.str("HAVEN_CLIENT_IP_HEADER", default="")
HAVEN_TRUSTED_PROXY_HOPS = env.int("HAVEN_TRUSTED_PROXY_HOPS", default=0)
