"""What derives from threats records, for :mod:`kenes.core.derivation`: a threat's signals and
countermeasures, a signal's alerts."""

from __future__ import annotations

from django.db.models import QuerySet

from kenes.core import derivation
from kenes.threats.models import Alert, Countermeasure, Signal, Threat


def _signals_of_threat(threat: Threat) -> QuerySet[Signal]:
    return Signal.objects.filter(threat=threat)


def _countermeasures_of_threat(threat: Threat) -> QuerySet[Countermeasure]:
    return Countermeasure.objects.filter(threat=threat)


def _alerts_of_signal(signal: Signal) -> QuerySet[Alert]:
    return Alert.objects.filter(signal=signal)


def register() -> None:
    derivation.derives(Threat, _signals_of_threat)
    derivation.derives(Threat, _countermeasures_of_threat)
    derivation.derives(Signal, _alerts_of_signal)
