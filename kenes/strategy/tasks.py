"""Background tasks of strategic monitoring (run by ``manage.py db_worker``)."""

from kenes.core.tasks import FORECASTS_QUEUE, background
from kenes.strategy import services


@background(queue_name=FORECASTS_QUEUE)
def refresh_forecasts(indicator_ids: list[int]) -> int:
    """Recompute the evaluations, with forecasts, of the indicators an import touched."""
    return services.refresh_forecasts(indicator_ids)
