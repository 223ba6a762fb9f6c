"""The catalogue of generated texts (:mod:`kenes.core.texts`): every code a process may store, with its
lazily translated template. A code is never reused for another meaning; a removed code leaves old
rows showing their stored fallback. Templates name their parameters; a count is plural-aware.

The templates keep the wording (and so the existing translations) of the sentences they replace."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from kenes.core.texts import define

# -- Words stored inside other texts (rendered through their code) ---------------------------------

define("side.upper", _("upper"))
define("side.lower", _("lower"))
define("frequency.daily", _("daily"))
define("frequency.weekly", _("weekly"))
define("frequency.monthly", _("monthly"))
define("frequency.quarterly", _("quarterly"))
define("frequency.annual", _("annual"))

# -- Notifications: control ------------------------------------------------------------------------

define("control.instruction_issued", _("New instruction %(number)s"))
define("control.instruction_overdue", _("Instruction %(number)s is overdue"))
define(
    "control.instruction_reminder",
    ngettext_lazy(
        "Instruction %(number)s is due in %(days)s day", "Instruction %(number)s is due in %(days)s days", "days"
    ),
)
define("control.controller_assigned", _("You control instruction %(number)s"))
define("control.report_submitted", _("Report on instruction %(number)s"))
define("control.input_submitted", _("Input of a co-executor on %(number)s"))
define("control.report_returned", _("Report on %(number)s returned"))

# -- Threats: early warnings -----------------------------------------------------------------------

define("threats.alert_title", _("Early warning: %(signal)s"))
define("threats.alert_above", _("%(signal)s: %(value)s in %(period)s is above the threshold %(threshold)s."))
define("threats.alert_below", _("%(signal)s: %(value)s in %(period)s is below the threshold %(threshold)s."))
define(
    "threats.alert_outside",
    _("%(signal)s: %(value)s in %(period)s is outside the forecast's 95%% interval [%(lo)s, %(hi)s] (%(model)s)."),
)
define(
    "threats.alert_crossing",
    _(
        "%(signal)s: the forecast's 95%% interval crosses the %(side)s threshold %(threshold)s in %(period)s "
        "(%(model)s; mean %(mean)s)."
    ),
)

# -- Imports (kenes.core.tabular and the modules' handlers) ----------------------------------------

define("import.file_refused", _("The file was refused."))
define("import.empty", _("The file is empty."))
define(
    "import.old_excel",
    _("This is an old Excel (.xls) file; save it as .xlsx or as CSV (UTF-8) and upload it again."),
)
define("import.no_header", _("The file has no header row."))
define(
    "import.too_many_rows",
    _("The file has more than %(max)s data rows; split it into smaller files."),
)
define("import.column_twice", _("The column appears twice."))
define("import.column_missing", _("The required column is missing; the header row must name it."))
define("import.not_tabular", _("The file is not a spreadsheet or UTF-8 text; save it as .xlsx or as CSV (UTF-8)."))
define("import.csv_malformed", _("The CSV text is malformed: %(error)s"))
define("import.too_large_unpacked", _("The spreadsheet is too large once unpacked."))
define("import.damaged", _("The spreadsheet is damaged and cannot be read."))
define(
    "import.merged_cells",
    _("The sheet has merged cells (%(range)s); unmerge them so that each value has its own cell."),
)
define("import.formula", _("The cell holds a formula; paste its value instead."))
define("import.not_a_number", _("“%(value)s” is not a number."))
define("import.not_finite", _("The number must be finite."))
define("import.below_minimum", _("%(value)s is below the smallest allowed value, %(min)s."))
define("import.above_maximum", _("%(value)s is above the largest allowed value, %(max)s."))
define("import.date_with_time", _("Enter a date without a time."))
define("import.bad_date", _("Enter a date as YYYY-MM-DD; “%(value)s” is not one."))
define(
    "import.not_period_start",
    _("%(day)s is not the first day of a %(frequency)s period; write it as %(start)s."),
)
define("import.empty_cell", _("This cell is empty; it must be filled."))
define("import.text_too_long", _("The text is longer than %(max)s characters."))
define(
    "import.interrupted",
    _(
        "The import was interrupted. Its rows were written all together or not at all: "
        "check the data before importing the file again."
    ),
)
define(
    "import.time_limit",
    _("The import ran past its time limit of %(seconds)s seconds and was stopped; nothing was written."),
)
define("import.internal_error", _("The import failed because of an internal error; nothing was written."))
define("import.unknown_indicator", _("Unknown indicator."))
define("import.required", _("Required."))
define("import.outside_document", _("The period is outside the document's period (%(start)s – %(end)s)."))
define("import.not_begun", _("The period has not begun yet."))
define("import.indicator_period_twice", _("The same indicator and period are on row %(row)s too."))
define("import.no_rows", _("The file has no rows to import."))
define("import.unknown_signal", _("No signal with the code “%(code)s”."))
define("import.may_not_record", _("You may not record observations of this signal."))
define("import.period_twice", _("This period is already given in row %(row)s."))
define("import.no_such_threat", _("No such threat."))

# -- Forecast notes (why an indicator has no forecast) ---------------------------------------------

define(
    "forecast.too_few_values",
    _("A forecast needs at least %(n)d values (the baseline counts); there are %(have)d."),
)
define("forecast.end_measured", _("The end of the document's period is already measured."))
define("forecast.too_far", _("The end of the document's period is too far ahead to forecast."))
define("forecast.failed", _("The forecast failed on this series: %(error)s"))
define("forecast.not_finite", _("The forecast failed on this series: not a finite value."))

# -- Kazakhstan's public holidays (kenes.control.workdays; Kazakh names come from the holidays library)

define("holiday.new_year", pgettext_lazy("holiday", "New Year's Day"))
define("holiday.orthodox_christmas", pgettext_lazy("holiday", "Orthodox Christmas"))
define("holiday.womens_day", pgettext_lazy("holiday", "International Women's Day"))
define("holiday.nowruz", pgettext_lazy("holiday", "Nowruz Holiday"))
define("holiday.unity_day", pgettext_lazy("holiday", "Kazakhstan's People Unity Day"))
define("holiday.defender_day", pgettext_lazy("holiday", "Defender of the Fatherland Day"))
define("holiday.victory_day", pgettext_lazy("holiday", "Victory Day"))
define("holiday.capital_day", pgettext_lazy("holiday", "Capital Day"))
define("holiday.constitution_day", pgettext_lazy("holiday", "Constitution Day"))
define("holiday.republic_day", pgettext_lazy("holiday", "Republic Day"))
define("holiday.first_president_day", pgettext_lazy("holiday", "First President Day"))
define("holiday.independence_day", pgettext_lazy("holiday", "Independence Day"))
define("holiday.eid_al_adha", pgettext_lazy("holiday", "Eid al-Adha"))
define("holiday.observed", pgettext_lazy("holiday", "%(name)s (day off moved)"))
define("holiday.estimated", pgettext_lazy("holiday", "%(name)s (estimated date)"))
define("holiday.substituted", pgettext_lazy("holiday", "Day off (moved from %(date)s)"))
