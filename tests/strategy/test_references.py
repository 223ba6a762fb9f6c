"""An evaluation report's agenda item is shown (page, API) only to who may read the item: a report put
on a top-secret session's agenda keeps its own level, and an analyst cleared secret sees no item."""

import datetime as dt

from django.urls import reverse

from kenes.core.classification import Classification
from kenes.council import services as council
from kenes.strategy import services


def test_the_agenda_item_of_a_report_is_shown_only_to_who_may_read_it(client, api, people, document):
    report = services.create_report(document, actor=people["analyst"], period="2025-01-01", conclusion="c")
    session = council.create_meeting(
        actor=people["secretary"],
        title="Top session",
        date=dt.date(2026, 12, 1),
        classification=Classification.TOP_SECRET,
    )
    item = services.put_on_agenda(report, session, actor=people["secretary"])
    for name, sees in (("analyst", False), ("secretary", True)):
        user = people[name]
        answer = api(user).get(f"/api/v1/evaluation-reports/{report.pk}")
        assert answer.status_code == 200, name
        assert answer.json()["agenda_item"] == (item.pk if sees else None), name
        client.force_login(user)
        page = client.get(reverse("strategy:report-detail", args=[report.pk])).content.decode()
        assert ('id="agenda-item"' in page) is sees, name
