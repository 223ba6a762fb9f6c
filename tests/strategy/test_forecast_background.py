"""Entering a value answers at once: the forecast is left to the worker on its own queue, the page says
it is being recomputed (and since when) and polls until the new forecast is in; the API likewise."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from kenes.core.tasks import FORECASTS_QUEUE, QUEUES
from kenes.strategy.models import IndicatorEvaluation
from kenes.strategy.services import evaluation as engine

D = dt.date


@pytest.fixture
def queued(settings):
    """The real database backend: an enqueued task waits for a worker instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(QUEUES)}}


@pytest.fixture
def forecasts_run(monkeypatch):
    """Counts the forecasts computed (the slow part the request must not do)."""
    calls = []
    real = engine.forecast

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "forecast", counting)
    return calls


def _waiting_tasks():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(status="READY").values_list("queue_name", "task_path", "args_kwargs"))


def _measure(client, indicator, period="2023-01-01", value="123"):
    url = reverse("strategy:indicator-action", args=[indicator.pk, "measure"])
    return client.post(url, {"period": period, "value": value})


def test_the_page_saves_without_forecasting_and_shows_the_pending_forecast(
    client, people, make_indicator, queued, forecasts_run
):
    indicator = make_indicator("BG-1")
    forecasts_run.clear()
    client.force_login(people["analyst"])
    assert _measure(client, indicator, "2022-01-01", "115").status_code == 302
    assert _measure(client, indicator).status_code == 302
    assert forecasts_run == [], "the request computed a forecast"
    tasks = _waiting_tasks()
    assert [(q, path) for q, path, _args in tasks] == [(FORECASTS_QUEUE, "kenes.strategy.tasks.refresh_forecasts")] * 2
    assert all(args["args"] == [[indicator.pk]] for _q, _p, args in tasks)
    stored = IndicatorEvaluation.objects.get(indicator=indicator)
    assert stored.actual == 123 and stored.forecast_pending and stored.forecast_end_value is None
    page = client.get(reverse("strategy:indicator-detail", args=[indicator.pk])).content.decode()
    assert 'id="forecast-pending"' in page
    assert stored.forecast_requested_at.astimezone().strftime("%Y-%m-%d") in page
    fragment = client.get(reverse("strategy:indicator-forecast", args=[indicator.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and 'id="forecast-pending"' in fragment

    from kenes.strategy.tasks import refresh_forecasts

    refresh_forecasts.call([indicator.pk])  # what the worker does with the task
    assert len(forecasts_run) == 1
    stored.refresh_from_db()
    assert stored.forecast_end_value is not None and not stored.forecast_pending
    fragment = client.get(reverse("strategy:indicator-forecast", args=[indicator.pk])).content.decode()
    assert "hx-trigger" not in fragment and "forecast-pending" not in fragment, "the polling stops"
    assert f"{stored.forecast_end_value:.2f}" in fragment


def test_a_value_entered_while_the_worker_computes_keeps_the_forecast_pending(people, make_indicator, queued):
    indicator = make_indicator("BG-2")
    from kenes.strategy import services

    services.record_measurements(indicator, actor=people["analyst"], measurements=[("2023-01-01", 120)])
    stored = IndicatorEvaluation.objects.get(indicator=indicator)
    # The worker began before the request: its forecast is older than the request, still pending.
    IndicatorEvaluation.objects.filter(pk=stored.pk).update(
        forecast_at=stored.forecast_requested_at - dt.timedelta(seconds=1)
    )
    stored.refresh_from_db()
    assert stored.forecast_pending


def test_the_api_records_values_without_forecasting(api, people, make_indicator, queued, forecasts_run):
    indicator = make_indicator("BG-3")
    forecasts_run.clear()
    analyst = api(people["analyst"])
    posted = analyst.post(
        f"/api/v1/indicators/{indicator.pk}/measurements",
        {"measurements": [{"period": "2022-01-01", "value": 112}, {"period": "2023-01-01", "value": 125}]},
    )
    assert posted.status_code == 201, posted.content
    assert forecasts_run == []
    assert [q for q, _p, _a in _waiting_tasks()] == [FORECASTS_QUEUE]
    evaluation = analyst.get(f"/api/v1/indicators/{indicator.pk}/evaluation").json()
    assert evaluation["forecast_pending"] is True and evaluation["forecast_requested_at"]
    assert evaluation["actual"] == 125 and evaluation["forecast_end_value"] is None


def test_hostile_input_to_the_forecast_fragment(client, people, make_indicator):
    indicator = make_indicator("BG-4")
    client.force_login(people["liaison_mod"])  # another body's liaison officer cannot read it
    assert client.get(reverse("strategy:indicator-forecast", args=[indicator.pk])).status_code == 404
    assert client.get("/strategy/indicators/999999999999/forecast/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_worker_computes_the_forecast_and_the_page_stops_waiting(client, people, make_indicator, queued):
    indicator = make_indicator("BG-5")
    client.force_login(people["analyst"])
    _measure(client, indicator, "2022-01-01", "111")
    _measure(client, indicator, "2023-01-01", "121")
    assert IndicatorEvaluation.objects.get(indicator=indicator).forecast_pending
    call_command("db_worker", "--queue-name", FORECASTS_QUEUE, "--batch", "--no-startup-delay", verbosity=0)
    stored = IndicatorEvaluation.objects.get(indicator=indicator)
    assert not stored.forecast_pending and stored.forecast_end_value is not None
    assert _waiting_tasks() == []
    page = client.get(reverse("strategy:indicator-detail", args=[indicator.pk])).content.decode()
    assert "forecast-pending" not in page and f"{stored.forecast_end_value:.2f}" in page


def test_the_poll_logs_no_read_and_gives_up_after_its_tries(client, people, make_indicator, queued):
    """Each poll of a secret indicator would otherwise write a read event every two seconds, for ever
    when the worker is down; the page's own read is the one logged, and the polling stops after
    ``FORECAST_POLLS`` tries with a word to reload later."""
    from kenes.core.classification import Classification
    from kenes.core.models import AuditEvent
    from kenes.strategy.views import FORECAST_POLLS

    indicator = make_indicator("BG-9", classification=Classification.SECRET)
    client.force_login(people["analyst"])
    assert _measure(client, indicator).status_code == 302
    url = reverse("strategy:indicator-forecast", args=[indicator.pk])
    reads = AuditEvent.objects.filter(action="read").count()
    first = client.get(url).content.decode()
    assert f"{url}?poll=1" in first and 'hx-trigger="every 2s"' in first
    assert f"?poll={FORECAST_POLLS - 1}" in client.get(url, {"poll": FORECAST_POLLS - 2}).content.decode()
    last = client.get(url, {"poll": FORECAST_POLLS - 1}).content.decode()
    assert "hx-trigger" not in last and 'id="forecast-pending"' in last, "the polling gave up, still saying why"
    assert client.get(url, {"poll": "²"}).status_code == 200
    assert AuditEvent.objects.filter(action="read").count() == reads, "a poll logged a read"
    assert 'id="forecast"' not in first, "a pending poll carries no figure of the indicator"
    from kenes.strategy.tasks import refresh_forecasts

    refresh_forecasts.call([indicator.pk])
    final = client.get(url, {"poll": 3}).content.decode()
    assert 'id="forecast"' in final and "hx-trigger" not in final
    assert AuditEvent.objects.filter(action="read").count() == reads + 1, "the answer with the figures is a read"
