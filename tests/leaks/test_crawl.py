"""The leak crawl: as every demo user, every page, API path and export, searched for canaries he may
not read (tests/leaks/registry.py says who may read what; the modules' canaries.py seed them)."""

from __future__ import annotations

import time

import pytest
from django.apps import apps

from kenes.core.classification import Classification
from kenes.core.models import ClassifiedModel
from tests.leaks import crawl
from tests.leaks.registry import READERS


@pytest.fixture
def routes(client_of):
    return crawl.page_routes() + crawl.api_routes(crawl.openapi(client_of("secretary")))


@pytest.mark.parametrize("reader", READERS, ids=lambda reader: reader.username)
def test_nothing_leaks_to(reader, world, routes, client_of):
    run = crawl.Crawl(reader, client_of(reader.username), world)
    started = time.monotonic()
    run.run(routes)
    elapsed = time.monotonic() - started
    print(f"\n{reader.username}: {run.requests} requests in {elapsed:.1f} s")
    for t, v in sorted(run.timings.items(), key=lambda kv: -sum(kv[1]))[:15]:
        print(f"{sum(v):6.2f} {len(v):4d} {t}")
    problems = sorted({str(finding) for finding in run.findings}) + run.errors
    assert not problems, f"{len(problems)} leaks or errors as {reader.username}:\n" + "\n".join(problems)


def test_every_path_parameter_is_declared(routes):
    """A page or endpoint whose id no module knows how to fill would never be crawled."""
    missing = {f"{route.template} ({', '.join(crawl.unfilled(route))})" for route in routes if crawl.unfilled(route)}
    assert not missing, "declare these with registry.path_param in tests/<app>/canaries.py:\n" + "\n".join(sorted(missing))


def test_every_classified_model_has_canaries_at_every_level(world, db):
    """A classified model joins the crawl by its module's canary factory seeding it at every level."""
    missing = []
    for model in apps.get_models():
        if issubclass(model, ClassifiedModel) and model.__module__.startswith("kenes."):
            levels = set(model._default_manager.values_list("classification", flat=True))
            missing += [f"{model._meta.label} at {level.slug}" for level in Classification if level not in levels]
    assert not missing, "no canary of " + ", ".join(missing)
