"""System checks of the security core, run by ``manage.py check``, at start-up and by the test suite."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig, apps
from django.core import checks

from kenes.core.audit import declares_level
from kenes.core.models import Audited


@checks.register(checks.Tags.models)
def audited_models_declare_their_level(app_configs: Iterable[AppConfig] | None = None, **kwargs: Any) -> list:
    """Every concrete audited model says at which level its events are filed (see ``Audited``).

    A model that cannot say it is an error, not a silent ``public``: its events would be read by every
    audit reader, whatever they tell about the classified record the row belongs to."""
    models = apps.get_models() if app_configs is None else [m for c in app_configs for m in c.get_models()]
    return [
        checks.Error(
            f"{model._meta.label} is audited but cannot say its classification level.",
            hint="Give it a classification field or property (its parent's level), or declare audit_level.",
            obj=model,
            id="kenes.E001",
        )
        for model in models
        if issubclass(model, Audited) and not model._meta.abstract and not declares_level(model)
    ]
