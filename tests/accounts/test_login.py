"""Login by page and API: Argon2, lockout, the second factor, recovery codes, production enrolment."""

from datetime import timedelta

import pyotp
import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse
from django.utils import timezone

from kenes.accounts import services
from kenes.accounts.models import LoginAttempt
from kenes.core.models import AuditEvent
from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token"


def test_production_hashes_passwords_with_argon2():
    from kenes import settings as production

    assert production.PASSWORD_HASHERS == ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def test_stored_password_is_an_argon2_hash(users):
    stored = users["analyst"].password
    assert identify_hasher(stored).algorithm == "argon2" and PASSWORD not in stored


def test_login_page_logs_in_and_records_it(client, users):
    response = client.post(reverse("accounts:login"), {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor=users["analyst"]).exists()


def test_login_page_refuses_wrong_password_without_saying_which_part_was_wrong(client, users):
    response = client.post(reverse("accounts:login"), {"username": "analyst", "password": "nope"})
    assert response.status_code == 401
    response_unknown = client.post(reverse("accounts:login"), {"username": "nobody", "password": "nope"})
    assert response_unknown.status_code == 401
    assert AuditEvent.objects.filter(action="login_failed").count() == 2


def test_login_redirect_never_leaves_the_site(client, users):
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/", {"username": "analyst", "password": PASSWORD}
    )
    assert response.url == "/"


def test_logout_needs_post(client, users):
    client.force_login(users["analyst"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("path", ["api", "page"])
def test_sixth_failure_locks_out_even_correct_credentials(client, api, users, path):
    def attempt(password):
        if path == "api":
            return api().post(TOKEN_URL, {"username": "analyst", "password": password}).status_code
        return client.post(reverse("accounts:login"), {"username": "analyst", "password": password}).status_code

    assert [attempt("wrong") for _ in range(5)] == [401] * 5
    assert attempt("wrong") == 429
    assert attempt(PASSWORD) == 429
    assert AuditEvent.objects.filter(action="login_locked").count() == 2
    # The lockout is per username: another user is not affected.
    assert api().post(TOKEN_URL, {"username": "auditor", "password": PASSWORD}).status_code == 201


def test_lockout_is_shared_between_page_and_api_and_ends_with_the_window(client, api, users):
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "analyst", "password": "wrong"})
    for _ in range(2):
        assert api().post(TOKEN_URL, {"username": "Analyst", "password": "wrong"}).status_code == 401
    assert api().post(TOKEN_URL, {"username": "analyst", "password": PASSWORD}).status_code == 429
    window = timedelta(minutes=settings.KENES_LOGIN_WINDOW_MINUTES, seconds=1)
    LoginAttempt.objects.update(at=timezone.now() - window)
    assert api().post(TOKEN_URL, {"username": "analyst", "password": PASSWORD}).status_code == 201


# --- tokens ------------------------------------------------------------------------------------


