"""The discipline figures against a hand-computed fixture, their drill-downs and exports."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from kenes.control import services
from kenes.core.classification import Classification
from kenes.reports import documents

D = dt.date


@pytest.fixture
def history(issue, people, bodies):
    """Six MIA instructions and two of the defence ministry, with known fates:

    MIA: a on time (due 10.12, done 09.12); b late by 4 days (due 10.12 → 14.12); c late by 2 days after a
    return; d and e never reported (overdue on 11.12); f withdrawn. MOD: g on time; h late by 6 days."""
    liaison, mod, controller = people["liaison"], people["liaison_mod"], people["controller"]

    def done(instruction, actor, on, returned=False):
        if returned:
            first = services.submit_report(instruction, actor=actor, text="first")
            services.review_report(first, actor=controller, outcome="return", comment="more")
        report = services.submit_report(instruction, actor=actor, text="done")
        services.review_report(report, actor=controller, outcome="accept", on=on)

    a, b, c, d, e, f = (issue(text=name) for name in "abcdef")
    done(a, liaison, D(2026, 12, 9))
    done(b, liaison, D(2026, 12, 14))
    done(c, liaison, D(2026, 12, 12), returned=True)
    services.mark_overdue(D(2026, 12, 11))
    assert {d.status, e.status} == {"assigned"} and d.pk and e.pk
    services.withdraw(f, actor=people["secretary"], reason="superseded")
    g = issue(text="g", lead_executor=bodies["mod"], co_executors=[])
    h = issue(text="h", lead_executor=bodies["mod"], co_executors=[])
    done(g, mod, D(2026, 12, 10))
    done(h, mod, D(2026, 12, 16))
    # outside the period: not counted
    issue(text="old", issued_on=D(2025, 12, 1), due_date=D(2025, 12, 20))
    return {"mia": bodies["mia"], "mod": bodies["mod"]}


def test_figures_match_the_hand_computation(history, people):
    figures = services.discipline(people["secretary"], issued_from=D(2026, 1, 1), issued_to=D(2026, 12, 31))
    total = figures["total"]
    # received: a b c d e g h (f withdrawn); on time a g; late b c h; overdue d (e was marked too: not reported)
    assert (total.received, total.on_time, total.late, total.returned) == (7, 2, 3, 1)
    assert total.overdue == 2  # d and e were both open on 11 December
    assert total.average_delay_days == pytest.approx((4 + 2 + 6) / 3, abs=0.05)
    rows = {pk: d for pk, _en, _ru, _kk, d in figures["by_body"]}
    mia, mod = rows[history["mia"].pk], rows[history["mod"].pk]
    assert (mia.received, mia.on_time, mia.late, mia.overdue, mia.returned) == (5, 1, 2, 2, 1)
    assert mia.average_delay_days == 3.0 and mia.on_time_share == round(1 / 5, 3)
    assert (mod.received, mod.on_time, mod.late, mod.overdue) == (2, 1, 1, 0)
    assert mod.average_delay_days == 6.0 and mod.on_time_share == 0.5
    assert [pk for pk, *_ in figures["by_body"]] == [history["mod"].pk, history["mia"].pk]  # the ranking
    assert [(month, d.received) for month, d in figures["monthly"]] == [(D(2026, 11, 1), 7)]


@pytest.mark.parametrize(
    ("figure", "expected"), [("received", 5), ("on_time", 1), ("late", 2), ("overdue", 2), ("returned", 1)]
)
def test_every_number_drills_down_to_its_instructions(client, history, people, figure, expected):
    client.force_login(people["secretary"])
    url = reverse("control:instruction-list")
    response = client.get(
        url, {"figure": figure, "executor": history["mia"].pk, "issued_from": "2026-01-01", "issued_to": "2026-12-31"}
    )
    assert response.context["page"].paginator.count == expected


def test_the_dashboard_page_and_api_agree(client, api, history, people):
    client.force_login(people["controller"])
    page = client.get(reverse("control:discipline"), {"issued_from": "2026-01-01", "issued_to": "2026-12-31"})
    assert page.status_code == 200 and page.context["total"].received == 7
    assert 'id="discipline-chart"' in page.content.decode()
    body = api(people["controller"]).get("/api/v1/discipline?issued_from=2026-01-01&issued_to=2026-12-31").json()
    assert body["total"]["received"] == 7 and body["total"]["late"] == 3
    assert {row["organization"] for row in body["by_body"]} == {history["mia"].pk, history["mod"].pk}
    bad = api(people["controller"]).get("/api/v1/discipline?issued_from=2026-12-31&issued_to=2026-01-01")
    assert bad.status_code == 422
    assert (
        api(people["liaison"]).get("/api/v1/discipline?issued_from=2026-01-01&issued_to=2026-12-31").status_code == 403
    )
    client.force_login(people["liaison"])
    assert client.get(reverse("control:discipline")).status_code == 404


def test_exports_neutralise_formulas_and_carry_the_marking(client, issue, people):
    issue(text='=HYPERLINK("http://evil.example","click")', classification=Classification.SECRET)
    client.force_login(people["secretary"])
    response = client.get(reverse("control:instruction-export"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(str(v).startswith("'=HYPERLINK") for v in cells)
    assert not any(str(v).startswith("=") for v in cells)
    stamp = documents.marking(Classification.SECRET)  # the one spelling of the stamp in every format
    assert sheet["A1"].value == stamp and sheet.oddHeader.center.text == stamp
    discipline = client.get(
        reverse("control:discipline-export"), {"issued_from": "2026-01-01", "issued_to": "2026-12-31"}
    )
    assert discipline.status_code == 200 and discipline["Content-Type"].startswith("application/vnd.openxml")
