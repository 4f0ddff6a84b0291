"""Settings for the test suite.

The database and broker come from the environment as usual: CI points them at PostgreSQL
and Redis; without them the suite runs on SQLite and the filesystem broker.
"""

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env

DEBUG = False
SECRET_KEY = "haven-test-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In-process tests read mail.outbox; a real worker started by a test writes files instead.
EMAIL_BACKEND = env.str(
    "HAVEN_TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = env.str("HAVEN_TEST_EMAIL_FILE_PATH", default=str(VAR_DIR / "test-mail"))
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
STORAGES["default"]["OPTIONS"]["location"] = env.str(  # noqa: F405
    "HAVEN_TEST_PRIVATE_ROOT", default=str(VAR_DIR / "test-private")
)
# The disk-fault experiment (tests/faults/) swaps in a storage that fails like a full disk.
STORAGES["default"]["BACKEND"] = env.str(  # noqa: F405
    "HAVEN_TEST_STORAGE_BACKEND",
    default=STORAGES["default"]["BACKEND"],  # noqa: F405
)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a real Celery worker started by a test sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-haven.sqlite3")}

# Unit tests run tasks in-process; tests of the real worker switch this off.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True

LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Each test starts with empty rate-limit counters; production shares Redis or a file cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env.str("HAVEN_TEST_CACHE_REDIS_URL", default=""):
    # The fault experiments (tests/faults/) run a web server whose cache is a Redis they stop.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("HAVEN_TEST_CACHE_REDIS_URL"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
HAVEN_REPORT_MIN_SECONDS = 0
# A test's data is in a transaction other connections cannot see; the dashboards' threaded
# run has its own transactional test.
HAVEN_DASHBOARD_THREADS = 1
