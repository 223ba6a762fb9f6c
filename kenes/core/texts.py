"""Generated texts in the reader's language: a message is stored as its code and parameters, and
rendered when it is shown, in the active language and with the reader's number and date formats.

A worker writes in its own language (Kazakh); a notification, an alert, an import error or a forecast
note written that way would reach an English or Russian reader in Kazakh, with Kazakh numbers. So
whatever a process writes for people to read later is a :class:`Text`: a registered ``code`` (its
template is a lazily translated string with named parameters, plural-aware where a count appears)
and JSON ``params``. :func:`render` shows it in the active language:

- a number is formatted in the reader's locale (``1,234.5`` in English, ``1 234,5`` in Russian);
- ``date(d)`` is a date shown in the reader's date format;
- ``period(d, frequency)`` is a period as :func:`kenes.core.periods.label` reads it;
- ``label(code, **params)`` is itself a registered text (a side, a status, a choice's label), so a
  translatable word is stored as its code and translated when shown;
- any other string is content (a number of a record, a signal's name) and is shown as stored.

An unknown code (an old row, a removed code) renders the stored fallback, or a neutral sentence:
never an error. The catalogue of codes is :mod:`kenes.core.text_codes`; the codes are kept there,
in one place, so that every process that shows a text knows every code (core names no domain app).

Parameters carry only what the record the text is about already says: the text is classified as
that record, so it tells nobody more than the record would.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, numberformat
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext

# Languages Django has no format module for (Kazakh): decimal and thousand separators, date format,
# as Kazakh documents write them ("1 234,5", "05.03.2026").
_OWN_FORMATS = {"kk": (",", "\xa0", "d.m.Y")}

_registry: dict[str, Promise | str] = {}


def define(code: str, template: Promise | str) -> str:
    """Register ``template`` (a ``gettext_lazy``/``pgettext_lazy``/``ngettext_lazy`` string with
    named parameters) under ``code``; returns the code. A ``ngettext_lazy`` template names its count
    parameter (``ngettext_lazy(one, many, "count")``)."""
    if code in _registry:
        raise ValueError(f"text code {code!r} is defined twice")
    _registry[code] = template
    return code


def is_defined(code: str) -> bool:
    _load()
    return code in _registry


def codes() -> list[str]:
    _load()
    return sorted(_registry)


def _load() -> None:
    from kenes.core import text_codes  # noqa: F401  (registers the catalogue once, on first use)


@dataclass(frozen=True)
class Text:
    """A message to render later: its code and JSON parameters. ``str()`` renders it now."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def text(code: str, /, **params: Any) -> Text:
    """The text ``code`` with ``params``; a code not in the catalogue is a programming error."""
    if not is_defined(code):
        raise KeyError(f"unknown text code {code!r}")
    return Text(code, params)


# Parameters that are rendered in the reader's terms


def date(value: dt.date) -> dict[str, str]:
    return {"date": value.isoformat()}


def period(value: dt.date, frequency: str) -> dict[str, str]:
    return {"period": value.isoformat(), "frequency": frequency}


def label(code: str, /, **params: Any) -> dict[str, Any]:
    """A translatable word or phrase inside a text, stored as its code."""
    if not is_defined(code):
        raise KeyError(f"unknown text code {code!r}")
    return {"text": code, "params": params}


def number(value: float | int, digits: int = 6) -> str:
    """A number in the active language's format, grouped, to ``digits`` significant digits (but never
    fewer than its whole figures)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        # whole figures are never rounded away (123,456,789 stays so); fractions keep ``digits``
        value = round(value) if abs(value) >= 10**digits else float(f"{value:.{digits}g}")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
    return grouped(value)


def grouped(value: Any, decimal_pos: int | None = None) -> str:
    """``value`` in the active language's number format, its thousands grouped, with ``decimal_pos``
    decimals when given: Django's formats, and Kenes' own for Kazakh, which Django has none for. The one
    number formatter of generated texts and of exports."""
    if get_language() in _OWN_FORMATS:
        decimal_sep, thousand_sep, _date_format = _OWN_FORMATS[str(get_language())]
        return numberformat.format(
            value, decimal_sep, decimal_pos=decimal_pos, grouping=3, thousand_sep=thousand_sep, force_grouping=True
        )
    return formats.number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


def date_shown(value: dt.date) -> str:
    """A date in the active language's format."""
    if get_language() in _OWN_FORMATS:
        return formats.date_format(value, _OWN_FORMATS[str(get_language())][2], use_l10n=False)
    return formats.date_format(value, "DATE_FORMAT", use_l10n=True)


class _Count(int):
    """A count as ``ngettext`` needs it (an integer) that prints in the reader's number format."""

    shown: str

    def __new__(cls, value: int) -> _Count:
        count = super().__new__(cls, value)
        count.shown = number(int(value))
        return count

    def __str__(self) -> str:
        return self.shown


def _shown(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return _Count(value)
    if isinstance(value, float):
        return number(value)
    if isinstance(value, dict):
        if "text" in value:
            return render(str(value["text"]), value.get("params") or {})
        if "date" in value:
            return date_shown(dt.date.fromisoformat(value["date"]))
        if "period" in value:
            from kenes.core import periods

            return periods.label(dt.date.fromisoformat(value["period"]), value["frequency"])
    if isinstance(value, list):
        return ", ".join(str(_shown(item)) for item in value)
    return str(value)


def unknown() -> str:
    return gettext("A message that can no longer be shown.")


def render(code: str, params: dict[str, Any] | None = None, *, fallback: str = "") -> str:
    """The text ``code`` in the active language, its parameters in the reader's formats; the
    ``fallback`` (the text stored when it was written) or a neutral sentence when the code is unknown
    or its parameters no longer fit."""
    _load()
    template = _registry.get(code or "")
    if template is None:
        return fallback or unknown()
    try:
        values = {str(key): _shown(value) for key, value in (params or {}).items()}
        return str(template % values)
    except (KeyError, ValueError, TypeError, AttributeError):
        return fallback or unknown()


def render_stored(stored: Any, *, fallback: str = "") -> str:
    """A text stored as ``{"code": ..., "params": ...}`` (or nothing: then the fallback)."""
    if isinstance(stored, dict) and stored.get("code"):
        return render(str(stored["code"]), stored.get("params") or {}, fallback=fallback)
    return fallback
