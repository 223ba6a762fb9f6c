"""Rules of the threat register: threats and their reassessment (:mod:`.register`), countermeasures
(:mod:`.countermeasures`), signals and their observations (:mod:`.signals`), forecasts (:mod:`.forecasts`,
one engine, :mod:`kenes.threats.forecasting`) and forecast runs (:mod:`.runs`), the acknowledgement of
early-warning alerts (:mod:`.alerts`), and situation reports (:mod:`.reports`).

Every change runs in one transaction with its audit events (``core.services.service``); bulk writes of
observations run in an audited block (``core.audit.bulk``) that writes one summary event. Notifications
are recorded in the same transaction and e-mailed after it commits. Callers use the names exported here
(``from kenes.threats import services; services.create_threat(...)``).
"""

from kenes.threats.services.alerts import (
    acknowledge_alert,
    acknowledge_many,
    acknowledgeable,
    alerts_for,
    may_acknowledge,
)
from kenes.threats.services.common import EDITING_ROLES, check_scale, check_text, may_edit, may_record
from kenes.threats.services.countermeasures import (
    COUNTERMEASURE_MOVES,
    add_countermeasure,
    countermeasures_for,
    instructions_for_countermeasures,
    set_countermeasure_status,
)
from kenes.threats.services.forecasts import (
    DEFAULT_HORIZON,
    check_horizon,
    check_run_horizon,
    compute_forecast,
    forecast_signals,
    latest_forecast,
)
from kenes.threats.services.register import (
    create_threat,
    instructions_for_subject,
    matrix,
    reassess_threat,
    threats_for,
)
from kenes.threats.services.reports import create_situation_report, put_report_on_agenda, reports_for
from kenes.threats.services.runs import (
    RunCancelled,
    cancel_run,
    cancels_runs,
    end_if_interrupted,
    execute_run,
    interrupted_after,
    may_cancel,
    runs_for,
    shows_counts,
    start_run,
)
from kenes.threats.services.signals import (
    MAX_ABS_VALUE,
    MAX_AUDITED_REPLACEMENTS,
    MAX_OBSERVATIONS_PER_CALL,
    SIGNAL_CODE,
    bulk_observations,
    check_value,
    clean_observations,
    consecutive_tail,
    create_signal,
    enqueue_forecasts,
    history,
    latest_periods,
    record_observations,
    signals_for,
)
from kenes.threats.services.translations import translate

__all__ = [
    "COUNTERMEASURE_MOVES",
    "DEFAULT_HORIZON",
    "EDITING_ROLES",
    "MAX_ABS_VALUE",
    "MAX_AUDITED_REPLACEMENTS",
    "MAX_OBSERVATIONS_PER_CALL",
    "SIGNAL_CODE",
    "RunCancelled",
    "acknowledge_alert",
    "acknowledge_many",
    "acknowledgeable",
    "add_countermeasure",
    "alerts_for",
    "bulk_observations",
    "cancel_run",
    "cancels_runs",
    "check_horizon",
    "check_run_horizon",
    "check_scale",
    "check_text",
    "check_value",
    "clean_observations",
    "compute_forecast",
    "consecutive_tail",
    "countermeasures_for",
    "create_signal",
    "create_situation_report",
    "create_threat",
    "end_if_interrupted",
    "enqueue_forecasts",
    "execute_run",
    "forecast_signals",
    "history",
    "instructions_for_countermeasures",
    "instructions_for_subject",
    "interrupted_after",
    "latest_forecast",
    "latest_periods",
    "matrix",
    "may_acknowledge",
    "may_cancel",
    "may_edit",
    "may_record",
    "put_report_on_agenda",
    "reassess_threat",
    "record_observations",
    "reports_for",
    "runs_for",
    "set_countermeasure_status",
    "shows_counts",
    "signals_for",
    "start_run",
    "threats_for",
    "translate",
]
