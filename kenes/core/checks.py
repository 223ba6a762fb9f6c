"""System checks of the security core, run by ``manage.py check``, at start-up and by the test suite."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig, apps
from django.core import checks
from django.db.models import Model

from kenes.core.audit import declares_level, has_own_level, root_field
from kenes.core.models import Audited, AuditedQuerySet


def _audited_models(app_configs: Iterable[AppConfig] | None) -> list[type[Model]]:
    """The concrete audited models of ``app_configs`` (of every app when ``None``)."""
    models = apps.get_models() if app_configs is None else [m for c in app_configs for m in c.get_models()]
    return [model for model in models if issubclass(model, Audited) and not model._meta.abstract]


@checks.register(checks.Tags.models)
def audited_models_declare_their_level(app_configs: Iterable[AppConfig] | None = None, **kwargs: Any) -> list:
    """Every concrete audited model says at which level its events are filed (see ``Audited``).

    A model that cannot say it is an error, not a silent ``public``: its events would be read by every
    audit reader, whatever they tell about the classified record the row belongs to."""
    models = _audited_models(app_configs)
    return [
        checks.Error(
            f"{model._meta.label} is audited but cannot say its classification level.",
            hint="Give it a classification field or property (its parent's level), or declare audit_level.",
            obj=model,
            id="kenes.E001",
        )
        for model in models
        if not declares_level(model)
    ]


@checks.register(checks.Tags.models)
def child_rows_name_their_record(app_configs: Iterable[AppConfig] | None = None, **kwargs: Any) -> list:
    """Every audited model that is as secret as its parent (a ``classification`` property) reaches that
    parent by one foreign key, so its events belong to the parent and a raise of it hides them (see
    ``audit.root_of``): its one foreign key to a classified model, or the one it names in ``audit_root``."""
    models = _audited_models(app_configs)
    return [
        checks.Error(
            f"{model._meta.label} takes its parent's level but does not say which foreign key leads to it.",
            hint="Name the foreign key to the parent in audit_root.",
            obj=model,
            id="kenes.E002",
        )
        for model in models
        if getattr(model, "audit_level", None) is None
        and not has_own_level(model)
        and declares_level(model)
        and root_field(model) is None
    ]


@checks.register(checks.Tags.models)
def audited_managers_refuse_unaudited_bulk_changes(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list:
    """Every manager of an audited model, its base manager too, refuses ``update()``,
    ``bulk_update()`` and ``bulk_create()`` outside ``audit.bulk`` (its queryset is an
    :class:`~kenes.core.models.AuditedQuerySet`): the models module gives it to every manager when the
    model is built, and this check keeps a manager added later, or another way, from escaping it."""
    models = _audited_models(app_configs)
    return [
        checks.Error(
            f"{model._meta.label}.{manager.name} can change many rows of an audited model without an audit event.",
            hint="Its queryset must be an AuditedQuerySet (see kenes.core.models._guard_bulk_changes).",
            obj=model,
            id="kenes.E003",
        )
        for model in models
        for manager in (*model._meta.managers, model._base_manager)
        if not issubclass(manager._queryset_class, AuditedQuerySet)  # type: ignore[attr-defined]
    ]
