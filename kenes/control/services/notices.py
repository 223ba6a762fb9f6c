"""Who is told of what happens to an instruction: the liaison officers of its executing bodies."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import reverse

from kenes.accounts.models import Role, User
from kenes.control.models import Instruction
from kenes.core.notifications import notify


def liaisons_of(organization_ids: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(role=Role.LIAISON, is_active=True, organization_id__in=list(organization_ids))


def notify_executors(
    instruction: Instruction, *, key: str, kind: str, title: str, body: str = "", lead_only: bool = False
) -> int:
    bodies = (
        [instruction.lead_executor_id]
        if lead_only
        else list(instruction.executors.values_list("organization_id", flat=True))
    )
    url = reverse("control:instruction-detail", args=[instruction.pk])
    return sum(
        notify(liaison, key=key, kind=kind, title=title, body=body, url=url, about=instruction) is not None
        for liaison in liaisons_of(bodies)
    )
