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


ORGS = {
    "apparatus": ("apparatus", Organization.Kind.APPARATUS),
    "mia": ("mia", Organization.Kind.MINISTRY),
    "akimat": ("akimat-almaty-city", Organization.Kind.CITY_AKIMAT),
}
USERS = {  # key: (username, role, clearance, organization key, extra fields)
    "chair": ("chair", Role.CHAIRMAN, Classification.SPECIAL_IMPORTANCE, "apparatus", {}),
    "secretary": ("secretary", Role.SECRETARY, Classification.SPECIAL_IMPORTANCE, "apparatus", {}),
    "analyst": ("analyst", Role.ANALYST, Classification.SECRET, "apparatus", {}),
    "controller": ("controller", Role.CONTROLLER, Classification.SECRET, "apparatus", {}),
    "auditor": ("auditor", Role.AUDITOR, Classification.SECRET, "apparatus", {}),
    "admin": ("admin", Role.ADMINISTRATOR, Classification.OFFICIAL, "apparatus", {"is_staff": True}),
    "member": ("member_mvd", Role.MEMBER, Classification.TOP_SECRET, "mia", {}),
    "liaison": ("liaison_mvd", Role.LIAISON, Classification.OFFICIAL, "mia", {}),
    "liaison_almaty": ("liaison_almaty", Role.LIAISON, Classification.OFFICIAL, "akimat", {}),
}


def _create_orgs() -> dict[str, Organization]:
    return {key: make_org(code, kind) for key, (code, kind) in ORGS.items()}


def _create_users(orgs: dict[str, Organization]) -> dict[str, User]:
    return {
        key: make_user(username, role, clearance, orgs[org], **extra)
        for key, (username, role, clearance, org, extra) in USERS.items()
    }


class _Base:
    """The organizations and users of ``orgs`` and ``users``, built once and shared by the tests that use them.

    Building the nine users and their bodies (with their audit events) for each of several hundred tests was a
    good part of the suite's time. They are built once, in a transaction that stays open (each test's own
    transaction is a savepoint inside it, rolled back after the test), and each test gets fresh instances of
    the same rows: a test sees exactly what it saw when the fixture built them for it. The transaction is
    rolled back (the rows are gone) before any test that does not ask for ``users``: those see an empty
    database as before, and transactional tests (which commit and flush) build their own."""

    def __init__(self) -> None:
        self.blocker = None  # pytest-django's database blocker, once the test database exists
        self.atomic: transaction.Atomic | None = None

    def wanted_by(self, item: pytest.Item) -> bool:
        if "users" not in getattr(item, "fixturenames", ()):
            return False
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and (
            marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")
        )
        return not transactional and not {"transactional_db", "live_server"} & set(item.fixturenames)

    def open(self) -> None:
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                _create_users(_create_orgs())
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


_base = _Base()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    _base.blocker = django_db_blocker
    yield
    _base.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: open the shared users' transaction if the test uses them, else end it."""
    wanted = _base.wanted_by(item)
    if wanted and _base.atomic is None and _base.blocker is not None:
        _base.open()
    elif not wanted:
        _base.close()


@pytest.fixture
def orgs(db):
    if _base.atomic is None:
        return _create_orgs()
    by_code = {org.code: org for org in Organization.objects.filter(code__in=[code for code, _ in ORGS.values()])}
    return {key: by_code[code] for key, (code, _kind) in ORGS.items()}


@pytest.fixture
def users(orgs):
    if _base.atomic is None:
        return _create_users(orgs)
    by_name = {user.username: user for user in User.objects.filter(username__in=[u[0] for u in USERS.values()])}
    for username, _role, _clearance, org, _extra in USERS.values():
        by_name[username].organization = orgs[org]
    return {key: by_name[username] for key, (username, *_rest) in USERS.items()}


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
