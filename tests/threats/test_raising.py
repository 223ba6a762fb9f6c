"""Raising a threat raises what derives from it through core.derivation: its signals and countermeasures,
and, declared by execution control without threats knowing it, the instructions aimed at it."""

import datetime as dt

from kenes.control import services as control
from kenes.core import derivation
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent, Notification


def test_raising_a_threat_raises_its_signals_countermeasures_and_the_instructions_aimed_at_it(
    make_threat, make_signal, users, orgs
):
    from kenes.threats import services

    threat = make_threat()
    signal = make_signal(threat)
    measure = services.add_countermeasure(threat, actor=users["analyst"], title="Close the route")
    instruction = control.issue_instruction(
        actor=users["secretary"],
        text="Act on the threat.",
        lead_executor=orgs["mia"],
        controller=users["controller"],
        due_date=dt.date(2026, 12, 10),
        issued_on=dt.date(2026, 11, 2),
        subject=threat,
    )
    higher = services.create_signal(
        actor=users["analyst"], name="Already secret", unit="x", threat=threat, classification=Classification.SECRET
    )
    notified = list(Notification.objects.filter(about_id=instruction.pk).values_list("pk", flat=True))
    raised = derivation.raise_classification(threat, Classification.SECRET, actor=users["secretary"])
    assert {(type(r).__name__, r.pk) for r in raised} == {
        ("Threat", threat.pk),
        ("Signal", signal.pk),
        ("Countermeasure", measure.pk),
        ("Instruction", instruction.pk),
        *(("Notification", pk) for pk in notified),  # the MIA liaison's "new instruction", raised with it
    }
    assert len(notified) == 1
    for record in (threat, signal, measure, instruction, higher):
        record.refresh_from_db()
        assert record.classification == Classification.SECRET, record
    event = AuditEvent.objects.filter(object_type="threats.signal", object_id=str(signal.pk), action="update").last()
    assert event.changes["classification"] == [Classification.OFFICIAL, Classification.SECRET]
