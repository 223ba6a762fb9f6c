"""Tasks the tests queue: one that naps (to go past a time limit)."""

import time

from kenes.core.tasks import background


@background()
def nap(seconds: float) -> str:
    """Sleep, in steps (a long sleep is interrupted all the same), then say so."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(min(0.05, max(end - time.monotonic(), 0)))
    return "rested"


@background(seconds=1)
def nap_past_a_second(seconds: float) -> str:
    """The same nap under a limit of its own, one second."""
    return nap.func.__wrapped__(seconds)
