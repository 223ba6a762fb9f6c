"""The access layer's world: the readers, the bodies and one module's records, built once for all the
readers of the module and rolled back after them, so the other tests never see them."""

from __future__ import annotations

import pytest
from django.db import transaction

from kenes.accounts.models import User
from kenes.directory.models import Organization
from tests.access.registry import BODIES, READERS, discover
from tests.conftest import PASSWORD


def _body(code: str, kind: str) -> Organization:
    found = Organization.objects.filter(code=code).first()
    if found is not None:
        return found
    return Organization.objects.create(
        code=code, kind=kind, name_kk=f"{code} kk", name_ru=f"{code} ru", name_en=f"{code} en"
    )


def _reader(reader, orgs) -> User:
    found = User.objects.filter(username=reader.username).first()
    if found is not None:  # the suite's own users, if they are built once for the session
        return found
    user = User(
        username=reader.username,
        role=reader.role,
        clearance=reader.clearance,
        organization=orgs[reader.body],
        is_staff=reader.staff,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(scope="module", params=sorted(discover()))
def access_world(request, django_db_setup, django_db_blocker):
    """``(module, users by name, records by group)`` of one declared module, in a transaction rolled back
    after its readers are done."""
    module = discover()[request.param]
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            orgs = {code: _body(code, kind) for code, kind in BODIES.items()}
            users = {reader.name: _reader(reader, orgs) for reader in READERS}
            with module.during():
                records = module.build(users, orgs)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield module, users, records
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