def test_token_is_issued_hashed_at_rest_and_works(api, users):
    response = api().post(TOKEN_URL, {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    key = body["token"]
    assert set(body) == {"token", "expires_at"}
    token = users["analyst"].api_tokens.get()
    assert key not in (token.key_hash, token.prefix) and len(token.key_hash) == 64
    me = api().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200 and me.json()["username"] == "analyst"


def test_me_answers_the_contract_fields(api, users, orgs):
    body = api(users["liaison"]).get("/api/v1/me").json()
    assert body["role"] == "liaison" and body["clearance"] == "official"
    assert body["organization"] == {"id": orgs["mia"].pk, "name": orgs["mia"].name}


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer nonsense", "Token kns_abc", "Bearer kns_" + "a" * 43, "Basic YWI6Y2Q="]
)
def test_without_a_valid_token_the_api_answers_401(client, header, users):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and "detail" in response.json()


def test_expired_and_revoked_tokens_are_refused(api, users):
    issued = services.issue_token(users["analyst"])
    client = api()
    headers = {"Authorization": f"Bearer {issued.key}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    issued.token.expires_at = timezone.now() - timedelta(seconds=1)
    issued.token.save()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    second = services.issue_token(users["analyst"])
    headers = {"Authorization": f"Bearer {second.key}"}
    response = client.delete(f"/api/v1/auth/tokens/{second.token.pk}", headers=headers)
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert AuditEvent.objects.filter(action="token_revoked", object_id=str(second.token.pk)).exists()


def test_a_user_cannot_see_or_revoke_another_users_token(api, users):
    other = services.issue_token(users["auditor"])
    client = api(users["analyst"])
    assert client.delete(f"/api/v1/auth/tokens/{other.token.pk}").status_code == 404
    listed = client.get("/api/v1/auth/tokens").json()
    assert listed["count"] == 1 and all(t["id"] != other.token.pk for t in listed["items"])
    other.token.refresh_from_db()
    assert other.token.revoked_at is None


def test_a_deactivated_users_token_stops_working(api, users):
    client = api(users["analyst"])
    users["analyst"].is_active = False
    users["analyst"].save()
    assert client.get("/api/v1/me").status_code == 401


def test_profile_page_creates_shows_once_and_revokes_a_token(client, users):
    client.force_login(users["analyst"])
    client.post(reverse("accounts:token-create"), {"name": "<script>alert(1)</script>"})
    page = client.get(reverse("accounts:profile")).content.decode()
    key = page.split('id="new-token">')[1].split("<")[0]
    assert key.startswith("kns_") and "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert key not in client.get(reverse("accounts:profile")).content.decode()
    token = users["analyst"].api_tokens.get()
    client.post(reverse("accounts:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- the second factor -------------------------------------------------------------------------


@pytest.fixture
def enrolled(users):
    user = users["secretary"]
    secret = services.new_totp_secret()
    codes = services.enrol_second_factor(user, secret, pyotp.TOTP(secret).now(), actor=user)
    user.refresh_from_db()
    # The enrolment used the current step; the next login must use a later one.
    user.totp_last_step = 0
    user.save()
    return user, secret, codes


def test_enrolment_page_shows_a_qr_code_and_confirms(client, users):
    user = users["analyst"]
    client.force_login(user)
    page = client.get(reverse("accounts:second-factor"))
    assert page.status_code == 200 and b"data:image/svg+xml" in page.content
    secret = client.session["kenes_enrol_secret"]
    wrong = client.post(reverse("accounts:second-factor"), {"code": "000000"})
    assert wrong.status_code == 200 and not type(user).objects.get(pk=user.pk).has_second_factor
    done = client.post(reverse("accounts:second-factor"), {"code": pyotp.TOTP(secret).now()})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    user.refresh_from_db()
    assert user.has_second_factor and user.totp_secret == secret
    assert AuditEvent.objects.filter(action="otp_enrolled", object_id=str(user.pk)).exists()


def test_api_token_needs_the_code_when_enrolled(api, enrolled):
    user, secret, _codes = enrolled
    no_code = api().post(TOKEN_URL, {"username": user.username, "password": PASSWORD})
    assert no_code.status_code == 401
    good = api().post(TOKEN_URL, {"username": user.username, "password": PASSWORD, "otp": pyotp.TOTP(secret).now()})
    assert good.status_code == 201
    replay = api().post(TOKEN_URL, {"username": user.username, "password": PASSWORD, "otp": pyotp.TOTP(secret).now()})
    assert replay.status_code == 401, "a code is valid only once"


def test_recovery_code_works_once(api, enrolled):
    user, _secret, codes = enrolled
    body = {"username": user.username, "password": PASSWORD, "otp": codes[0]}
    assert api().post(TOKEN_URL, body).status_code == 201
    assert api().post(TOKEN_URL, body).status_code == 401
    assert AuditEvent.objects.filter(action="recovery_code_used").count() == 1


def test_two_step_login_page(client, enrolled):
    user, secret, _codes = enrolled
    first = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert first.status_code == 302 and reverse("accounts:login-otp") in first.url
    assert client.get("/").status_code == 302, "not logged in before the code"
    assert client.post(reverse("accounts:login-otp"), {"code": "123456"}).status_code == 401
    second = client.post(reverse("accounts:login-otp"), {"code": pyotp.TOTP(secret).now()})
    assert second.status_code == 302
    assert client.get("/").status_code == 200


def test_production_mode_requires_enrolment_for_secret_and_above(client, api, users, settings):
    settings.KENES_REQUIRE_SECOND_FACTOR = True
    client.force_login(users["analyst"])
    assert client.get("/").url == reverse("accounts:second-factor")
    assert client.get("/organizations/").status_code == 302
    assert client.get("/api/v1/me").status_code == 403
    assert client.get(reverse("accounts:second-factor")).status_code == 200
    refused = api().post(TOKEN_URL, {"username": "analyst", "password": PASSWORD})
    assert refused.status_code == 403
    # An official-cleared liaison needs no second factor.
    client.force_login(users["liaison"])
    assert client.get("/").status_code == 200


def test_administrator_resets_a_second_factor(enrolled, users):
    user, _secret, _codes = enrolled
    services.reset_second_factor(user, actor=users["admin"])
    user.refresh_from_db()
    assert not user.has_second_factor and not user.recovery_codes.exists()
    event = AuditEvent.objects.filter(action="otp_reset").get()
    assert event.actor == users["admin"] and "totp_secret" not in str(event.changes).replace("***", "")
