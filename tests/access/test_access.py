"""The one access test: as every reader, every path of every declared case gives exactly his records
(tests/access/registry.py says how a module declares them; tests/<app>/access.py declare them)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client

from kenes.accounts import services as account_services
from kenes.core.models import ClassifiedModel
from tests.access.registry import NAMES, Detail, Listing, Write, declared_models, url_of, visible
from tests.conftest import ApiClient


def _check(case, records, reader, page, api) -> list[str]:
    """Every path of ``case`` as ``reader``: the list of what differs from his expected answer."""
    group = records[case.group]
    expected = {key for key in group if visible(key, case.expected[reader])}
    unknown = set(case.expected[reader]) - set(group)
    assert not unknown, f"{case.model.__name__}: {reader} expects records never built: {unknown}"
    problems: list[str] = []
    for path in case.paths:
        client = api if path.target.startswith("/api/") else page
        where = f"{case.model.__name__} {path.target}"
        if isinstance(path, Detail):
            for key, record in group.items():
                url = path.url(record)
                status = client.get(url).status_code
                want = 200 if key in expected else 404
                if status != want:
                    problems.append(f"{where} {key}: {url} answered {status}, not {want}")
        elif isinstance(path, Write):
            for key, record in group.items():
                url = path.url(record)
                with transaction.atomic():  # undone: no action shows in the paths asked after it
                    status = client.post(url, path.data or {}, content_type="application/json").status_code
                    transaction.set_rollback(True)
                want = 404 if key not in expected else (path.ok if reader in path.may else 403)
                if status != want:
                    problems.append(f"POST {where} {key}: {url} answered {status}, not {want}")
        elif path.only is not None and reader not in path.only:
            status = client.get(url_of(path.target, records, path.on), path.query).status_code
            if status != 404:
                problems.append(f"{where}: answered {status}, not 404")
        else:
            response = client.get(url_of(path.target, records, path.on), path.query)
            if response.status_code != 200:
                problems.append(f"{where}: answered {response.status_code}, not 200")
            elif isinstance(path, Listing):
                problems += [f"{where}: {problem}" for problem in _listing(path, response, group, expected)]
            else:
                figure = path.figure(response) or 0
                want = path.of([group[k] for k in sorted(expected)])
                if figure != want:
                    problems.append(f"{where}: counts {figure}, not {want}")
    return problems


def _listing(path: Listing, response, group, expected) -> list[str]:
    listed = {k: r for k, r in group.items() if path.among is None or path.among(r)}
    want = {k for k in expected if k in listed}
    got = path.read(response, listed)
    problems = []
    if path.cap is not None and len(want) > path.cap:
        if not (got <= want and len(got) == path.cap):
            problems.append(f"lists {sorted(got)}, not {path.cap} of {sorted(want)}")
    elif got != want:
        problems.append(f"lists {sorted(got)}, not {sorted(want)}")
    if path.counted and response.json()["count"] != len(want):
        problems.append(f"count {response.json()['count']}, not {len(want)}")
    return problems


@pytest.mark.parametrize("reader", NAMES)
def test_each_reader_gets_exactly_his_records(access_world, reader, db):
    module, users, records = access_world
    user = users[reader]
    page = Client()
    page.force_login(user)
    api = ApiClient(account_services.issue_token(user).key)
    problems = []
    with module.during():
        for case in module.cases:
            problems += _check(case, records, reader, page, api)
    assert not problems, f"{module.app} as {reader}:\n" + "\n".join(problems)


# The classified models not declared yet, each with where its access is tested meanwhile (and all of
# them in the leak crawl, tests/leaks). The list may only shrink: a new classified model is declared in
# its module's access.py.
NOT_YET = {
    "council.PlannedQuestion": "tests/council/test_services.py (the work plan)",
    "council.Minutes": "tests/council/test_api.py (the minutes of a session)",
    "control.ExecutionReport": "tests/control/test_access.py (who reports and reviews)",
    "threats.Countermeasure": "read only through its threat: /api/v1/threats/{pk}/countermeasures",
}


def test_every_classified_model_of_a_domain_app_is_declared():
    """Every model with its own need-to-know in a domain app has a case (or is listed in NOT_YET)."""
    declared = {model._meta.label for model in declared_models()}
    classified = {
        model._meta.label
        for model in apps.get_models()
        if issubclass(model, ClassifiedModel)
        and model.__module__.startswith("kenes.")
        and model._meta.app_label != "core"
    }
    assert not declared & set(NOT_YET), f"declared, so no longer to be listed in NOT_YET: {declared & set(NOT_YET)}"
    assert not set(NOT_YET) - classified, f"not a classified model: {set(NOT_YET) - classified}"
    missing = classified - declared - set(NOT_YET)
    assert not missing, f"declare the access of {sorted(missing)} in tests/<app>/access.py"


def test_every_declared_case_is_of_a_classified_model():
    models = list(declared_models())
    assert models and all(issubclass(model, ClassifiedModel) for model in models)
