"""The audit log files a target's and a measurement's events at their indicator's level, so an auditor
reads of them only what his clearance allows."""

import datetime as dt

from kenes.core import audit
from kenes.core.classification import Classification
from kenes.strategy import services

D = dt.date


def test_a_top_secret_indicators_values_are_audited_at_its_level(make_indicator, people):
    secret = make_indicator("LOW", classification=Classification.SECRET, actor=people["secretary"])
    top = make_indicator("TOP", classification=Classification.TOP_SECRET, actor=people["secretary"])
    for indicator in (secret, top):
        services.record_measurements(indicator, actor=people["secretary"], measurements=[("2024-01-01", 150)])
        services.set_targets(indicator, actor=people["secretary"], targets=[("2024-01-01", 170)])
    auditor = people["auditor"]  # cleared to SECRET
    events = audit.events_visible_to(auditor).filter(object_type__in=["strategy.measurement", "strategy.target"])
    seen = {(e.object_type, e.classification) for e in events}
    assert ("strategy.measurement", Classification.SECRET) in seen
    assert ("strategy.target", Classification.SECRET) in seen
    hidden = {m.pk for m in top.measurements.all()} | {t.pk for t in top.targets.all()}
    assert hidden and not events.filter(object_id__in=[str(pk) for pk in hidden]).exists()
    all_events = audit.events_visible_to(people["secretary"])
    top_event = all_events.get(object_type="strategy.measurement", object_id=str(top.measurements.get().pk))
    assert top_event.classification == Classification.TOP_SECRET


def test_business_actions_name_themselves_while_they_run(make_indicator, people, monkeypatch):
    """Entering values, verifying one, writing a report and putting it on an agenda are business
    actions: the audit log is told their name while they run; adding an indicator is a plain write."""
    from kenes.core import context
    from kenes.strategy.services import evaluation

    seen = []
    evaluate = evaluation.evaluate
    monkeypatch.setattr(
        evaluation, "evaluate", lambda ids, **kw: seen.append(context.action_name()) or evaluate(ids, **kw)
    )
    indicator = make_indicator("NAMED")
    services.record_measurements(indicator, actor=people["analyst"], measurements=[("2024-01-01", 150)])
    # at once without the forecast, then (the test backend runs tasks at once) the forecast's task
    assert seen[0] == "" and seen[1:] and set(seen[1:]) == {"enter"}
    named = {
        f.__name__: f.business_action
        for f in (services.verify_measurement, services.create_report, services.put_on_agenda, services.edit_indicator)
    }
    assert named == {
        "verify_measurement": "verify",
        "create_report": "evaluate",
        "put_on_agenda": "schedule",
        "edit_indicator": "",
    }
