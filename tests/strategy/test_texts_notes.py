"""Why an indicator has no forecast is written by the evaluation (a worker, in Kazakh) as a text code
and read in the reader's language, on the indicator's page and in the API."""

from django.utils import translation
from django.utils.translation import gettext

from kenes.strategy import services
from kenes.strategy.forecasting import MIN_FORECAST_POINTS
from kenes.strategy.models import IndicatorEvaluation

READERS = ("en", "ru")


def test_a_forecast_note_written_in_kazakh_is_read_in_the_readers_language(make_indicator, people, api, client):
    with translation.override("kk"):
        indicator = make_indicator("NOTE-1")
        services.evaluate([indicator.pk], with_forecast=True)
        kazakh = gettext("A forecast needs at least %(n)d values (the baseline counts); there are %(have)d.") % {
            "n": MIN_FORECAST_POINTS,
            "have": 1,
        }
    evaluation = IndicatorEvaluation.objects.get(indicator=indicator)
    assert evaluation.forecast_note_text == {
        "code": "forecast.too_few_values",
        "params": {"n": MIN_FORECAST_POINTS, "have": 1},
    }
    assert evaluation.forecast_note == kazakh  # as written, for the record
    client.force_login(people["analyst"])
    for language in READERS:
        with translation.override(language):
            expected = gettext("A forecast needs at least %(n)d values (the baseline counts); there are %(have)d.") % {
                "n": MIN_FORECAST_POINTS,
                "have": 1,
            }
            assert evaluation.forecast_note_shown == expected
        assert expected != kazakh
        headers = {"Accept-Language": language}
        answer = api(people["analyst"]).get(f"/api/v1/indicators/{indicator.pk}/evaluation", headers=headers)
        assert answer.status_code == 200 and answer.json()["forecast_note"] == expected
        page = client.get(f"/strategy/indicators/{indicator.pk}/", headers=headers).content.decode()
        assert expected in page and kazakh not in page


def test_a_note_written_before_codes_is_shown_as_written(make_indicator):
    evaluation = IndicatorEvaluation(forecast_note="Болжам жоқ", forecast_note_text={})
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            assert evaluation.forecast_note_shown == "Болжам жоқ"
    evaluation.forecast_note_text = {"code": "removed.code", "params": {}}
    assert evaluation.forecast_note_shown == "Болжам жоқ"
