"""The API shell: health, OpenAPI, auth, the error format, pagination, search, audit."""

import json

import pytest
from django.test import Client

from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from tests.conftest import make_org
from tests.testapp.models import Dossier


def test_healthz_needs_no_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_openapi_documents_every_endpoint_and_the_docs_page_stays_on_this_server(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    for path in [
        "/api/v1/me",
        "/api/v1/organizations",
        "/api/v1/organizations/{organization_id}",
        "/api/v1/search",
        "/api/v1/audit",
        "/api/v1/audit/verify",
        "/api/v1/auth/token",
    ]:
        assert path in document["paths"], path
    assert "422" in document["paths"]["/api/v1/search"]["get"]["responses"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in docs and "cdn." not in docs and "https://" not in docs


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me",
        "/api/v1/organizations",
        "/api/v1/search?q=x",
        "/api/v1/audit",
        "/api/v1/audit/verify",
        "/api/v1/organizations/1",
        "/api/v1/auth/tokens",
    ],
)
def test_every_endpoint_needs_authentication(client, path):
    response = client.get(path)
    assert response.status_code == 401 and response.json()["detail"]


def test_session_auth_needs_the_csrf_token_on_unsafe_methods(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["analyst"])
    assert client.get("/api/v1/me").status_code == 200
    response = client.delete("/api/v1/auth/tokens/1")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_invalid_input_names_the_field(api, users):
    response = api(users["analyst"]).get("/api/v1/organizations?limit=abc")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and body["errors"][0]["loc"] == ["query", "limit"] and body["errors"][0]["msg"]


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=-1", "offset=-5", "limit=99999999999999999999"])
def test_pagination_bounds(api, users, query):
    assert api(users["analyst"]).get(f"/api/v1/organizations?{query}").status_code == 422


def test_pagination_counts_and_slices(api, users, orgs):
    for n in range(60):
        make_org(f"extra-{n:02d}")
    client = api(users["analyst"])
    first = client.get("/api/v1/organizations").json()
    assert first["count"] == 63 and len(first["items"]) == 50
    rest = client.get("/api/v1/organizations?limit=50&offset=50").json()
    assert len(rest["items"]) == 13
    assert not {o["id"] for o in first["items"]} & {o["id"] for o in rest["items"]}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{bad json", 400),
        ("[]", 422),
        ('{"username": 5}', 422),
        ("", 422),
        ('{"username": "a", "password": null}', 422),
    ],
)
def test_malformed_bodies_are_a_client_error_not_a_crash(api, db, body, status):
    """Not JSON at all is 400; JSON of the wrong shape is 422."""
    response = api().generic("POST", "/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == status and "detail" in response.json()


def test_too_large_a_request_is_413(api, users, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"username": "x" * 5000, "password": "y"})
    response = api().generic("POST", "/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 413 and response.json()["detail"]


def test_unknown_object_is_404_json(api, users):
    response = api(users["analyst"]).get("/api/v1/organizations/999999")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert api(users["analyst"]).get("/api/v1/organizations/abc").status_code == 422


def test_search_finds_only_what_the_caller_may_see(api, users, orgs):
    Dossier.objects.create(title="Kestrel plan", classification=Classification.TOP_SECRET, organization=orgs["mia"])
    Dossier.objects.create(title="Kestrel memo", classification=Classification.OFFICIAL, organization=orgs["mia"])
    Dossier.objects.create(title="Kestrel note", classification=Classification.OFFICIAL, organization=orgs["akimat"])
    titles = {
        name: {i["title"] for i in api(users[name]).get("/api/v1/search?q=kestrel").json()["items"]}
        for name in ("chair", "analyst", "liaison", "liaison_almaty")
    }
    assert titles["chair"] == {"Kestrel plan", "Kestrel memo", "Kestrel note"}
    assert titles["analyst"] == {"Kestrel memo", "Kestrel note"}
    assert titles["liaison"] == {"Kestrel memo"}
    assert titles["liaison_almaty"] == {"Kestrel note"}
    body = api(users["liaison"]).get("/api/v1/search?q=kestrel").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert set(item) == {"type", "id", "title", "classification", "url"} and item["classification"] == "official"


@pytest.mark.parametrize("q", ["", " ", "x" * 201])
def test_search_rejects_empty_and_overlong_queries(api, users, q):
    assert api(users["analyst"]).get("/api/v1/search", {"q": q}).status_code == 422


def test_audit_is_for_auditor_secretary_and_chairman_only(api, users):
    for name in ("analyst", "member", "liaison", "admin"):
        assert api(users[name]).get("/api/v1/audit").status_code == 404
        assert api(users[name]).get("/api/v1/audit/verify").status_code == 404
    body = api(users["auditor"]).get("/api/v1/audit?limit=5").json()
    assert body["count"] > 5 and len(body["items"]) == 5
    assert {"seq", "at", "actor", "action", "object_type", "object_id"} <= set(body["items"][0])
    assert body["items"][0]["seq"] > body["items"][1]["seq"]


def test_the_auditor_reads_no_events_of_records_above_his_clearance(api, users):
    Dossier.objects.create(title="Operation Sunrise", classification=Classification.TOP_SECRET)
    auditor_view = api(users["auditor"]).get("/api/v1/audit?object_type=testapp.dossier").json()
    chair_view = api(users["chair"]).get("/api/v1/audit?object_type=testapp.dossier").json()
    assert auditor_view["count"] == 0 and chair_view["count"] == 1
    assert "Sunrise" not in json.dumps(auditor_view)


def test_audit_filters(api, users):
    client = api(users["secretary"])
    by_actor = client.get("/api/v1/audit", {"action": "token_issued", "actor": "secretary"}).json()
    assert by_actor["count"] == 1 and by_actor["items"][0]["action"] == "token_issued"
    assert client.get("/api/v1/audit", {"since": "not-a-date"}).status_code == 422
    assert client.get("/api/v1/audit", {"since": "2026-02-30T00:00:00"}).status_code == 422


def test_audit_verify_reports_the_chain(api, users):
    body = api(users["chair"]).get("/api/v1/audit/verify").json()
    assert body["ok"] is True and body["first_bad_seq"] is None and body["events"] >= 8
    assert AuditEvent.objects.filter(action="verify").exists()
