"""The benchmarks of ``make bench`` run on tiny data: each page they time is timed beside its floor (the raw
SQL computing the same figures, which ``kenes.core.bench.measure`` asserts), and its ratio is printed."""

import importlib

import pytest

from kenes.core import bench
from tests.conftest import audit_triggers_off

#: Small enough for a few seconds, large enough that every list and figure has rows.
SCALE = 0.0005


@pytest.fixture
def printed(users, monkeypatch, settings):
    monkeypatch.setattr(bench, "REPEAT", 2)
    # as under ``make bench``, where no worker runs: the forecasts an import asks for are queued, not made
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "forecasts"]}
    }
    lines: dict[str, tuple[float, str]] = {}

    def report(name: str, value: float, unit: str) -> None:
        assert name not in lines, f"{name} printed twice"
        lines[name] = (value, unit)

    return lines, report


@pytest.mark.parametrize("app", ["core", "control", "strategy"])
def test_every_timed_page_prints_its_floor_and_ratio(app, printed):
    lines, report = printed
    importlib.import_module(f"kenes.{app}.bench").run(report, scale=SCALE)
    timed = [name.removesuffix("_p95") for name in lines if name.endswith("_p95") and "_floor" not in name]
    assert timed, "the benchmark times no page"
    for name in timed:
        if name in bench.WITHOUT_FLOOR:
            assert f"{name}_floor_p95" not in lines
            continue
        floor, ratio = lines.get(f"{name}_floor_p95"), lines.get(f"{name}_ratio")
        assert floor is not None and floor[1] == "ms" and floor[0] >= 0, f"{name} has no floor"
        assert ratio is not None and ratio[1] == "x" and ratio[0] > 0, f"{name} has no ratio"
        assert lines[f"{name}_queries"][0] > 0


def test_a_page_without_a_floor_is_refused(users):
    with pytest.raises(AssertionError, match="needs its floor"):
        bench.unfloored(lambda *_: None, "control.new_page", users["analyst"], "/")


def test_a_floor_computing_other_figures_fails(printed):
    lines, report = printed
    with pytest.raises(AssertionError, match="does not compute the figures shown"):
        bench.measure(report, "bench.wrong", lambda: [1, 2, 3], lambda: [1, 2], figures=lambda r: r)
    assert lines == {}


def test_the_audit_floor_finds_what_verify_finds(users):
    from django.db import transaction

    from kenes.core import audit, context
    from kenes.core.models import AuditEvent

    with transaction.atomic(), context.naming("adopt"):  # an event of a business action hashes its name too
        audit.record("update", object_type="testapp.dossier", classification=0)
    bench.build_chain(30)
    assert bench.verify_floor() == (True, audit.verify().events)
    middle = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[10]
    with audit_triggers_off():
        AuditEvent.objects.filter(seq=middle).update(object_repr="changed")
    assert audit.verify().first_bad_seq == middle
    assert bench.verify_floor() == (False, middle - 1)
