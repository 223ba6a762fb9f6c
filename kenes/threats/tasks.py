"""Background work of the threat register: forecasts recomputed when data arrives, and daily for all."""

from django_tasks import task

from kenes.threats import services
from kenes.threats.models import ForecastRun, Signal


@task()
def forecast_signal(signal_id: int) -> str:
    """Recompute one signal's forecast after its observations changed; a series that cannot be
    forecast (too short, constant) is left without one and says why."""
    signal = Signal.objects.select_related("threat").filter(pk=signal_id).first()  # policy: the system's own job
    if signal is None:
        return "gone"
    answer = services.forecast_signals([signal])[signal.pk]
    return answer if isinstance(answer, str) else f"forecast {answer.pk}"


@task()
def run_forecasts(run_id: int) -> dict[str, int]:
    """Forecast every signal for a run (queued by a person or by the daily job)."""
    run = services.execute_run(ForecastRun.objects.get(pk=run_id))
    return {"forecast": run.forecast, "skipped": run.skipped}


@task()
def daily_forecasts() -> int:
    """The daily job: one run over all signals, its progress on the runs page."""
    run = ForecastRun.objects.create(horizon=services.DEFAULT_HORIZON, total=Signal.objects.count())
    services.execute_run(run)
    return run.pk
