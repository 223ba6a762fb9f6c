"""What the pages of every app share: running a service for a form and reporting what it refused."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kenes.core.exceptions import Conflict


def filters_from(form: forms.Form) -> dict[str, Any]:
    """What a list page's filter form asks for: the filled fields of a valid form, a chosen record
    as its id (as the services' filters take it); nothing for an invalid form."""
    values = form.cleaned_data if form.is_valid() else {}
    return {key: value.pk if isinstance(value, models.Model) else value for key, value in values.items() if value}


def perform(
    request: HttpRequest,
    call: Callable[[], Any],
    form: forms.Form | None = None,
    fields: Mapping[str, str] | None = None,
) -> tuple[bool, Any]:
    """Run a service call; a refusal becomes form errors (on the field it names) or a message.

    ``fields`` maps a name the service gives to the form's field when they differ (``{"period": "year"}``).
    Returns ``(True, result)`` when the service did its work, ``(False, None)`` when it refused."""
    try:
        return True, call()
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field_named(form, field, fields), errors)
        else:
            for message in error.messages:
                messages.error(request, message)
    except (Conflict, PermissionDenied) as error:
        messages.error(request, str(error))
    return False, None


def field_named(form: forms.Form, name: str, fields: Mapping[str, str] | None = None) -> str:
    """The field of ``form`` that a service's error about ``name`` concerns: the field so named, the one
    the view maps it to, or, on a form for one row of a list the service takes, the row's field
    (``measurements[0].period`` is the form's ``period``); else the form as a whole."""
    name = (fields or {}).get(name, name)
    if name in form.fields:
        return name
    last = name.rsplit(".", 1)[-1]
    return last if "." in name and last in form.fields else NON_FIELD_ERRORS


def after_action(
    request: HttpRequest,
    record: Any,
    forms: dict[str, forms.Form],
    template: str,
    context: Callable[..., dict[str, Any]],
    to: str,
) -> HttpResponse:
    """After an action on a record's page: show the page again with the forms' errors (422), or go
    back to it (a redirect, so a reload does not repeat the action)."""
    if any(form.errors for form in forms.values()):
        record.refresh_from_db()
        return render(request, template, context(request, record, **forms), status=422)
    return redirect(to, record.pk)


def page_number(request: HttpRequest) -> str:
    return request.GET.get("page", "1")[:10]
