"""Situation reports scoped by domain, scope and owner body: every section and the export hold only
what concerns the threats of the scope, the page says which scope, and nothing above the author."""

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kenes.core.classification import Classification
from kenes.threats import services
from kenes.threats.models import SituationReport

YEAR = {"period_start": "2026-01-01", "period_end": timezone.localdate().replace(year=2100).isoformat()}


def _threat(users, make_threat, make_signal, title, *, actor="analyst", **fields):
    threat = make_threat(actor=users[actor], title=title, **fields)
    signal = make_signal(
        threat,
        actor=users[actor],
        code=title.lower().replace(" ", "-"),
        name=f"{title} signal",
        upper_threshold=1,
        classification=threat.classification,
    )
    services.record_observations(signal, actor=users[actor], observations=[("2026-01-01", 5)], forecast=False)
    services.add_countermeasure(threat, actor=users[actor], title=f"{title} measure")
    return threat


@pytest.fixture
def register(users, orgs, make_threat, make_signal):
    return {
        "border": _threat(users, make_threat, make_signal, "Border crossings", domain="border", scope="external"),
        "cyber": _threat(
            users, make_threat, make_signal, "Cyber attacks", domain="cyber", scope="internal", owner=orgs["akimat"]
        ),
        "top": _threat(
            users,
            make_threat,
            make_signal,
            "Top border",
            actor="chair",
            domain="border",
            scope="internal",
            classification=Classification.TOP_SECRET,
        ),
    }


def _text(report: SituationReport) -> str:
    return repr(report.sections)


def test_a_border_report_lists_border_threats_only(client, users, register):
    client.force_login(users["analyst"])
    made = client.post(reverse("threats:report-new"), {"title": "Border", "domain": "border", **YEAR}, follow=True)
    assert made.status_code == 200
    page = made.content.decode()
    assert "The situation report was created." in page
    report = SituationReport.objects.get(title="Border")
    assert report.domain == "border" and report.scope == "" and report.owner is None
    text = _text(report)
    for shown in ("Border crossings", "Border crossings signal", "Border crossings measure"):
        assert shown in text
    for hidden in ("Cyber attacks", "Top border"):  # another domain; above the author
        assert hidden not in text
    assert report.sections["by_domain"] == [{"domain": "Border", "domain_code": "border", "count": 1}]
    assert 'id="report-scope"' in page and "Border" in page.split('id="report-scope"')[1].split("</p>")[0]
    exported = client.get(reverse("threats:report-export", args=[report.pk, "docx"]))
    document = docx.Document(io.BytesIO(exported.content))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert "Border crossings" in words and "Cyber attacks" not in words and "Domain: Border" in words


def test_scoped_by_owner_and_scope(users, orgs, register):
    by_owner = services.create_situation_report(
        actor=users["analyst"],
        title="Almaty",
        owner=orgs["akimat"],
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2100, 1, 1),
    )
    text = _text(by_owner)
    assert "Cyber attacks" in text and "Border crossings" not in text
    external = services.create_situation_report(
        actor=users["chair"],
        title="External",
        scope="external",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2100, 1, 1),
    )
    assert "Border crossings" in _text(external) and "Top border" not in _text(external)
    assert "Cyber attacks" not in _text(external)
    everything = services.create_situation_report(
        actor=users["chair"], title="All", period_start=dt.date(2026, 1, 1), period_end=dt.date(2100, 1, 1)
    )
    assert all(t in _text(everything) for t in ("Border crossings", "Cyber attacks", "Top border"))
    assert not everything.scoped


def test_a_bad_scope_names_its_field(client, users):
    with pytest.raises(ValidationError) as refused:
        services.create_situation_report(
            actor=users["analyst"],
            title="X",
            domain="<script>",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 2, 1),
        )
    assert "domain" in refused.value.error_dict
    client.force_login(users["analyst"])
    answer = client.post(reverse("threats:report-new"), {"title": "X", "scope": "nowhere", "owner": "9" * 30, **YEAR})
    assert answer.status_code == 422
    assert {"scope", "owner"} <= set(answer.context["form"].errors)
    assert not SituationReport.objects.exists()
