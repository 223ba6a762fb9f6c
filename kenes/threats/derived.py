"""What derives from threats records, for :mod:`kenes.core.derivation`: a threat's signals and
countermeasures, a signal's alerts."""

from __future__ import annotations

from kenes.core import derivation
from kenes.threats.models import Alert, Countermeasure, Signal, Threat


def register() -> None:
    derivation.derives_through(Threat, Signal, "threat")
    derivation.derives_through(Threat, Countermeasure, "threat")
    derivation.derives_through(Signal, Alert, "signal")
