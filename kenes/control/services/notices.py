"""Who is told of what happens to an instruction: the liaison officers of its executing bodies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from kenes.accounts.models import Role, User
from kenes.control.models import Instruction
from kenes.core.notifications import notify


def liaisons_of(organization_ids: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(role=Role.LIAISON, is_active=True, organization_id__in=list(organization_ids))


def notify_executors(
    instruction: Instruction,
    *,
    key: str,
    kind: str,
    code: str,
    params: dict[str, Any] | None = None,
    body: str = "",
    lead_only: bool = False,
) -> int:
    """Notify the liaison officers of the executing bodies (of the lead only, if ``lead_only``) with
    the text ``code`` of :mod:`kenes.core.texts` (the instruction's number is a parameter)."""
    params = {"number": instruction.number, **(params or {})}
    bodies = (
        [instruction.lead_executor_id]
        if lead_only
        else list(instruction.executors.values_list("organization_id", flat=True))
    )
    url = reverse("control:instruction-detail", args=[instruction.pk])
    return sum(
        notify(liaison, key=key, kind=kind, code=code, params=params, body=body, url=url, about=instruction) is not None
        for liaison in liaisons_of(bodies)
    )
