"""The seeded world of the leak crawl: the demo users and every module's canaries, seeded once for the
module and rolled back after it, so the other tests never see them."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from kenes.accounts.demo import load_demo_users
from kenes.accounts.models import User
from kenes.directory.models import Organization
from kenes.directory.services import load_reference_bodies
from tests.leaks.registry import OTHER, READER, Seeder, World, factories

DEMO_PASSWORD = "kenes-demo-2026"


def seed(world: World, **stage) -> None:
    """Run every module's canary factory into ``world``."""
    users = {user.username: user for user in User.objects.filter(username__in=READER)}
    orgs = {org.code: org for org in Organization.objects.all()}
    for module, factory in factories().items():
        factory(Seeder(module, users, orgs, world, **stage))
    _sample_audit_events(world)


def _sample_audit_events(world: World) -> None:
    """The audit event pages to request: the latest events with changes at every level (what the
    canaries wrote, their markers in the changes and the names of the records)."""
    from kenes.core.classification import Classification
    from kenes.core.models import AuditEvent

    for level in Classification.values:
        events = AuditEvent.objects.filter(classification=level).exclude(changes={}).order_by("-seq")
        world.records[AuditEvent].extend(events.values_list("pk", flat=True)[:6])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo users and the canaries of every module, in a transaction rolled back after the module."""
    from django.test.utils import override_settings

    world = World(media=tmp_path_factory.mktemp("leak-media"))
    atomic = transaction.atomic()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=world.media):
        atomic.__enter__()
        try:
            load_reference_bodies()
            assert OTHER in set(Organization.objects.values_list("code", flat=True))
            load_demo_users(DEMO_PASSWORD)
            seed(world)
            world.learn_rows()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _media(settings, world):
    """The seeded attachments stay readable: every test of the crawl uses the world's media folder."""
    settings.MEDIA_ROOT = world.media


@pytest.fixture
def client_of(world, db):
    """``client_of(username)``: a client logged in as that demo user (pages and the API alike)."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return make


@pytest.fixture(autouse=True)
def _quiet(caplog):
    """The crawl's many 404s and 405s are expected; only server errors are worth a line."""
    import logging

    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)
