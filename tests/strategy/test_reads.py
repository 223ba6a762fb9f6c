"""One read path: a page, an API read, an API change and an export of one strategic document,
indicator or report write exactly one read (or export) event to the audit log when the record is
secret, and none when it is official."""

import datetime as dt

import pytest
from django.urls import reverse

from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.strategy import services

D = dt.date
READ, EXPORT = AuditEvent.Action.READ, AuditEvent.Action.EXPORT
LEVELS = [(Classification.SECRET, 1), (Classification.OFFICIAL, 0)]


@pytest.fixture
def records(people, bodies):
    """``records(level)``: a document, its indicator and an evaluation report of it, all at ``level``."""

    def make(level: int):
        secretary = people["secretary"]
        document = services.create_document(
            actor=secretary,
            kind="security_strategy",
            title=f"Strategy at {level}",
            period_start=D(2021, 1, 1),
            period_end=D(2030, 12, 31),
            owner=bodies["apparatus"],
            classification=level,
        )
        indicator = services.create_indicator(
            document,
            actor=secretary,
            code=f"R{level}",
            name="Indicator",
            unit="%",
            baseline_value=100.0,
            baseline_period=D(2020, 1, 1),
            responsible=bodies["mia"],
            targets=[(D(2025, 1, 1), 150.0)],
            classification=level,
        )
        report = services.create_report(
            document, actor=secretary, period="2025-01-01", conclusion="On track.", classification=level
        )
        return document, indicator, report

    return make


def _events(record, action: str):
    return AuditEvent.objects.filter(
        action=action, object_type=record._meta.label_lower, object_id=str(record.pk), actor__username="secretary"
    )


def _only(record, action: str, expected: int, do) -> None:
    """``do()`` answers 200 and writes ``expected`` events of ``action`` about ``record``, and no other
    read or export event at all."""
    before = AuditEvent.objects.filter(action__in=[READ, EXPORT]).count()
    about = _events(record, action).count()
    response = do()
    assert response.status_code == 200, response.content[:500]
    assert _events(record, action).count() - about == expected
    assert AuditEvent.objects.filter(action__in=[READ, EXPORT]).count() - before == expected


@pytest.mark.parametrize(("level", "expected"), LEVELS)
def test_a_page_records_one_read_of_its_record(client, people, records, level, expected):
    document, indicator, report = records(level)
    client.force_login(people["secretary"])
    for record, url in [
        (document, reverse("strategy:document-detail", args=[document.pk])),
        (indicator, reverse("strategy:indicator-detail", args=[indicator.pk])),
        (indicator, reverse("strategy:indicator-edit", args=[indicator.pk])),
        (report, reverse("strategy:report-detail", args=[report.pk])),
    ]:
        _only(record, READ, expected, lambda url=url: client.get(url))


@pytest.mark.parametrize(("level", "expected"), LEVELS)
def test_an_api_read_or_change_records_one_read_of_its_record(api, people, records, level, expected):
    document, indicator, report = records(level)
    client = api(people["secretary"])
    calls = [
        (document, lambda: client.get(f"/api/v1/strategic-documents/{document.pk}")),
        (document, lambda: client.get(f"/api/v1/strategic-documents/{document.pk}/evaluation")),
        (indicator, lambda: client.get(f"/api/v1/indicators/{indicator.pk}")),
        (indicator, lambda: client.get(f"/api/v1/indicators/{indicator.pk}/evaluation")),
        (indicator, lambda: client.patch(f"/api/v1/indicators/{indicator.pk}", {"weight": 2})),
        (report, lambda: client.get(f"/api/v1/evaluation-reports/{report.pk}")),
    ]
    for record, call in calls:
        _only(record, READ, expected, call)


@pytest.mark.parametrize(("level", "expected"), LEVELS)
def test_an_export_records_one_export_and_no_read(client, people, records, level, expected):
    document, _indicator, report = records(level)
    client.force_login(people["secretary"])
    exports = [
        (document, reverse("strategy:document-export", args=[document.pk])),
        (report, reverse("strategy:report-export", args=[report.pk, "docx"])),
        (report, reverse("strategy:report-export", args=[report.pk, "pdf"])),
    ]
    for record, url in exports:
        _only(record, EXPORT, expected, lambda url=url: client.get(url))
    assert not _events(document, READ).exists() and not _events(report, READ).exists()


def test_a_document_export_records_each_row_above_the_documents_level(client, people, records):
    """An official document's table holding a top-secret indicator: the export of that indicator is
    written to the log (the document's own, official, is not)."""
    document, _indicator, _report = records(Classification.OFFICIAL)
    hidden = services.create_indicator(
        document,
        actor=people["secretary"],
        code="TOP",
        name="Top",
        unit="%",
        baseline_value=1.0,
        responsible=people["secretary"].organization,
        classification=Classification.TOP_SECRET,
    )
    client.force_login(people["secretary"])
    response = client.get(reverse("strategy:document-export", args=[document.pk]))
    assert response.status_code == 200
    assert _events(hidden, EXPORT).count() == 1
    assert not _events(document, EXPORT).exists()
    assert _events(hidden, EXPORT).get().classification == Classification.TOP_SECRET
