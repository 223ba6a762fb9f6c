"""The hash-chained audit log: recording events and verifying the chain.

Every create, update and delete of an audited model (see :class:`kenes.core.models.Audited`) is
recorded by the signal handlers below, in the same transaction as the change: services open the
transaction and the event is written before it commits, so either both are stored or neither. Events
that are not changes of a row (a login, a read of a secret record, an export) are recorded by
:func:`record`. Reads of ``secret`` and above are logged by :func:`record_read`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from kenes.core import context, policy
from kenes.core.classification import Classification
from kenes.core.models import Audited, AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
HIDDEN = "***"


def _canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)


def _normalise(value: Any) -> Any:
    """The value as it will read back from a JSON column, so hashing before and after storage agree."""
    return json.loads(_canonical(value))


def event_hash(event: AuditEvent) -> str:
    """SHA-256 of every stored field of ``event`` together with its predecessor's hash."""
    payload = {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "classification": int(event.classification),
        "changes": event.changes,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


def object_label(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


@transaction.atomic
def record(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: Any = None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    classification: int | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    The actor is ``actor`` if given, else the acting user of the request or command. The chain head
    is locked for the rest of the transaction, so concurrent writers queue instead of forking it."""
    acting = context.current()
    actor = actor if actor is not None else acting.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or object_label(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
        if classification is None:
            classification = getattr(obj, "classification", Classification.PUBLIC)
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # created by a migration; only an emptied database (a test flush) lacks it
        head = AuditHead.objects.create(pk=1, seq=0, hash=GENESIS_HASH)
    event = AuditEvent(
        seq=head.seq + 1,
        at=datetime.now(UTC),
        actor=actor,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        classification=int(classification or Classification.PUBLIC),
        changes=_normalise(changes or {}),
        ip=acting.ip,
        prev_hash=head.hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def record_read(obj: models.Model, *, actor: Any, action: str = AuditEvent.Action.READ) -> None:
    """Log a read (or download, or export) of a record classified ``secret`` or above."""
    if int(getattr(obj, "classification", Classification.PUBLIC)) >= Classification.SECRET:
        record(action, obj, actor=actor)


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    first_bad_seq: int | None


def verify(chunk_size: int = 5000, progress: Any = None) -> Verification:
    """Walk the whole chain and name the first broken link.

    A link is broken where an event's sequence number is not the next one (an event was removed),
    where it does not carry its predecessor's hash, or where its own hash does not match its fields
    (it was changed). A removed tail is found by comparing the last event with the chain head."""
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if event.seq != expected_seq or event.prev_hash != prev_hash or event_hash(event) != event.hash:
            return Verification(False, count, min(event.seq, expected_seq))
        prev_hash, expected_seq, count = event.hash, expected_seq + 1, count + 1
        if progress is not None:
            progress(1)
    head = AuditHead.objects.filter(pk=1).first() or AuditHead(seq=0, hash=GENESIS_HASH)
    if head.seq != count or head.hash != prev_hash:
        return Verification(False, count, count + 1)
    return Verification(True, count, None)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The concrete, non-relational-collection field values of ``instance``, ready for JSON."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = field.value_from_object(instance)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        values[field.attname] = value
    return _normalise(values)


def _diff(instance: Audited, before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    keys = set(before or {}) | set(after or {})
    changes: dict[str, Any] = {}
    for key in sorted(keys):
        old = (before or {}).get(key)
        new = (after or {}).get(key)
        if before is not None and old == new:
            continue
        if key in {"updated_at", "created_at"} and before is not None:
            continue
        if key in instance.audit_exclude or key.removesuffix("_id") in instance.audit_exclude:
            old, new = (HIDDEN if old else old), (HIDDEN if new else new)
        changes[key] = [old, new] if before is not None and after is not None else (new if after else old)
    return changes


@receiver(pre_save)
def _remember_before(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not isinstance(instance, Audited) or instance._state.adding or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None  # type: ignore[attr-defined]


@receiver(post_save)
def _record_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw or not isinstance(instance, Audited):
        return
    before = None if created else getattr(instance, "_audit_before", None)
    changes = _diff(instance, before, snapshot(instance))
    if not created and not set(changes) - set(instance.audit_ignore):
        return
    record(AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, instance, changes=changes)
    instance._audit_before = None  # type: ignore[attr-defined]


@receiver(post_delete)
def _record_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if isinstance(instance, Audited):
        record(AuditEvent.Action.DELETE, instance, changes=_diff(instance, snapshot(instance), None))


@receiver(m2m_changed)
def _record_m2m(sender: Any, instance: models.Model, action: str, model: Any, pk_set: Any, **kwargs: Any) -> None:
    if not isinstance(instance, Audited) or action not in ("post_add", "post_remove", "post_clear"):
        return
    field = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender),
        sender._meta.model_name,
    )
    verb = action.removeprefix("post_")
    record(AuditEvent.Action.UPDATE, instance, changes={field: {verb: sorted(pk_set or [])}})


def events_visible_to(user: Any) -> models.QuerySet:
    """The audit events ``user`` may read (none unless he reads the audit log at all)."""
    return AuditEvent.objects.filter(policy.audit_visibility_q(user))


def filter_events(
    queryset: models.QuerySet,
    *,
    action: str | None = None,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> models.QuerySet:
    """The audit log's filters, shared by the page and the API (``until`` is exclusive)."""
    conditions = {
        "action": action,
        "actor_username": actor,
        "object_type": object_type,
        "object_id": object_id,
        "at__gte": since,
        "at__lt": until,
    }
    return queryset.filter(**{key: value for key, value in conditions.items() if value})
