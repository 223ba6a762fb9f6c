"""The leak crawl: as every demo user, every page, API path and export, searched for canaries he may
not read (tests/leaks/registry.py says who may read what; the modules' canaries.py seed them)."""

from __future__ import annotations

import time

import pytest
from django.apps import apps

from kenes.core.classification import Classification
from kenes.core.models import ClassifiedModel
from tests.leaks import crawl
from tests.leaks.conftest import seed
from tests.leaks.registry import OTHER, READERS, Canary, World

_document: dict = {}
# The pages whose figures change from one request to the next by themselves, left out of the count probe:
# the second factor's enrolment page (a fresh secret, and its QR code, each time). Nothing else may.
UNSTABLE = {"/accounts/second-factor/"}


@pytest.fixture
def routes(client_of):
    """Every page of the URL configuration and every GET of the OpenAPI document (read once)."""
    if not _document:
        _document.update(crawl.openapi(client_of("secretary")))
    return crawl.page_routes() + crawl.api_routes(_document)


@pytest.mark.parametrize("reader", READERS, ids=lambda reader: reader.username)
def test_nothing_leaks_to(reader, world, routes, client_of):
    run = crawl.Crawl(reader, client_of(reader.username), world)
    started = time.monotonic()
    run.run(routes)
    elapsed = time.monotonic() - started
    print(f"\n{reader.username}: {run.requests} requests in {elapsed:.1f} s")
    problems = sorted({str(finding) for finding in run.findings}) + run.errors
    assert not problems, f"{len(problems)} leaks or errors as {reader.username}:\n" + "\n".join(problems)


def test_every_path_parameter_is_declared(routes):
    """A page or endpoint whose id no module knows how to fill would never be crawled."""
    missing = {f"{route.template} ({', '.join(crawl.unfilled(route))})" for route in routes if crawl.unfilled(route)}
    assert not missing, "declare them with registry.path_param in tests/<app>/canaries.py: " + ", ".join(
        sorted(missing)
    )


def test_every_classified_model_has_canaries_at_every_level(world, db):
    """A classified model joins the crawl by its module's canary factory seeding it at every level."""
    missing = []
    for model in apps.get_models():
        if issubclass(model, ClassifiedModel) and model.__module__.startswith("kenes."):
            levels = set(model._default_manager.values_list("classification", flat=True))
            missing += [f"{model._meta.label} at {level.slug}" for level in Classification if level not in levels]
    assert not missing, "no canary of " + ", ".join(missing)


def test_counts_do_not_move_for_what_a_user_may_not_read(world, routes, client_of):
    """Seed more canaries that a user may not read; nothing he is shown may count them.

    First canaries above everyone's clearance but the highest (special importance, addressed to a body
    no demo user belongs to), then canaries at the lowest levels for that body, which no liaison may
    read. Every list count, every figure of the API and every number in the text of every page without
    parameters must stay as it was for each user who may read none of the new canaries."""
    stages = [(Classification.SPECIAL_IMPORTANCE,), (Classification.PUBLIC, Classification.OFFICIAL)]
    # Who may read everything the stages seed (the chairman, the secretary) is never checked: not asked.
    probes = [Canary("", "", "", level, frozenset({OTHER})) for levels in stages for level in levels]
    watched = [r for r in READERS if not all(probe.readable_by(r) for probe in probes)]
    clients = {reader.username: client_of(reader.username) for reader in watched}
    paths = crawl.counted_paths(routes)
    problems = []
    before = crawl.snapshot(clients, paths)
    # A page that shows other figures each time counts nothing, and is left out; but only the pages known
    # to do so, so that a count which moves by itself cannot slip out of the probe unnoticed.
    again = crawl.snapshot(clients, paths)
    unstable = {path for key, figures in before.items() if again[key] != figures for path in key[1:]}
    assert unstable == UNSTABLE, f"pages whose figures move by themselves: {sorted(unstable)}"
    paths = [path for path in paths if path not in unstable]
    for levels in stages:
        extra = World()
        seed(extra, bodies=(OTHER,), levels=levels, recipients=())
        after = crawl.snapshot(clients, paths)
        blind = [r for r in watched if not any(c.readable_by(r) for c in extra.canaries.values())]
        assert blind, levels
        print(f"\n{len(extra.canaries)} more canaries; checked {', '.join(r.username for r in blind)}")
        for reader in blind:
            problems += crawl.moved(before, after, reader.username, paths)
        before = after
    assert not problems, f"{len(problems)} counts include what the user may not read:\n" + "\n".join(problems)
