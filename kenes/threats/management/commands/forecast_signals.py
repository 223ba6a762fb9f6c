"""Forecast every signal now (the daily job's work), with a progress bar; the run is recorded and its
page shows the same progress. It runs under the forecasts queue's time limit, as the worker would, so the
pages judge it by the same rule; a run that does not end done (cancelled, stopped) exits with an error."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kenes.core.tasks import FORECASTS_QUEUE, TimeLimitExceeded, time_limit, watchdog
from kenes.threats import services
from kenes.threats.choices import RunStatus
from kenes.threats.models import ForecastRun, Signal


class Command(BaseCommand):
    help = "Forecast every signal (backtest included) and raise the forecast-crossing alerts."

    def add_arguments(self, parser):
        parser.add_argument("--horizon", type=int, default=services.DEFAULT_HORIZON, help="periods ahead (default 12)")
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, horizon: int = services.DEFAULT_HORIZON, no_progress: bool = False, **options):
        if not 1 <= horizon <= 104:
            raise CommandError("the horizon is a whole number of periods from 1 to 104 (two seasons at most)")
        run = ForecastRun.objects.create(horizon=horizon, total=Signal.objects.count())
        with tqdm(total=run.total, unit="signal", disable=no_progress, file=self.stderr._out) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                with watchdog(time_limit(FORECASTS_QUEUE), "forecast_signals"):
                    run = services.execute_run(run, progress=progress)
            except TimeLimitExceeded as stopped:
                raise CommandError(str(stopped)) from None
        if run.status != RunStatus.DONE:
            reason = run.get_reason_display() or run.get_status_display()
            raise CommandError(
                f"the run ended {run.status} ({reason}): {run.forecast} signals forecast, {run.skipped} skipped"
            )
        self.stdout.write(self.style.SUCCESS(f"{run.forecast} signals forecast, {run.skipped} skipped"))
