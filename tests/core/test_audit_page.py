"""The audit log as its readers see it: labels, changes as before → after, links to what the reader may
open, the filter by object type (only the types he may see), the event's page, and the XLSX and CSV
exports (marked with their highest level, audited, no formulas) — never an event above his clearance."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from kenes.core import auditlog
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.threats import services
from tests.conftest import queries

HOSTILE = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def register(users, orgs):
    analyst, chair = users["analyst"], users["chair"]

    def threat(actor, title, level, **extra):
        return services.create_threat(
            actor=actor,
            title=title,
            domain="border",
            scope="external",
            likelihood=2,
            impact=3,
            owner=orgs["mia"],
            classification=level,
            **extra,
        )

    official = threat(analyst, HOSTILE, Classification.OFFICIAL, description=HOSTILE)
    services.reassess_threat(official, actor=analyst, likelihood=4, impact=3, trend="rising", reason="more crossings")
    top = threat(chair, "TOP-SECRET-THREAT", Classification.TOP_SECRET)
    services.add_countermeasure(top, actor=chair, title="TOP-SECRET-MEASURE")  # a type only at top secret
    return {"official": official, "top": top}


def _page(client, **params):
    response = client.get(reverse("core:audit"), params)
    assert response.status_code == 200
    return response, response.content.decode()


def test_filter_by_object_type_and_the_before_after_table(client, users, register):
    client.force_login(users["auditor"])
    response, html = _page(client, object_type="threats.threat")
    choices = dict(response.context["form"].fields["object_type"].choices)
    assert choices["threats.threat"] == "Threat"
    assert "threats.countermeasure" not in choices  # only at top secret: not a type he may see
    events = [row.event for row in response.context["page"]]
    assert events and {e.object_type for e in events} == {"threats.threat"}
    assert "TOP-SECRET-THREAT" not in html and "TOP-SECRET-MEASURE" not in html
    update = next(row for row in response.context["page"] if row.event.action == "update")
    assert ("Likelihood", "2", "4") in {(c.field, c.before, c.after) for c in update.changes}
    assert ("Trend", "Stable", "Rising") in {(c.field, c.before, c.after) for c in update.changes}
    assert update.event.operation_label == "Reassessed" and "Reassessed" in html
    assert 'class="audit-changes"' in html and "→" in html
    detail = reverse("threats:threat-detail", args=[register["official"].pk])
    assert f'href="{detail}"' in html  # the record he may read is linked
    created = next(row for row in response.context["page"] if row.event.action == "create")
    classification = next(c for c in created.changes if c.field == "Classification")
    assert classification.before == "—" and classification.after == str(Classification.OFFICIAL.label)
    owner = next(c for c in created.changes if c.field == "Owner body")
    assert owner.after == register["official"].owner.name  # reference data by its name
    # A bad choice is an error on the field, never a 500; the rows are not filtered by it.
    bad, bad_html = _page(client, object_type="<script>x</script>")
    assert "object_type" in bad.context["form"].errors and "<script>x</script>" not in bad_html


def test_a_record_the_reader_may_not_open_is_not_linked(users, register):
    events = list(AuditEvent.objects.filter(object_type="threats.threat", object_id=str(register["top"].pk)))
    assert events
    assert auditlog.links(users["auditor"], events) == {}
    assert set(auditlog.links(users["chair"], events)) == {e.seq for e in events}


def test_long_values_are_cut_in_the_list_and_whole_on_the_event_page(client, users, register):
    long_reason = "word " * 100
    services.reassess_threat(
        register["official"], actor=users["analyst"], likelihood=5, impact=3, trend="rising", reason=long_reason
    )
    client.force_login(users["chair"])
    response, html = _page(client, object_type="threats.threatassessment")
    row = next(r for r in response.context["page"] if any(c.cut for c in r.changes))
    assert long_reason.strip() not in html
    event_page = client.get(reverse("core:audit-event", args=[row.event.seq]))
    assert event_page.status_code == 200 and long_reason.strip() in event_page.content.decode()


def test_who_may_not_read_gets_404(client, users, register):
    top_event = AuditEvent.objects.filter(object_repr="TOP-SECRET-THREAT").first()
    client.force_login(users["auditor"])
    assert client.get(reverse("core:audit-event", args=[top_event.seq])).status_code == 404
    assert client.get(reverse("core:audit-event", args=[10**18])).status_code == 404
    assert client.get(reverse("core:audit-export", args=["exe"])).status_code == 404
    refused = client.get(reverse("core:audit-export", args=["csv"]), {"since": "2026-13-45"})
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("core:audit") + "?")
    for name in ("analyst", "liaison", "admin"):
        client.force_login(users[name])
        for url in (
            reverse("core:audit"),
            reverse("core:audit-export", args=["xlsx"]),
            reverse("core:audit-export", args=["csv"]),
            reverse("core:audit-event", args=[top_event.seq - 1]),
        ):
            assert client.get(url).status_code == 404, (name, url)


def _xlsx_values(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell.value for row in book.active.iter_rows() for cell in row]


def test_exports_are_marked_neutralised_and_hold_nothing_above_the_reader(client, users, register):
    client.force_login(users["auditor"])
    answer = client.get(reverse("core:audit-export", args=["xlsx"]), {"object_type": "threats.threat"})
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"
    values = _xlsx_values(answer.content)
    assert values[0] == str(Classification.OFFICIAL.label).upper()  # the highest level among the exported events
    texts = [v for v in values if isinstance(v, str)]
    assert not any(v.startswith("=") for v in texts)
    assert "'" + HOSTILE in texts  # the record's name, a cell of its own: shown, never run
    assert not any("TOP-SECRET" in v for v in texts)
    exported = client.get(reverse("core:audit-export", args=["csv"]), {"object_type": "threats.threat"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == [str(Classification.OFFICIAL.label).upper()] and rows[1][0] == "#"
    assert "'" + HOSTILE in [cell for row in rows for cell in row]
    cells = [cell for row in rows for cell in row]
    assert not any(cell.lstrip().startswith("=") for cell in cells)
    assert not any("TOP-SECRET" in cell for cell in cells)


def test_an_export_holding_secret_events_is_audited(client, users, orgs):
    services.create_threat(
        actor=users["analyst"],
        title="Secret threat",
        domain="cyber",
        scope="internal",
        likelihood=1,
        impact=1,
        owner=orgs["mia"],
        classification=Classification.SECRET,
    )
    client.force_login(users["auditor"])
    before = AuditEvent.objects.filter(action="export").count()
    answer = client.get(reverse("core:audit-export", args=["xlsx"]), {"object_type": "threats.threat"})
    assert _xlsx_values(answer.content)[0] == str(Classification.SECRET.label).upper()
    exports = AuditEvent.objects.filter(action="export").order_by("-seq")
    assert exports.count() == before + 1
    assert exports[0].actor_username == "auditor" and exports[0].classification == Classification.SECRET


def test_the_page_and_the_export_keep_their_query_counts(client, users, orgs):
    def grow(n, offset):
        for i in range(n):
            threat = services.create_threat(
                actor=users["analyst"],
                title=f"T{offset + i}",
                domain="cyber",
                scope="internal",
                likelihood=1,
                impact=1,
                owner=orgs["mia"],
                classification=Classification.OFFICIAL,
            )
            services.reassess_threat(threat, actor=users["analyst"], likelihood=2, impact=2, trend="rising", reason="r")

    grow(2, 0)
    client.force_login(users["auditor"])
    urls = [
        reverse("core:audit") + "?object_type=threats.threat",
        reverse("core:audit-export", args=["xlsx"]) + "?object_type=threats.threat",
        reverse("core:audit-export", args=["csv"]),
    ]
    small = [queries(client, url) for url in urls]
    grow(12, 100)
    assert [queries(client, url) for url in urls] == small
