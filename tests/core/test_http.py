"""The download every export goes through, and the one safe-redirect check."""

import pytest
from django.test import RequestFactory

from kenes.core.classification import Classification
from kenes.core.http import download, safe_target
from kenes.core.models import AuditEvent
from tests.testapp.models import Dossier


def _exports_during(call):
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = call()
    return response, list(AuditEvent.objects.filter(seq__gt=last, action=AuditEvent.Action.EXPORT).order_by("seq"))


@pytest.mark.django_db
def test_a_list_export_is_one_event_at_the_level_of_its_highest_record(users):
    rows = [
        Dossier.objects.create(title=f"D{level}", classification=level)
        for level in (Classification.OFFICIAL, Classification.SECRET, Classification.TOP_SECRET)
    ]
    response, events = _exports_during(
        lambda: download(b"x", content_type="text/plain", filename="list.txt", user=users["chair"], about=rows)
    )
    assert response["Cache-Control"] == "private, no-store"
    assert "list.txt" in response["Content-Disposition"]
    [event] = events
    assert event.classification == Classification.TOP_SECRET
    assert event.object_repr == "list.txt" and event.actor == users["chair"]
    assert event.changes == {"exported": {"testapp.dossier": sorted(r.pk for r in rows[1:])}, "count": 2}


@pytest.mark.django_db
def test_an_export_of_nothing_secret_writes_nothing_and_of_one_record_names_it(users):
    official = Dossier.objects.create(title="Open", classification=Classification.OFFICIAL)
    secret = Dossier.objects.create(title="Closed", classification=Classification.SECRET)
    user = users["chair"]
    assert (
        _exports_during(lambda: download(b"", content_type="text/plain", filename="a", user=user, about=[official]))[1]
        == []
    )
    [event] = _exports_during(lambda: download(b"", content_type="text/plain", filename="b", user=user, about=secret))[
        1
    ]
    assert (event.object_type, event.object_id) == ("testapp.dossier", str(secret.pk))


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/council/meetings/", True),
        ("/threats/alerts/?page=2", True),
        ("//evil.example/", False),
        ("https://evil.example/", False),
        ("/\\evil.example", False),
        ("", False),
        (None, False),
        ("javascript:alert(1)", False),
    ],
)
def test_only_paths_of_this_site_are_safe_to_go_back_to(url, safe):
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    assert safe_target(request, url) == (url if safe else None)
