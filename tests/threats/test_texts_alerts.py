"""An alert raised while the worker's language (Kazakh) is active is read in the reader's language,
with his number format: on the alerts of a signal, in the API (its ``message`` field), in the
notification it sends and in a situation report's section. The expected texts are the templates
rendered by Django under each language."""

import datetime as dt

from django.utils import formats, translation
from django.utils.translation import gettext

from kenes.core import texts
from kenes.core.models import Notification
from kenes.threats import services
from kenes.threats.choices import AlertKind
from kenes.threats.models import Alert

READERS = ("en", "ru")


def grouped(value) -> str:
    """A number as Django formats it in the active language (Kazakh, which Django has no formats for,
    as Kenes writes it: ``1 234,5``)."""
    if translation.get_language() == "kk":
        return texts.number(value)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def expected_above(signal_name: str) -> str:
    """The threshold alert's text in the active language, built from its template."""
    return gettext("%(signal)s: %(value)s in %(period)s is above the threshold %(threshold)s.") % {
        "signal": signal_name,
        "value": grouped(1234.5),
        "period": "2026-01",
        "threshold": grouped(1000),
    }


def raise_in_kazakh(make_threat, make_signal, users):
    signal = make_signal(make_threat(), upper_threshold=1000)
    with translation.override("kk"):
        services.record_observations(
            signal, actor=users["analyst"], observations=[("2026-01-01", 1234.5)], forecast=False
        )
        kazakh = expected_above(signal.name)
    return signal, Alert.objects.get(signal=signal), kazakh


def test_an_alert_written_in_kazakh_is_read_in_the_readers_language(make_threat, make_signal, users):
    signal, alert, kazakh = raise_in_kazakh(make_threat, make_signal, users)
    assert alert.code == "threats.alert_above" and alert.message == kazakh
    assert alert.params["value"] == 1234.5 and alert.params["threshold"] == 1000.0  # numbers, not text
    for language in READERS:
        with translation.override(language):
            assert alert.text == expected_above(signal.name) != kazakh
            assert grouped(1234.5) in alert.text
    with translation.override("en"):
        assert "1,234.5" in alert.text and "1,000" in alert.text
    with translation.override("ru"):
        assert "1\xa0234,5" in alert.text


def test_an_alert_written_before_codes_shows_its_stored_message(make_threat, make_signal, users):
    _signal, alert, _kazakh = raise_in_kazakh(make_threat, make_signal, users)
    alert.code, alert.params, alert.message = "", {}, "Ескі ескерту"  # a row from before the codes
    with translation.override("en"):
        assert alert.text == "Ескі ескерту"
        alert.code = "removed.code"
        assert alert.text == "Ескі ескерту"


def test_the_api_page_notification_and_report_read_the_alert_in_the_request_language(
    make_threat, make_signal, users, api, client
):
    signal, alert, kazakh = raise_in_kazakh(make_threat, make_signal, users)
    analyst = users["analyst"]
    notification = Notification.objects.get(user=analyst, key=f"threat-alert:{alert.pk}")
    assert notification.code == "threats.alert_title" and notification.body_code == "threats.alert_above"
    with translation.override("kk"):
        report = services.create_situation_report(
            actor=analyst,
            title="Weekly",
            period_start=dt.date.today() - dt.timedelta(days=1),
            period_end=dt.date.today() + dt.timedelta(days=1),
        )
    client.force_login(analyst)
    for language in READERS:
        with translation.override(language):
            expected = expected_above(signal.name)
            title = gettext("Early warning: %(signal)s") % {"signal": signal.name}
            assert (notification.title_text, notification.body_text) == (title, expected)
        headers = {"Accept-Language": language}
        answer = api(analyst).get(f"/api/v1/alerts/{alert.pk}", headers=headers)
        assert answer.status_code == 200 and answer.json()["message"] == expected
        listed = api(analyst).get("/api/v1/alerts", headers=headers).json()
        items = listed["items"] if isinstance(listed, dict) else listed
        assert [a["message"] for a in items if a["id"] == alert.pk] == [expected]
        page = client.get(f"/threats/signals/{signal.pk}/", headers=headers).content.decode()
        assert expected in page and kazakh not in page
        inbox = client.get("/notifications/", headers=headers).content.decode()
        assert expected in inbox and title in inbox
        shown = client.get(f"/threats/reports/{report.pk}/", headers=headers)
        with translation.override(language):
            kind = f"{AlertKind.THRESHOLD.label}: {expected}"
        assert shown.status_code == 200 and kind in shown.content.decode()


def test_an_observation_import_run_in_kazakh_names_its_errors_in_the_readers_language(users, api):
    from kenes.core import imports

    analyst = users["analyst"]
    with translation.override("kk"):
        job = imports.start(
            "threats.observations",
            b"signal,period,value\nno-such-signal,2026-01-01,1\n",
            filename="o.csv",
            actor=analyst,
        )
    job.refresh_from_db()
    assert job.errors[0]["code"] == "import.unknown_signal"
    for language in READERS:
        with translation.override(language):
            expected = gettext("No signal with the code “%(code)s”.") % {"code": "no-such-signal"}
        answer = api(analyst).get(f"/api/v1/imports/{job.pk}", headers={"Accept-Language": language})
        assert answer.json()["errors"][0]["message"] == expected


def test_an_alert_names_its_signal_in_the_readers_language(make_threat, make_signal, users):
    """The signal's name inside the message follows its translations, as the signal column beside it does."""
    signal, alert, _kazakh = raise_in_kazakh(make_threat, make_signal, users)
    signal.translations = {"ru": {"name": "Паводки на реках"}}
    signal.save()
    alert = Alert.objects.select_related("signal").get(pk=alert.pk)
    with translation.override("ru"):
        assert alert.text == expected_above("Паводки на реках")
    with translation.override("en"):
        assert alert.text == expected_above(signal.name), "no translation: the name as entered"
