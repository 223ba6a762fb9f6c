"""Business actions of the threat register name themselves (the audit log says what was done), and
observations written in bulk are written inside an audited block that records their summary."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db.models.signals import post_save

from kenes.core import context
from kenes.core.models import AuditEvent
from kenes.threats import demo, services
from kenes.threats.models import Alert, Countermeasure, Observation, Threat, ThreatAssessment


@contextmanager
def names_when_saved(*models):
    """The business action named while each row of ``models`` is saved, as (model name, action)."""
    seen = []

    def note(sender, **kwargs):
        seen.append((sender.__name__, context.action_name()))

    for model in models:
        post_save.connect(note, sender=model, weak=False)
    try:
        yield seen
    finally:
        for model in models:
            post_save.disconnect(note, sender=model)


def test_a_reassessment_is_named_reassess(users, make_threat):
    threat = make_threat()
    with names_when_saved(Threat, ThreatAssessment) as seen:
        services.reassess_threat(threat, actor=users["analyst"], likelihood=5, impact=5, trend="rising", reason="X")
    assert seen == [("Threat", "reassess"), ("ThreatAssessment", "reassess")]


def test_each_move_of_a_countermeasure_is_named_by_what_it_does(users, make_threat):
    threat = make_threat()
    measure = services.add_countermeasure(threat, actor=users["analyst"], title="Patrols")
    other = services.add_countermeasure(threat, actor=users["analyst"], title="Fences")
    with names_when_saved(Countermeasure) as seen:
        services.set_countermeasure_status(measure, actor=users["analyst"], status="in_progress")
        services.set_countermeasure_status(measure, actor=users["analyst"], status="done")
        services.set_countermeasure_status(other, actor=users["analyst"], status="cancelled")
    assert [name for _model, name in seen] == ["start", "complete", "cancel"]
    assert context.action_name() == ""  # the name ends with the action


def test_acknowledging_an_alert_is_named_acknowledge(users, make_threat, make_signal):
    signal = make_signal(make_threat(), upper_threshold=1)
    services.record_observations(signal, actor=users["analyst"], observations=[("2026-01-01", 5)], forecast=False)
    with names_when_saved(Alert) as seen:
        services.acknowledge_alert(Alert.objects.get(), actor=users["analyst"], comment="Seen")
    assert seen == [("Alert", "acknowledge")]


def test_putting_a_report_on_an_agenda_is_named_schedule(users, make_threat):
    from kenes.council import services as council
    from kenes.council.models import AgendaItem

    make_threat()
    report = services.create_situation_report(
        actor=users["analyst"], title="Weekly", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    meeting = council.create_meeting(actor=users["secretary"], title="Session", date=dt.date(2026, 12, 20))
    with names_when_saved(AgendaItem) as seen:
        services.put_report_on_agenda(report, meeting, actor=users["secretary"])
    assert seen == [("AgendaItem", "schedule")]


@pytest.mark.parametrize(
    ("action", "name"),
    [
        (services.reassess_threat, "reassess"),
        (services.set_countermeasure_status, "move"),
        (services.acknowledge_alert, "acknowledge"),
        (services.cancel_run, "cancel"),
        (services.compute_forecast, "forecast"),
        (services.put_report_on_agenda, "schedule"),
        (services.create_threat, ""),  # entering a record is a plain creation
        (services.record_observations, ""),
    ],
)
def test_the_business_actions_are_declared(action, name):
    assert action.business_action == name


def test_bulk_observations_write_inside_an_audited_block(users, make_signal, monkeypatch):
    signal = make_signal(code="s0")
    services.record_observations(signal, actor=users["analyst"], observations=[("2026-01-01", 1)], forecast=False)
    allowed = []
    manager = type(Observation.objects)
    for method in ("bulk_create", "bulk_update"):
        real = getattr(manager, method)

        def spy(self, *args, _real=real, _method=method, **kwargs):
            allowed.append((_method, context.bulk_allowed(Observation)))
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(manager, method, spy)
    before = AuditEvent.objects.count()
    rows = [(signal.pk, dt.date(2026, 1, 1), 2.0), (signal.pk, dt.date(2026, 2, 1), 3.0)]
    summary = services.bulk_observations(rows, actor=users["analyst"], source="test")
    assert summary == {"created": 1, "updated": 1, "signals": 1}
    assert allowed == [("bulk_create", True), ("bulk_update", True)]
    assert not context.bulk_allowed(Observation)  # only inside the block
    event = AuditEvent.objects.order_by("seq").last()
    assert AuditEvent.objects.count() == before + 1
    assert event.object_type == "threats.observation" and event.action == "update"
    assert event.changes["replaced"] == {"s0": {"2026-01-01": [1.0, 2.0]}} and event.changes["created"] == 1


def test_the_demo_writes_its_observations_inside_an_audited_block(users, orgs, monkeypatch):
    monkeypatch.setattr(demo, "THREATS", demo.THREATS[:2])
    monkeypatch.setattr(services, "forecast_signals", lambda signals: {})
    monkeypatch.setattr(services, "start_run", lambda actor: None)
    allowed = []
    manager = type(Observation.objects)
    real = manager.bulk_create

    def spy(self, *args, **kwargs):
        allowed.append(context.bulk_allowed(Observation))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(manager, "bulk_create", spy)
    demo.load_demo()
    assert allowed == [True]
    event = AuditEvent.objects.filter(object_type="threats.observation").get()
    assert (
        event.action == "create"
        and event.object_repr == f"demo: {Observation.objects.count()} observations of 5 signals"
    )
