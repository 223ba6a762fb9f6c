"""Settings for the test suite: the real settings in demo mode, plus a small app of test records."""

import os
import tempfile

os.environ.setdefault("KENES_DEMO", "1")
os.environ.setdefault("SECRET_KEY", "kenes-test-secret-key-" + "x" * 48)
os.environ.setdefault("KENES_VAR_DIR", tempfile.mkdtemp(prefix="kenes-test-"))

from kenes.settings import *  # noqa: F403
from kenes.settings import INSTALLED_APPS, VAR_DIR

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
MEDIA_ROOT = VAR_DIR / "media"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Background tasks run at once in tests, so a test sees their effect; the worker's own path is the
# database backend of the product settings (the worker tests start ``db_worker`` on these settings
# with KENES_TEST_TASKS_BACKEND naming it).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("KENES_TEST_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
        "QUEUES": ["default", "forecasts"],
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]
if os.environ.get("KENES_TEST_REPORT_FORKS"):  # the worker test: a worker never forks (see threats.forecasting)
    import sys

    os.register_at_fork(before=lambda: print("kenes-test: the worker forked", file=sys.stderr, flush=True))

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, as in production, not the shared in-memory database whose table locks fail at once
    # instead of waiting: the concurrency tests need real SQLite locking.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise looks for it at start-up)
LANGUAGE_CODE = "en"  # tests read English messages unless they switch; the product default is Kazakh
