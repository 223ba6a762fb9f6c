"""Start-up stays light: a process that serves requests or runs tasks does not import the heavy numeric and
document libraries (pandas alone takes seconds). They load with the first forecast or export that needs them."""

import os
import subprocess
import sys

from django.conf import settings

HEAVY = ["pandas", "numpy", "statsforecast", "statsmodels", "scipy", "fpdf", "openpyxl", "docx"]
ENTRY_POINTS = ["urls", "api", "views", "tasks", "services", "admin", "forms", "apps", "models", "signals"]

# In a fresh interpreter: Django set up, every URL resolved (every view and API router imported), then every
# module of kenes named like an entry point; prints how many were imported and which heavy libraries are loaded.
PROBE = """
import pkgutil, sys
import django
django.setup()
import kenes
from django.urls import get_resolver
get_resolver().url_patterns
loaded = [
    __import__(module.name)
    for module in pkgutil.walk_packages(kenes.__path__, "kenes.")
    if module.name.rsplit(".", 1)[-1] in ENTRY_POINTS
]
print(len(loaded), *sorted(name for name in HEAVY if name in sys.modules))
"""


def test_a_process_serving_requests_and_tasks_imports_no_heavy_library():
    code = f"ENTRY_POINTS = {ENTRY_POINTS!r}\nHEAVY = {HEAVY!r}\n{PROBE}"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    probe = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, cwd=settings.BASE_DIR
    )
    assert probe.returncode == 0, probe.stderr
    count, *heavy = probe.stdout.split()
    assert int(count) > 30, probe.stdout  # the probe did reach the application's modules
    assert heavy == [], f"imported at start-up: {heavy}"
