"""Fixtures shared by every test: organizations, users of every role and clearance, API clients."""

import socket
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test import Client

from kenes.accounts import services as account_services
from kenes.accounts.models import Role, User
from kenes.core.classification import Classification
from kenes.directory.models import Organization

PASSWORD = "correct-horse-battery-2026"


def pytest_collection_modifyitems(config, items):
    """Tests that need PostgreSQL are deselected (not skipped) in the SQLite run."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    kept = [item for item in items if "postgres_only" not in item.keywords]
    deselected = [item for item in items if "postgres_only" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True)
def _no_network(monkeypatch, request):
    """Tests never reach outside this machine: connecting anywhere but loopback fails loudly."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ):
            raise RuntimeError(f"test tried to reach {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _audit_anchors(settings, tmp_path):
    """Each test anchors the audit chain in its own file: its database is gone after it."""
    settings.KENES_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"


@contextmanager
def audit_triggers_off(conn=connection):
    """Get past the triggers that keep the audit log append-only, as only the schema's owner (SQLite: drop
    them) or a superuser (PostgreSQL: replica mode) can; the triggers are back afterwards."""
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                yield
            finally:
                cursor.execute("SET session_replication_role = origin")
            return
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'")
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {name}")
        try:
            yield
        finally:
            for _name, sql in triggers:
                cursor.execute(sql)


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_triggers():
    """Django empties the database after a transactional test (DELETE on SQLite, TRUNCATE on PostgreSQL),
    which the audit log's triggers refuse: the suite's flush gets past them; nothing else does."""
    flush = BaseDatabaseOperations.execute_sql_flush

    def flush_with_triggers_off(self, sql_list):
        with transaction.atomic(using=self.connection.alias), audit_triggers_off(self.connection):
            flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", flush_with_triggers_off)
        yield


@transaction.atomic  # a change and its audit event are written in one transaction (audit.record)
def make_org(code: str, kind: str = Organization.Kind.MINISTRY, **extra) -> Organization:
    return Organization.objects.create(
        code=code, kind=kind, name_kk=f"{code} kk", name_ru=f"{code} ru", name_en=f"{code} en", **extra
    )


@transaction.atomic
def make_user(
    username: str, role: str = Role.ANALYST, clearance: int = Classification.SECRET, org=None, **extra
) -> User:
    user = User(username=username, role=role, clearance=clearance, organization=org, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def orgs(db):
    return {
        "apparatus": make_org("apparatus", Organization.Kind.APPARATUS),
        "mia": make_org("mia"),
        "akimat": make_org("akimat-almaty-city", Organization.Kind.CITY_AKIMAT),
    }


@pytest.fixture
def users(orgs):
    apparatus = orgs["apparatus"]
    return {
        "chair": make_user("chair", Role.CHAIRMAN, Classification.SPECIAL_IMPORTANCE, apparatus),
        "secretary": make_user("secretary", Role.SECRETARY, Classification.SPECIAL_IMPORTANCE, apparatus),
        "analyst": make_user("analyst", Role.ANALYST, Classification.SECRET, apparatus),
        "controller": make_user("controller", Role.CONTROLLER, Classification.SECRET, apparatus),
        "auditor": make_user("auditor", Role.AUDITOR, Classification.SECRET, apparatus),
        "admin": make_user("admin", Role.ADMINISTRATOR, Classification.OFFICIAL, apparatus, is_staff=True),
        "member": make_user("member_mvd", Role.MEMBER, Classification.TOP_SECRET, orgs["mia"]),
        "liaison": make_user("liaison_mvd", Role.LIAISON, Classification.OFFICIAL, orgs["mia"]),
        "liaison_almaty": make_user("liaison_almaty", Role.LIAISON, Classification.OFFICIAL, orgs["akimat"]),
    }


class ApiClient(Client):
    """A test client that sends a bearer token with every request and JSON bodies by default."""

    def __init__(self, token: str | None = None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        super().__init__(headers=headers, **kwargs)

    def post(self, path, data=None, content_type="application/json", **kwargs):
        return super().post(path, data, content_type=content_type, **kwargs)

    def patch(self, path, data=None, content_type="application/json", **kwargs):
        return super().patch(path, data, content_type=content_type, **kwargs)

    def put(self, path, data=None, content_type="application/json", **kwargs):
        return super().put(path, data, content_type=content_type, **kwargs)


@pytest.fixture
def api():
    """``api(user)`` gives a client authenticated with a fresh token of ``user``; ``api()`` an anonymous one."""

    def client_for(user: User | None = None) -> ApiClient:
        if user is None:
            return ApiClient()
        return ApiClient(account_services.issue_token(user).key)

    return client_for


@pytest.fixture
def db_vendor(db) -> str:
    return connection.vendor


def queries(client, url: str) -> int:
    """How many database queries a request to ``url`` makes (and that it answered 200), measured on a
    second request, after the first has done its once-only work (a token's last-use stamp)."""
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)
