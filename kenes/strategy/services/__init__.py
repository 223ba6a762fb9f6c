"""Rules of strategic monitoring, and its evaluation engine, in one place (a package by topic).

Documents, goals, indicators, targets and measurements change only here, each change in one
transaction with its audit events (:mod:`.register`, :mod:`.measurements`); the evaluation of every
indicator is computed and stored by :mod:`.evaluation`; reports are :mod:`.reports`'s; what a reader
sees is :mod:`.reading`'s; who may do what, :mod:`.common`'s. Callers use the names below
(``from kenes.strategy import services; services.create_indicator(...)``)."""

import datetime as dt

from kenes.strategy.forecasting import forecast
from kenes.strategy.services import common
from kenes.strategy.services.common import (
    ABSURD,
    APPARATUS_ROLES,
    EDITING_ROLES,
    THRESHOLD_ROLES,
    VERIFYING_ROLES,
    may_edit,
    may_enter,
    may_read_thresholds,
    may_set_thresholds,
    may_verify,
    sees_apparatus_pages,
    window,
)
from kenes.strategy.services.evaluation import (
    ACHIEVEMENT_FIELDS,
    FORECAST_FIELDS,
    STATUSES,
    Node,
    achievement,
    evaluate,
    evaluate_soon,
    evaluation_of,
    refresh_forecasts,
    rollup,
    set_thresholds,
    status_for,
    thresholds,
)
from kenes.strategy.services.measurements import record_measurements, validate_measurement_period, verify_measurement
from kenes.strategy.services.reading import (
    documents_for,
    due_periods,
    entry_periods,
    goals_for,
    indicators_for,
    measurements_of,
    reports_for,
    revisions_of,
)
from kenes.strategy.services.register import (
    create_document,
    create_goal,
    create_indicator,
    edit_indicator,
    set_targets,
    set_weight,
    update_indicator,
)
from kenes.strategy.services.reports import create_report, document_figures, put_on_agenda
from kenes.strategy.services.translations import translate


def today() -> dt.date:
    """Today in Asia/Almaty: :func:`.common.today`, looked up when called, so there is one to patch."""
    return common.today()


__all__ = [
    "ABSURD",
    "ACHIEVEMENT_FIELDS",
    "APPARATUS_ROLES",
    "EDITING_ROLES",
    "FORECAST_FIELDS",
    "STATUSES",
    "THRESHOLD_ROLES",
    "VERIFYING_ROLES",
    "Node",
    "achievement",
    "create_document",
    "create_goal",
    "create_indicator",
    "create_report",
    "document_figures",
    "documents_for",
    "due_periods",
    "edit_indicator",
    "entry_periods",
    "evaluate",
    "evaluate_soon",
    "evaluation_of",
    "forecast",
    "goals_for",
    "indicators_for",
    "may_edit",
    "may_enter",
    "may_read_thresholds",
    "may_set_thresholds",
    "may_verify",
    "measurements_of",
    "put_on_agenda",
    "record_measurements",
    "refresh_forecasts",
    "reports_for",
    "revisions_of",
    "rollup",
    "sees_apparatus_pages",
    "set_targets",
    "set_thresholds",
    "set_weight",
    "status_for",
    "thresholds",
    "today",
    "translate",
    "update_indicator",
    "validate_measurement_period",
    "verify_measurement",
    "window",
]
