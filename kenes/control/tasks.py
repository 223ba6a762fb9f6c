"""Daily background jobs of execution control, enqueued by the scheduler and run by the worker."""

from kenes.control import services
from kenes.core.tasks import background


@background()
def daily_control() -> dict[str, int]:
    """Mark what became overdue today (Asia/Almaty) and send the reminders due today; each only once."""
    return {"overdue": services.mark_overdue(), "reminders": services.send_reminders()}
