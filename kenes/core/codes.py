"""Codes that name a record across the system (an indicator's, a signal's): generated and refused alike.

A code is unique across every record of its model, visible to the author or not, because imports
name records by code alone. So every refusal of a given code — malformed, taken by a record the author
sees, or taken by one he may not see — is one and the same message, and a generated code is random
(``<base>-<6 hex digits>``), never the next of a sequence, so it counts nothing. What remains public
is that a well-formed code that is refused is held by some record; nothing else about that record.

A code checked free may be taken by a concurrent writer before the insert: :func:`save_with_code`
answers that with the same refusal, catching only the violation of the code's own unique constraint
(any other integrity error is a bug, not a taken code).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction


def choose(
    given: str | None,
    *,
    valid: Callable[[str], bool],
    taken: Callable[[str], bool],
    base: str,
    length: int,
    message: Any,
    upper: bool = False,
) -> str:
    """The code of a new record: ``given`` (stripped) if it is ``valid`` and not ``taken``, else the one
    refusal ``message`` (422 naming ``code``) whatever the reason; without one, a :func:`random_code`."""
    code = (given or "").strip()
    if not code:
        return random_code(base, taken, length=length, upper=upper)
    if not valid(code) or taken(code):
        raise ValidationError({"code": message})
    return code


def random_code(base: str, taken: Callable[[str], bool], *, length: int, upper: bool = False) -> str:
    """``base`` cut to fit ``length`` with ``-`` and six random hex digits after it, not ``taken``."""
    stem = base[: max(length - 7, 1)]
    while True:
        digits = secrets.token_hex(3)
        code = f"{stem}-{digits.upper() if upper else digits}"
        if not taken(code):
            return code


def save_with_code(record: models.Model, message: Any, *, field: str = "code") -> None:
    """Insert ``record``; a code taken since it was checked is refused (422 naming ``field``) with
    ``message``, the same answer as for any code that cannot be used."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        if not violates_unique(error, type(record), field):
            raise
        raise ValidationError({field: message}) from None


def violates_unique(error: IntegrityError, model: type[models.Model], field: str) -> bool:
    """Whether ``error`` is the violation of a unique constraint on ``model.<field>`` alone (by name)."""
    table = model._meta.db_table
    column = str(getattr(model._meta.get_field(field), "column", None) or field)
    names = _unique_names(model, table, column, field)
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    if constraint is not None:  # PostgreSQL names the constraint
        return constraint in names
    text = str(error)  # SQLite: "UNIQUE constraint failed: table.column" or "...: index 'name'"
    return text == f"UNIQUE constraint failed: {table}.{column}" or any(f"index '{name}'" in text for name in names)


def _unique_names(model: type[models.Model], table: str, column: str, field: str) -> set[str]:
    declared = {
        constraint.name
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and (constraint.fields == (field,) or f"F({field})" in repr(constraint.expressions))
    }
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return declared | {name for name, info in found.items() if info.get("unique") and info.get("columns") == [column]}
