"""Who may act in execution control: give instructions, review reports, control an instruction,
report on it, correct the calendar; and who may be named an instruction's controller."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kenes.accounts.models import Role, User
from kenes.control.choices import InstructionStatus, ReportOutcome
from kenes.control.models import ExecutionReport, Instruction
from kenes.core import policy
from kenes.core.classification import Classification
from kenes.core.exceptions import Conflict

# The chairman and the secretary give instructions; the controllers of the apparatus register them
# (an instruction of a decision, or one dictated by the chairman) and keep them under control.
ISSUING_ROLES = (Role.CHAIRMAN, Role.SECRETARY, Role.CONTROLLER)
REVIEWING_ROLES = (Role.CONTROLLER, Role.SECRETARY)
CONTROLLER_ROLES = (Role.CONTROLLER, Role.SECRETARY, Role.CHAIRMAN)
FINISHED_STATUSES = (InstructionStatus.EXECUTED, InstructionStatus.WITHDRAWN)


def may_issue(user: User) -> bool:
    return policy.is_reader(user) and user.role in ISSUING_ROLES


def may_review(user: User, instruction: Instruction) -> bool:
    """The instruction's controller, or the secretary."""
    return policy.is_reader(user) and (user.role == Role.SECRETARY or instruction.controller_id == user.pk)


def may_control(user: User, level: int) -> bool:
    """Whether ``user`` may be named the controller of an instruction at ``level`` (see :func:`controllers`):
    a controller of the apparatus, active, cleared to the instruction's level (or he could not read it)."""
    return user.is_active and user.role in CONTROLLER_ROLES and user.clearance >= int(level)


def default_controller(author: User, level: int) -> User:
    """The controller of an instruction given without one: its author, if his role may control
    instructions; otherwise the request names no controller, and that is invalid input."""
    if not may_control(author, level):
        raise ValidationError({"controller": _("Name the controller: your role does not control instructions.")})
    return author


def acting_controller(author: User, level: int) -> User | None:
    """The controller an instruction form offers first: its author when he may control it (the
    service's own default, :func:`default_controller`), else the first controller cleared to ``level``."""
    if may_control(author, level):
        return author
    return controllers_for(level).first()


def ensure_may_control(controller: User, level: int) -> None:
    """Refuse (422 on ``controller``) a controller who is not one of the apparatus, or not cleared to
    ``level``, the level of the instruction he is to control."""
    if not may_control(controller, Classification.PUBLIC):
        raise ValidationError({"controller": _("The controller must be a controller of the apparatus.")})
    if not may_control(controller, level):
        raise ValidationError(
            {
                "controller": _("The controller is not cleared to %(level)s, the level of the instruction.")
                % {"level": Classification(level).label}
            }
        )


def controller_cleared(instruction: Instruction, level: int) -> None:
    """Guard of raising an instruction: its controller must stay cleared to read it (409 otherwise).

    A finished instruction (executed or withdrawn) is no longer under control: it rises all the same."""
    if instruction.status in FINISHED_STATUSES:
        return
    if instruction.controller.clearance < int(level):
        raise Conflict(
            _(
                "The controller of instruction %(number)s is not cleared to %(level)s; "
                "name a controller cleared to %(level)s first."
            )
            % {"number": instruction.number, "level": Classification(int(level)).label}
        )


def is_lead_liaison(user: User, instruction: Instruction) -> bool:
    return policy.is_reader(user) and user.is_liaison and user.organization_id == instruction.lead_executor_id


def is_co_executor_liaison(user: User, instruction: Instruction) -> bool:
    body = user.organization_id if policy.is_reader(user) and user.is_liaison else None
    return (
        body is not None
        and body != instruction.lead_executor_id
        and instruction.executors.filter(organization_id=body).exists()
    )


def may_attach_to_report(user: User, report: ExecutionReport) -> bool:
    """Files of a report are added by the person who submitted it, before it is reviewed."""
    return (
        policy.is_reader(user)
        and report.submitted_by_id == user.pk
        and report.outcome in (ReportOutcome.PENDING, ReportOutcome.INPUT)
    )


def may_assign_controller(user: User) -> bool:
    return policy.is_reader(user) and user.role in (Role.SECRETARY, Role.CHAIRMAN)


def controllers_for(level: int) -> QuerySet[User]:
    """Who may control an instruction at ``level`` (:func:`may_control`), as one query."""
    return controllers().filter(clearance__gte=int(level))


def controllers() -> QuerySet[User]:
    """Who may be named an instruction's controller (a staff list, not classified data)."""
    return User.objects.filter(role__in=CONTROLLER_ROLES, is_active=True).order_by("role", "last_name")
