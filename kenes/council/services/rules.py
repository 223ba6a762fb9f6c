"""Who may act on the Council's records, in which states, and the lock every service reads a source under."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kenes.accounts.models import Role, User
from kenes.core import policy
from kenes.council.choices import DecisionStatus, MeetingStatus
from kenes.council.models import AgendaItem

PRESIDING_ROLES = (Role.CHAIRMAN, Role.SECRETARY)
MEMBER_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.MEMBER)
MATERIAL_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.ANALYST, Role.CONTROLLER)
EDITABLE_MEETING_STATES = (MeetingStatus.PLANNED, MeetingStatus.AGENDA_APPROVED)
VOTING_MEETING_STATES = (MeetingStatus.AGENDA_APPROVED, MeetingStatus.HELD)
DECISION_FLOW = {
    DecisionStatus.ADOPTED: (DecisionStatus.IN_EXECUTION, DecisionStatus.EXECUTED, DecisionStatus.CANCELLED),
    DecisionStatus.IN_EXECUTION: (DecisionStatus.EXECUTED, DecisionStatus.CANCELLED),
}


def may_preside(user: User) -> bool:
    """The secretary and the chairman prepare and run sessions."""
    return policy.is_reader(user) and user.role in PRESIDING_ROLES


def ensure_presiding(user: User) -> None:
    """Refuse (403) what only the secretary or the chairman does: preparing and running sessions."""
    policy.ensure(may_preside(user), _("Only the secretary or the chairman may do this."))


def ensure_chairman(user: User) -> None:
    """Refuse (403) to sign a decision to anyone but the chairman."""
    policy.ensure(policy.is_reader(user) and user.role == Role.CHAIRMAN, _("Only the chairman may sign a decision."))


def may_add_materials(user: User, item: AgendaItem) -> bool:
    """The apparatus and the liaison officer of the body heard may add materials to an item."""
    if not policy.is_reader(user):
        return False
    return user.role in MATERIAL_ROLES or (user.is_liaison and item.body_id == user.organization_id)


def council_members() -> QuerySet[User]:
    """Everyone who sits on the Council: the chairman, the secretary and the members."""
    return User.objects.filter(role__in=MEMBER_ROLES, is_active=True).order_by("role", "last_name", "username")


def chairman() -> User | None:
    """The chairman of the Council, who alone adopts and signs decisions (None when no one is)."""
    return User.objects.filter(role=Role.CHAIRMAN, is_active=True).order_by("pk").first()


def locked(model: type[Any], pk: Any) -> Any:
    """The row ``pk`` of ``model`` read again under a lock (``SELECT … FOR UPDATE``), or None.

    A service that computes a level from a record (the source of a new child, the record it raises)
    reads it so: a concurrent raise of that record then waits for it, or it waits for the raise and
    reads the new level, so no child is created below its source."""
    return None if pk is None else model._default_manager.select_for_update().get(pk=pk)
