"""Every date on every form of Kenes reaches the browser in ISO (``2026-12-17``), whatever the reader's
language: ``<input type=date>`` takes no other form, and a localised value leaves the picker blank."""

import importlib
import inspect
import pkgutil
from datetime import date, time

import pytest
from django import forms
from django.utils import translation

import kenes

DAY = date(2026, 12, 17)


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for module_info in pkgutil.walk_packages(kenes.__path__, "kenes."):
        if module_info.name.rsplit(".", 1)[-1] not in ("forms", "views", "web", "admin"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__.startswith("kenes."):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


def _fields(kind: type[forms.Field]) -> list[tuple[str, forms.Field]]:
    return [
        (f"{form.__module__}.{form.__qualname__}.{name}", field)
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, kind) and not isinstance(field, forms.DateTimeField)
    ]


def test_the_walk_finds_the_forms_with_dates():
    names = {name for name, _field in _fields(forms.DateField)}
    # the forms the issue names: a session's details, a strategy period, a threat's indicator values
    assert "kenes.council.forms.MeetingForm.date" in names
    assert "kenes.strategy.forms.DocumentForm.period_start" in names
    assert any(name.startswith("kenes.threats.forms.") for name in names)
    assert any(name.startswith("kenes.control.forms.") for name in names)
    assert "kenes.core.forms.AuditFilterForm.since" in names


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_date_field_renders_iso_in_every_language(language):
    wrong = []
    with translation.override(language):
        for name, field in _fields(forms.DateField):
            html = field.widget.render("day", DAY)
            if 'value="2026-12-17"' not in html:
                wrong.append(f"{name}: {html}")
            if field.widget.input_type not in ("date", "hidden"):
                wrong.append(f"{name}: shown as {field.widget.input_type}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_time_field_renders_hours_and_minutes(language):
    with translation.override(language):
        for name, field in _fields(forms.TimeField):
            assert 'value="09:30"' in field.widget.render("at", time(9, 30)), name


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_an_iso_date_is_read_back_in_every_language(language):
    from kenes.core.forms import DateField

    with translation.override(language):
        assert DateField().clean("2026-12-17") == DAY
