"""Background tasks of strategic monitoring (run by ``manage.py db_worker``)."""

from django_tasks import task

from kenes.strategy import services


@task()
def refresh_forecasts(indicator_ids: list[int]) -> int:
    """Recompute the evaluations, with forecasts, of the indicators an import touched."""
    return services.refresh_forecasts(indicator_ids)
