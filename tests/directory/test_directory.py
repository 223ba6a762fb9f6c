"""The directory of state bodies: reference data, pages, API, filters, query counts."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from kenes.accounts.demo import DEMO_USERS, administrators_group
from kenes.accounts.models import User
from kenes.core import audit
from kenes.core.models import AuditEvent
from kenes.directory import bodies
from kenes.directory.models import Organization, Region
from kenes.directory.services import load_reference_bodies
from tests.conftest import make_org, queries

KAZAKH_LETTERS = set("ӘҒҚҢӨҰҮҺІәғқңөұүһі")


def test_reference_data_has_the_real_bodies_of_kazakhstan(db):
    load_reference_bodies()
    kinds = {kind: Organization.objects.filter(kind=kind).count() for kind, _ in Organization.Kind.choices}
    assert kinds["regional_akimat"] == 17 and kinds["city_akimat"] == 3
    assert kinds["ministry"] >= 18 and kinds["special"] >= 2 and kinds["law_enforcement"] >= 2
    assert Region.objects.filter(kind="region").count() == 17 and Region.objects.filter(kind="city").count() == 3
    assert Organization.objects.get(code="akimat-almaty-city").name_en == "Akimat of Almaty city"
    assert Organization.objects.get(code="mia").name_en == "Ministry of Internal Affairs of the Republic of Kazakhstan"
    assert all(o.name_kk and o.name_ru and o.name_en for o in Organization.objects.all())
    assert KAZAKH_LETTERS & set("".join(Organization.objects.values_list("name_kk", flat=True)))
    assert len({code for code, *_ in bodies.BODIES}) == len(bodies.BODIES)


def test_loading_twice_changes_nothing(db):
    assert load_reference_bodies() == (20, len(bodies.BODIES))
    events = AuditEvent.objects.count()
    assert load_reference_bodies() == (0, 0)
    assert AuditEvent.objects.count() == events


def test_demo_loads_every_contract_user_and_is_safe_to_run_twice(db, client, settings):
    call_command("load_demo")
    call_command("load_demo")
    assert len(DEMO_USERS) == 9
    others = User.objects.exclude(username__in=[u[0] for u in DEMO_USERS])
    assert all(u.role == "liaison" and u.clearance == 10 for u in others), "only the demo's extra liaison officers"
    for username, role, org_code, clearance, *_ in DEMO_USERS:
        user = User.objects.get(username=username)
        assert (user.role, user.organization.code, user.clearance) == (role, org_code, clearance)
        assert user.check_password(settings.KENES_DEMO_PASSWORD)
    assert (
        client.post(
            reverse("accounts:login"), {"username": "liaison_almaty", "password": "kenes-demo-2026"}
        ).status_code
        == 302
    )
    assert audit.verify().ok


def test_demo_refuses_to_run_outside_demo_mode(db, settings):
    from django.core.management.base import CommandError

    settings.DEMO = False
    with pytest.raises(CommandError):
        call_command("load_demo")


def test_names_follow_the_language(orgs):
    mia = orgs["mia"]
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            assert mia.name == f"mia {language}"


def test_list_page_filters_sorts_and_escapes(client, users, orgs):
    Organization.objects.create(code="xss", kind="other", name_kk="x", name_ru="x", name_en="<script>alert(1)</script>")
    client.force_login(users["liaison"])
    page = client.get(reverse("directory:organization-list"), {"kind": "ministry"}).content.decode()
    assert "mia en" in page and "apparatus en" not in page
    everything = client.get(reverse("directory:organization-list")).content.decode()
    assert "<script>alert(1)</script>" not in everything and "&lt;script&gt;alert(1)&lt;/script&gt;" in everything
    found = client.get(reverse("directory:organization-list"), {"q": "akimat-almaty"}).content.decode()
    assert "akimat-almaty-city en" in found and "mia en" not in found
    ordered = client.get(reverse("directory:organization-list"), {"sort": "-name"}).content.decode()
    assert ordered.index("mia en") < ordered.index("apparatus en")
    partial = client.get(reverse("directory:organization-list"), {"q": "mia"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"mia en" in partial.content


@pytest.mark.parametrize(
    "query", [{"kind": "nonsense"}, {"sort": "password"}, {"page": "-1"}, {"page": "x" * 50}, {"q": "x" * 500}]
)
def test_list_page_survives_bad_parameters(client, users, orgs, query):
    client.force_login(users["analyst"])
    assert client.get(reverse("directory:organization-list"), query).status_code == 200


def test_list_page_and_api_query_counts_do_not_grow_with_rows(client, api, users, orgs):
    client.force_login(users["analyst"])
    api_client = api(users["analyst"])
    urls = [(client, reverse("directory:organization-list")), (api_client, "/api/v1/organizations?limit=500")]
    small = [queries(c, url) for c, url in urls]
    for n in range(80):
        make_org(f"body-{n:02d}", parent=orgs["mia"])
    assert [queries(c, url) for c, url in urls] == small
    assert api_client.get("/api/v1/organizations?limit=500").json()["count"] == 83


def test_detail_page_and_api(client, api, users, orgs):
    child = make_org("child", parent=orgs["mia"])
    client.force_login(users["liaison_almaty"])
    page = client.get(reverse("directory:organization-detail", args=[orgs["mia"].pk])).content.decode()
    assert "child en" in page and "mia kk" in page and "mia ru" in page
    body = api(users["liaison"]).get(f"/api/v1/organizations/{child.pk}").json()
    assert body["parent"] == orgs["mia"].pk and body["kind"] == "ministry" and body["name"]
    assert client.get(reverse("directory:organization-detail", args=[999999])).status_code == 404


def test_api_filters(api, users, orgs):
    client = api(users["analyst"])
    assert client.get("/api/v1/organizations?kind=city_akimat").json()["count"] == 1
    assert client.get(f"/api/v1/organizations?parent={orgs['mia'].pk}").json()["count"] == 0
    assert client.get("/api/v1/organizations?q=apparat").json()["count"] == 1
    assert client.get("/api/v1/organizations?parent=-4").status_code == 422


def test_anonymous_users_see_no_directory(client, orgs):
    assert client.get(reverse("directory:organization-list")).status_code == 302


def test_administrator_cannot_grant_a_clearance_above_his_own(client, users):
    admin, target = users["admin"], users["liaison"]
    admin.groups.add(administrators_group())  # what the demo gives its administrator, without the whole demo
    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[target.pk])
    assert client.get(url).status_code == 200
    data = {
        "username": target.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "position": "",
        "preferred_language": "",
        "role": "liaison",
        "clearance": 40,
        "organization": target.organization_id,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "above your own" in response.content.decode()
    target.refresh_from_db()
    assert target.clearance == 10
    data["clearance"] = 10
    data["position"] = "Senior liaison"
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.position == "Senior liaison"
    assert AuditEvent.objects.filter(object_type="accounts.user", object_id=str(target.pk), actor=admin).exists()
