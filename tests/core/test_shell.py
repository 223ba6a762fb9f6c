"""The page shell: CSP, no outside requests, navigation, languages, production settings, hostile input."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from tests.testapp.models import Dossier

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/search/?q=mia", "/organizations/", "/accounts/profile/", "/accounts/second-factor/", "/audit/"]
OUTSIDE = re.compile(r"""(?:src|href|action)\s*=\s*["']\s*(?:https?:)?//""", re.IGNORECASE)


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_a_strict_csp_and_reach_no_other_host(client, users, path):
    client.force_login(users["chair"])
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    assert not OUTSIDE.search(html), OUTSIDE.search(html)
    assert "<script>" not in html and " on" + "click=" not in html, "no inline scripts or handlers"


def test_static_assets_are_installed_from_the_registry_not_copied(client):
    assert (ROOT / "node_modules" / "htmx.org" / "dist" / "htmx.min.js").exists()
    assert not list((ROOT / "kenes" / "static").rglob("htmx*"))


def test_navigation_shows_only_built_modules_and_only_allowed_entries(client, users):
    client.force_login(users["analyst"])
    html = client.get("/").content.decode()
    nav = html.split('id="main-nav"')[1].split("</nav>")[0]
    links = re.findall(r'href="([^"]+)"', nav)
    assert links == [
        reverse("core:dashboard"),
        reverse("council:meeting-list"),
        reverse("council:decision-list"),
        reverse("council:work-plan"),
        reverse("control:instruction-list"),
        reverse("control:board"),
        reverse("control:discipline"),
        reverse("control:calendar"),
        reverse("strategy:document-list"),
        reverse("threats:threat-list"),
        reverse("threats:alert-list"),
        reverse("directory:organization-list"),
        reverse("core:search"),
    ]
    assert all(client.get(link).status_code == 200 for link in links)
    client.force_login(users["auditor"])
    assert reverse("core:audit") in client.get("/").content.decode()


@pytest.mark.parametrize(("language", "text"), [("kk", 'lang="kk"'), ("ru", 'lang="ru"'), ("en", 'lang="en"')])
def test_language_switcher(client, users, language, text):
    client.force_login(users["analyst"])
    response = client.post(reverse("set_language"), {"language": language, "next": "/organizations/"})
    assert response.status_code == 302 and response.url == "/organizations/"
    assert text in client.get("/organizations/").content.decode()


def test_dashboard_speaks_the_chosen_language(client, users):
    client.force_login(users["analyst"])
    pages = {}
    for language in ("kk", "ru", "en"):
        client.post(reverse("set_language"), {"language": language, "next": "/"})
        pages[language] = client.get("/").content.decode()
    assert "My account" in pages["en"]
    assert "My account" not in pages["ru"] and "My account" not in pages["kk"]
    assert pages["ru"] != pages["kk"]


def test_search_page_escapes_the_query_and_hides_what_is_above_clearance(client, users):
    Dossier.objects.create(title="Operation Falcon", classification=Classification.TOP_SECRET)
    client.force_login(users["analyst"])
    html = client.get("/search/", {"q": '"><script>alert(1)</script> Falcon'}).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "Operation Falcon" not in client.get("/search/", {"q": "Falcon"}).content.decode()
    client.force_login(users["chair"])
    assert "Operation Falcon" in client.get("/search/", {"q": "Falcon"}).content.decode()


def test_audit_page_is_hidden_from_others_and_verifies_for_the_auditor(client, users):
    client.force_login(users["analyst"])
    assert client.get("/audit/").status_code == 404
    client.force_login(users["auditor"])
    assert client.get("/audit/", {"since": "2026-13-45"}).status_code == 200
    response = client.post("/audit/")
    assert "verification" in response.content.decode() and response.context["verification"].ok


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/organizations/99999999999999999999/", 404),
        ("/attachments/1/download/", 404),
        ("/organizations/%00/", 404),
        ("/nonexistent/", 404),
        ("/api/v1/organizations/%2e%2e", 422),
    ],
)
def test_odd_paths_are_not_errors(client, users, path, status):
    client.force_login(users["analyst"])
    assert client.get(path).status_code == status


def test_production_settings_pass_the_deploy_check():
    environment = {
        **os.environ,
        "KENES_DEMO": "0",
        "SECRET_KEY": "k" * 10 + "fjs83hf7sdk02lsd9u3nf83hsd02jd83ndk20dj3nd8s3",
        "ALLOWED_HOSTS": "kenes.example.kz",
        "DJANGO_SETTINGS_MODULE": "kenes.settings",
    }
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    environment = {**os.environ, "KENES_DEMO": "0", "ALLOWED_HOSTS": "x", "DJANGO_SETTINGS_MODULE": "kenes.settings"}
    environment.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_kazakh_is_the_default_language_of_the_product(client, users, settings):
    from kenes import settings as production

    assert production.LANGUAGE_CODE == "kk"
    settings.LANGUAGE_CODE = "kk"
    client.force_login(users["analyst"])
    html = client.get("/").content.decode()
    assert 'lang="kk"' in html and "Жеке кабинет" in html
    russian = client.get("/", headers={"Accept-Language": "ru"}).content.decode()
    assert 'lang="ru"' in russian and "Личный кабинет" in russian
