"""Background work of the threat register: forecasts recomputed when data arrives, and daily for all."""

from kenes.core.tasks import FORECASTS_QUEUE, background
from kenes.threats import services
from kenes.threats.models import ForecastRun, Signal


@background(queue_name=FORECASTS_QUEUE)
def forecast_batch(signal_ids: list[int]) -> dict[str, int]:
    """Recompute the forecasts of the signals whose observations changed, in one batch (the same
    ``forecast_signals`` path as the runs); a series that cannot be forecast is left without one."""
    chosen = Signal.objects.filter(pk__in=signal_ids)  # policy: the system's own job
    signals = list(chosen.select_related("threat").order_by("pk"))
    answers = services.forecast_signals(signals)
    made = sum(not isinstance(answer, str) for answer in answers.values())
    return {"forecast": made, "skipped": len(answers) - made}


@background(queue_name=FORECASTS_QUEUE)
def run_forecasts(run_id: int) -> dict[str, int]:
    """Forecast every signal for a run (queued by a person or by the daily job)."""
    run = services.execute_run(ForecastRun.objects.get(pk=run_id))
    return {"forecast": run.forecast, "skipped": run.skipped}


@background(queue_name=FORECASTS_QUEUE)
def daily_forecasts() -> int:
    """The daily job: one run over all signals, its progress on the runs page."""
    run = ForecastRun.objects.create(horizon=services.DEFAULT_HORIZON, total=Signal.objects.count())
    services.execute_run(run)
    return run.pk
