"""What the pages of every app share: running a service for a form and reporting what it refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest

from kenes.core.exceptions import Conflict


def perform(request: HttpRequest, call: Callable[[], Any], form: forms.Form | None = None) -> tuple[bool, Any]:
    """Run a service call; a refusal becomes form errors (on the field it names) or a message.

    Returns ``(True, result)`` when the service did its work, ``(False, None)`` when it refused."""
    try:
        return True, call()
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
        else:
            for message in error.messages:
                messages.error(request, message)
    except (Conflict, PermissionDenied) as error:
        messages.error(request, str(error))
    return False, None


def page_number(request: HttpRequest) -> str:
    return request.GET.get("page", "1")[:10]
