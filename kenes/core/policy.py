"""The one visibility policy of Kenes.

Every list, detail page, API endpoint, search result, export, count, chart and notification gets its
rows through :func:`visibility_q` (via ``Model.objects.visible_to(user)``). The policy denies by
default and fails closed: an anonymous or inactive user sees nothing, a model that does not declare
how it is classified cannot be read through it at all, and no user reads above his clearance.
Filters are built as database conditions, never as lists of ids held in memory.

Writes are checked here too: nobody classifies above his own clearance, a derived record is never
below the level of its source (the high-water mark), and only the chairman or secretary may lower a
level (declassify).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from kenes.core.classification import Classification

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from kenes.accounts.models import User

NOTHING = Q(pk__in=[])


def is_reader(user: Any) -> bool:
    """Whether ``user`` is a logged-in, active account that may read anything at all."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def visibility_q(model: type[Model], user: User | Any) -> Q:
    """The condition selecting the rows of ``model`` that ``user`` may read.

    Reference data that is public by nature (the directory of state bodies) is readable by every
    logged-in user; for everything else clearance comes first (no read up, whatever the role), then the
    model's need-to-know rule."""
    if not is_reader(user):
        return NOTHING
    if getattr(model, "is_public_reference", False):
        return Q()
    need_to_know = getattr(model, "need_to_know_q", None)
    if need_to_know is None or not hasattr(model, "classification"):
        raise TypeError(f"{model.__name__} is not a classified model; the visibility policy cannot restrict it")
    return Q(classification__lte=user.clearance) & need_to_know(user)


def can_read(user: User | Any, obj: Any) -> bool:
    """Whether ``user`` may read ``obj``: the same policy as the querysets, asked of the database."""
    return type(obj)._default_manager.filter(pk=obj.pk).filter(visibility_q(type(obj), user)).exists()


def get_visible_or_404(queryset: QuerySet | Any, user: User | Any, **lookup: Any) -> Any:
    """Fetch one row the user may see; what does not exist and what he may not see are the same 404.

    ``queryset`` may be a queryset or a manager (``Model.objects``)."""
    queryset = queryset.all()
    try:
        return queryset.filter(visibility_q(queryset.model, user)).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(_("Not found.")) from None


def read_or_404(queryset: QuerySet | Any, user: User | Any, *, action: str = "read", **lookup: Any) -> Any:
    """The one way to read one record: fetched through the policy (:func:`get_visible_or_404`: 404 for
    what does not exist and what the user may not see alike), and its read written to the audit log if
    it is ``secret`` or above. ``action`` names a read that is more than a look (``download``); exports
    are recorded by :func:`kenes.core.http.download` instead."""
    from kenes.core import audit  # the audit log reads this policy; it is imported when first used

    record = get_visible_or_404(queryset, user, **lookup)
    audit.record_read(record, actor=user, action=action)
    return record


def ensure(condition: bool, message: str) -> None:
    """Refuse (403) an action the actor's role or relation to the record does not allow."""
    if not condition:
        raise PermissionDenied(message)


def resolve_level(
    actor: User, value: int | None, *, default: int | None = None, sources: Iterable[Any] = (), old: int | None = None
) -> int:
    """The level a record is written at, and the checks every such level passes.

    ``value`` is the level asked for; without one, ``default`` (the record's current level when it is
    edited), else the high-water mark of ``sources``. The level must be one of Kenes's levels (422 on
    ``classification``), not above the actor's clearance, lowered only by who may declassify (``old``
    is the level before the change; 403), and never below a source (422)."""
    sources = [source for source in sources if source is not None]
    level = value if value is not None else default if default is not None else high_water_mark(sources)
    if isinstance(level, bool) or not isinstance(level, int) or level not in Classification.values:
        raise ValidationError({"classification": _("Unknown classification.")})
    ensure_may_change_level(actor, old, level)
    ensure_high_water(level, sources)
    return int(level)


def ensure_may_classify(user: User, level: int) -> None:
    """Refuse (403) to create or update a record classified above the actor's own clearance."""
    if level > user.clearance:
        raise PermissionDenied(_("You may not classify a record above your own clearance."))


def high_water_mark(sources: Iterable[Any]) -> int:
    """The lowest level a record derived from ``sources`` may carry: the highest of theirs."""
    return max((int(s.classification) for s in sources if s is not None), default=Classification.PUBLIC)


def ensure_high_water(level: int, sources: Iterable[Any], *, field: str = "classification") -> None:
    """Refuse (422) a level below the high-water mark of the record's sources."""
    floor = high_water_mark(sources)
    if level < floor:
        raise ValidationError(
            {
                field: _("The classification may not be below %(level)s, the level of its source.")
                % {"level": Classification(floor).label}
            }
        )


def may_declassify(user: User) -> bool:
    """Only the chairman and the secretary may lower a record's classification."""
    return user.is_authenticated and user.role in ("chairman", "secretary")


def ensure_may_change_level(user: User, old: int | None, new: int) -> None:
    """Check a change of level: never above the actor's clearance; lowering it is a declassification."""
    ensure_may_classify(user, new)
    if old is not None and new < old and not may_declassify(user):
        raise PermissionDenied(_("Only the chairman or the secretary may lower a classification."))


def may_read_audit(user: User | Any) -> bool:
    """The audit log is read by the auditor, the secretary and the chairman."""
    return is_reader(user) and user.role in ("auditor", "secretary", "chairman")


def audit_visibility_q(user: User | Any) -> Q:
    """Audit events the user may read: only for audit readers, and never of records above clearance.

    An event is filed at its record's level when written; a record raised later keeps a level floor
    (:class:`kenes.core.models.AuditLevelFloor`) over the events that belong to it, so an event is read
    only up to the higher of the two. Events written before events named their record are matched by
    the row they are about."""
    if not may_read_audit(user):
        return NOTHING
    from django.db.models import Exists, OuterRef

    from kenes.core.models import AuditLevelFloor

    above = AuditLevelFloor.objects.filter(level__gt=user.clearance)
    by_record = above.filter(root_type=OuterRef("root_type"), root_id=OuterRef("root_id"))
    by_row = above.filter(root_type=OuterRef("object_type"), root_id=OuterRef("object_id"))
    return Q(classification__lte=user.clearance) & ~Exists(by_record) & ~Exists(by_row)
