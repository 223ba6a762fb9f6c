"""The hash-chained audit log: recording events and verifying the chain.

Every create, update and delete of an audited model (see :class:`kenes.core.models.Audited`) is
recorded by the signal handlers below, in the same transaction as the change: services open the
transaction and the event is written before it commits, so either both are stored or neither. A change
of many rows at once (``update``, ``bulk_update``, ``bulk_create``, a queryset's ``delete``), which
sends no per-row signal, is refused by the audited model's manager outside :func:`bulk`, the block that
writes its summary event.

The transaction rule: :func:`record` appends to the chain only inside the caller's transaction (it
refuses to run outside one), so an event of a change is never committed without its change nor the
change without its event. An event that is a unit of work by itself (a login, a failed login, an
export of a list, a verification of the chain) is written by :func:`record_alone`, which opens its own
transaction when the caller has none; a read of a ``secret`` record, by :func:`record_read`, likewise.

An event written inside a named business action (``@service(named="adopt")``) carries that name in
``operation`` beside its field changes (:data:`BUSINESS_ACTIONS` labels the known ones).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kenes.core import context, policy
from kenes.core.classification import Classification
from kenes.core.models import Audited, AuditEvent, AuditHead, AuditLevelFloor

logger = logging.getLogger("kenes.audit")

GENESIS_HASH = "0" * 64
HIDDEN = "***"

#: The labels of the business actions services name (``@service(named=...)``); a name not listed here
#: is shown as itself.
BUSINESS_ACTIONS: dict[str, Promise] = {
    "acknowledge": _("Acknowledged"),
    "accept": _("Accepted"),
    "adopt": _("Adopted"),
    "advance": _("Advanced"),
    "approve": _("Approved"),
    "assign": _("Assigned"),
    "cancel": _("Cancelled"),
    "complete": _("Completed"),
    "decide": _("Decided"),
    "drop": _("Dropped"),
    "enter": _("Values entered"),
    "evaluate": _("Evaluated"),
    "forecast": _("Forecast computed"),
    "import": _("Imported"),
    "issue": _("Issued"),
    "mark_overdue": _("Marked overdue"),
    "move": _("Status changed"),
    "reassess": _("Reassessed"),
    "refuse": _("Refused"),
    "reorder": _("Reordered"),
    "request": _("Requested"),
    "return": _("Returned"),
    "review": _("Reviewed"),
    "schedule": _("Scheduled"),
    "sign": _("Signed"),
    "start": _("Started"),
    "submit": _("Submitted"),
    "translate": _("Translations changed"),
    "verify": _("Verified"),
    "vote": _("Voted"),
    "withdraw": _("Withdrawn"),
}


def operation_label(code: str) -> str:
    """The label of the business action ``code`` in the reader's language (unknown codes as themselves)."""
    return str(BUSINESS_ACTIONS.get(code, code))


def _canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)


def _normalise(value: Any) -> Any:
    """The value as it will read back from a JSON column, so hashing before and after storage agree."""
    return json.loads(_canonical(value))


def event_hash(event: AuditEvent) -> str:
    """SHA-256 of every stored field of ``event`` together with its predecessor's hash.

    The record an event belongs to (``root_type``, ``root_id``) enters the hash only when the event
    names one, and the business action (``operation``) only when there is one: events written before
    events named them hash as they did, and their chain still verifies."""
    payload: dict[str, Any] = {
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
    if event.root_type or event.root_id:
        payload["root_type"], payload["root_id"] = event.root_type, event.root_id
    if event.operation:
        payload["operation"] = event.operation
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


def object_label(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def declares_level(model: type[models.Model]) -> bool:
    """Whether ``model`` says at which level its rows' events are filed: a ``classification`` field or
    property, or an explicit ``audit_level`` (see :class:`kenes.core.models.Audited`)."""
    if getattr(model, "audit_level", None) is not None:
        return True
    try:
        model._meta.get_field("classification")
        return True
    except FieldDoesNotExist:
        return isinstance(inspect.getattr_static(model, "classification", None), property)


def has_own_level(model: type[models.Model]) -> bool:
    """Whether ``model``'s rows carry their own level (a ``classification`` column)."""
    try:
        model._meta.get_field("classification")
        return True
    except FieldDoesNotExist:
        return False


def root_field(model: type[models.Model]) -> str | None:
    """The foreign key by which a row of ``model`` that is as secret as its parent (a classification
    property: a vote as its decision) reaches that parent: ``audit_root`` if the model names it, else its
    one foreign key to a classified model. ``None`` for a model with a level of its own or none at all."""
    if has_own_level(model) or not isinstance(inspect.getattr_static(model, "classification", None), property):
        return None
    named = getattr(model, "audit_root", None)
    if named:
        return str(named)
    candidates = [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and isinstance(field.related_model, type)
        and declares_level(field.related_model)
        and getattr(field.related_model, "audit_level", None) is None
    ]
    return candidates[0] if len(candidates) == 1 else None


def root_of(obj: models.Model) -> tuple[str, str]:
    """The classified record whose level ``obj``'s events carry, as ``(type, id)``: ``obj`` itself if it
    has its own level, its parent if it is as secret as its parent, ``("", "")`` if it has neither (an
    account, reference data). Raising that record hides the events from readers below its new level."""
    model = obj._meta.model  # not type(obj): the request's user is a lazy object
    if has_own_level(model):
        return object_label(obj), str(obj.pk)
    field_name = root_field(model)
    if field_name is None:
        return "", ""
    field = model._meta.get_field(field_name)
    parent_id = getattr(obj, f"{field_name}_id", None)
    if parent_id is None or not isinstance(field.related_model, type):
        return "", ""
    parent_model: type[models.Model] = field.related_model
    if has_own_level(parent_model):
        return f"{parent_model._meta.app_label}.{parent_model._meta.model_name}", str(parent_id)
    return root_of(getattr(obj, field_name))


def level_of(obj: models.Model) -> int:
    """The level of the events about ``obj``: its own classification, or its model's declared level.

    There is no default: an event about a row that cannot say its level would otherwise be readable by
    every audit reader, whatever it tells about the record it belongs to."""
    level = getattr(obj, "classification", None)
    if level is None:
        level = getattr(obj.__class__, "audit_level", None)  # the class of a lazy request.user too
    if level is None:
        raise ImproperlyConfigured(
            f"{object_label(obj)} cannot say its classification: give it a classification field or property, "
            "or declare audit_level"
        )
    return int(level)


def _ensure_in_transaction(what: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise ImproperlyConfigured(
            f"{what} must run inside the transaction of the change it records; open one (a @service does), "
            "or use audit.record_alone for an event that is its own unit of work"
        )


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
    root: tuple[str, str] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    The event is filed at ``classification`` if given, else at the level of ``obj`` (:func:`level_of`);
    an event about no row must name its level. It belongs to ``root`` if given, else to ``obj``'s
    classified record (:func:`root_of`): raising that record later hides the event from the readers
    below. The actor is ``actor`` if given, else the acting user of the request or command; the
    business action, the named service it runs in (:func:`kenes.core.context.action_name`). The chain
    head is locked for the rest of the transaction, so concurrent writers queue instead of forking it.

    It refuses to run outside a transaction: the caller's transaction is the one that holds the change
    the event tells of (see :func:`record_alone` for an event that is its own unit of work)."""
    _ensure_in_transaction(f"audit.record({action!r})")
    acting = context.current()
    actor = actor if actor is not None else acting.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or object_label(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
        if classification is None:
            classification = level_of(obj)
        if root is None:
            root = root_of(obj)
    if classification is None:
        raise ImproperlyConfigured(f"the audit event {action} {object_type!r} names no object and no level")
    root_type, root_id = root or ("", "")
    event = AuditEvent(
        actor=actor,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        classification=int(classification),
        changes=_normalise(changes or {}),
        ip=acting.ip,
        root_type=root_type,
        root_id=root_id,
        operation=_operation(),
    )
    return _append(event)


def _operation() -> str:
    """The business action the event is written in; a name no label is known for is a coding error."""
    name = context.action_name()
    if name and name not in BUSINESS_ACTIONS:
        raise ImproperlyConfigured(f"the business action {name!r} is not in audit.BUSINESS_ACTIONS")
    return name


def _append(event: AuditEvent) -> AuditEvent:
    """Chain ``event`` after the head: the head row is locked for the rest of the transaction, so
    concurrent writers queue instead of forking the chain."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # created by a migration; only an emptied database (a test flush) lacks it
        head = AuditHead.objects.create(pk=1, seq=0, hash=GENESIS_HASH)
    event.seq, event.prev_hash, event.at = head.seq + 1, head.hash, datetime.now(UTC)  # in chain order
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def record_alone(action: str, obj: models.Model | None = None, **kwargs: Any) -> AuditEvent:
    """Append an event that is a unit of work by itself (a login, an export of a list, a verification):
    in the caller's transaction if there is one, else in its own. Takes :func:`record`'s arguments."""
    if transaction.get_connection().in_atomic_block:
        return record(action, obj, **kwargs)
    with transaction.atomic():
        return record(action, obj, **kwargs)


def record_read(obj: models.Model, *, actor: Any, action: str = AuditEvent.Action.READ) -> None:
    """Log a read (or download, or export) of a record classified ``secret`` or above: a read is its own
    unit of work, written in its own transaction when the caller (a view) has none."""
    if level_of(obj) >= Classification.SECRET:
        record_alone(action, obj, actor=actor)


@contextmanager
def bulk(
    model: type[models.Model],
    *,
    about: models.Model | None = None,
    action: str = AuditEvent.Action.UPDATE,
    changes: dict[str, Any] | None = None,
    object_repr: str = "",
    classification: int | None = None,
    actor: Any = None,
) -> Iterator[dict[str, Any]]:
    """An audited block for changing many rows of ``model`` at once (``update``, ``bulk_update``,
    ``bulk_create``, ``delete`` on a queryset), which send no per-row signals: one summary event is
    written when the block ends without error, in the caller's transaction.

    The event is about ``about`` (the record the rows belong to) if given, else about ``model`` at
    ``classification``. The block yields the event's ``changes``, for the caller to fill with what it
    changed (counts, values)."""
    if not transaction.get_connection().in_atomic_block:
        raise ImproperlyConfigured("an audited bulk change must run inside a transaction")
    summary: dict[str, Any] = dict(changes or {})
    with context.allowing_bulk(model):
        yield summary
    record(
        action,
        about,
        actor=actor,
        changes=summary,
        object_type="" if about is not None else f"{model._meta.app_label}.{model._meta.model_name}",
        object_repr=object_repr,
        classification=classification,
    )


@dataclass(frozen=True)
class Anchor:
    """The chain's head as written to the anchor file: line ``line`` says event ``seq`` had ``hash``."""

    seq: int
    hash: str
    at: str
    line: int = 0


@dataclass(frozen=True)
class Verification:
    """What a verification found. ``events`` counts the intact events (for a reader: those he may read);
    ``anchors`` the anchors the chain was checked against; ``bad_anchor`` the first one it does not
    match; ``malformed`` the lines of the anchor file that are not anchors (reported, skipped)."""

    ok: bool
    events: int
    first_bad_seq: int | None
    anchors: int = 0
    bad_anchor: Anchor | None = None
    malformed: tuple[int, ...] = ()


def anchor_file() -> Path:
    return Path(settings.KENES_AUDIT_ANCHOR_FILE)


def read_anchors() -> tuple[list[Anchor], tuple[int, ...]]:
    """The anchors of the anchor file, and the numbers of its lines that are not anchors. A missing
    file has none (an installation that has not yet anchored its chain)."""
    anchors, malformed = [], []
    try:
        text = anchor_file().read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return [], ()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            seq, hash_, at = data["seq"], data["hash"], data.get("at", "")
            if type(seq) is not int or seq < 0 or not isinstance(hash_, str) or len(hash_) != 64:
                raise ValueError(line)
        except (ValueError, TypeError, KeyError):
            malformed.append(number)
            continue
        anchors.append(Anchor(seq=seq, hash=hash_, at=str(at), line=number))
    return anchors, tuple(malformed)


def anchor_head() -> Anchor:
    """Write the chain's head (its sequence number and hash, and the time) as one line appended to the
    anchor file, and to the log.

    Inside the database a rewritten tail with recomputed hashes verifies; outside it, the anchors keep
    what the chain was, and :func:`verify` checks the chain against every one of them. Call it outside
    a transaction, so the head it anchors is committed."""
    head = AuditHead.objects.filter(pk=1).first() or AuditHead(seq=0, hash=GENESIS_HASH)
    anchor = Anchor(seq=head.seq, hash=head.hash, at=datetime.now(UTC).isoformat(timespec="seconds"))
    line = json.dumps({"seq": anchor.seq, "hash": anchor.hash, "at": anchor.at}, separators=(",", ":")) + "\n"
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "a", encoding="utf-8") as file:
        file.write(line)
        file.flush()
        os.fsync(file.fileno())
    logger.info("audit chain anchored: seq=%s hash=%s at=%s file=%s", anchor.seq, anchor.hash, anchor.at, path)
    return anchor


@contextmanager
def _one_snapshot() -> Iterator[None]:
    """Reads that see the database as of one moment: a read-only REPEATABLE READ transaction on
    PostgreSQL (when not already inside a transaction, whose isolation is then the caller's)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def verify(chunk_size: int = 5000, progress: Any = None, *, reader: Any = None) -> Verification:
    """Walk the chain up to the head and name the first broken link, or the first anchor it contradicts.

    A link is broken where an event's sequence number is not the next one (an event was removed),
    where it does not carry its predecessor's hash, or where its own hash does not match its fields
    (it was changed). A removed tail is found by comparing the last event with the chain head; a tail
    rewritten with recomputed hashes, by the anchors written outside the database (:func:`anchor_head`).

    The head is read first and only the events up to it are walked, in one snapshot: events appended
    meanwhile by others are not part of this verification, and never make an intact chain look broken.
    The whole chain is verified; with a ``reader``, ``events`` counts only the events he may read."""
    anchors, malformed = read_anchors()  # before the head: every anchor was taken of a head at most this one
    with _one_snapshot():
        head = AuditHead.objects.filter(pk=1).first() or AuditHead(seq=0, hash=GENESIS_HASH)
        expected: dict[int, list[Anchor]] = {}
        for anchor in anchors:
            expected.setdefault(anchor.seq, []).append(anchor)
        checked, bad_anchor, first_bad = 0, None, None

        def check_anchors(seq: int, hash_: str) -> None:
            nonlocal checked, bad_anchor
            for anchor in expected.get(seq, ()):
                if anchor.hash == hash_:
                    checked += 1
                elif bad_anchor is None:
                    bad_anchor = anchor

        check_anchors(0, GENESIS_HASH)  # an anchor of the empty chain
        expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
        events = AuditEvent.objects.filter(seq__lte=head.seq).order_by("seq")
        for event in events.iterator(chunk_size=chunk_size):
            if event.seq != expected_seq or event.prev_hash != prev_hash or event_hash(event) != event.hash:
                first_bad = min(event.seq, expected_seq)
                break
            if event.seq in expected:
                check_anchors(event.seq, event.hash)
            prev_hash, expected_seq, count = event.hash, expected_seq + 1, count + 1
            if progress is not None:
                progress(1)
        if first_bad is None and (head.seq != count or head.hash != prev_hash):
            first_bad = count + 1
        if bad_anchor is None:  # an anchor beyond the head: the chain was cut below it
            bad_anchor = next((a for a in anchors if a.seq > head.seq), None)
        if first_bad is None and bad_anchor is not None:
            first_bad = min(bad_anchor.seq, head.seq + 1)
        if reader is not None:
            count = events_visible_to(reader).filter(seq__lte=count).count()
    return Verification(first_bad is None, count, first_bad, checked, bad_anchor, malformed)


def verify_for(reader: Any) -> Verification:
    """Verify the whole chain for an audit reader, and log that he did: he is told (and the event
    records) the count of the events he may read, not of the whole chain.

    That count hides little: every event he reads carries its sequence number in the one chain, so a
    gap between two of them shows that events he may not read were written between them, and how
    many. The chain is one so that its integrity can be checked; the hidden events' content, type,
    actor and level are not shown."""
    result = verify(reader=reader)
    record_alone(
        AuditEvent.Action.VERIFY,
        actor=reader,
        object_type="core.auditevent",
        changes={"ok": result.ok, "events": result.events, "first_bad_seq": result.first_bad_seq},
        classification=reader.clearance,
    )
    return result


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


def _stored_snapshot(model: type[models.Model], stored: dict[str, Any]) -> dict[str, Any]:
    """:func:`snapshot` of a row from the values it was loaded (or last saved) with."""
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        value = stored.get(field.attname)
        if isinstance(field, models.FileField):
            value = getattr(value, "name", value) or ""
        values[field.attname] = value
    return _normalise(values)


def _ignored_only(instance: Audited, update_fields: Any) -> bool:
    """Whether a save stores only fields whose changes the log ignores (``audit_ignore``)."""
    return bool(update_fields) and set(update_fields) <= set(instance.audit_ignore)


@receiver(pre_save)
def _remember_before(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    """The row's values before this save: as the instance loaded them inside a transaction (a service
    reading the row it changes, under its lock) or last saved them, so the row is not read again; read
    from the database for any other instance (one a page loaded outside a transaction, one built by
    hand with a primary key, one loaded with deferred fields), so a change made by another in between
    is in the diff."""
    if raw or not isinstance(instance, Audited) or _ignored_only(instance, kwargs.get("update_fields")):
        return
    _ensure_in_transaction(f"saving {object_label(instance)}")  # refused before the row is written
    if instance._state.adding or instance.pk is None:
        return
    stored = getattr(instance, "_audit_loaded", None)
    if stored is not None and stored.get(sender._meta.pk.attname) == instance.pk:
        instance._audit_before = _stored_snapshot(sender, stored)  # type: ignore[attr-defined]
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None  # type: ignore[attr-defined]


@receiver(post_save)
def _record_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw or not isinstance(instance, Audited):
        return
    update_fields = kw.get("update_fields")
    if _ignored_only(instance, update_fields):  # a last login, a token's last use: no event
        instance.remember_stored(update_fields)
        return
    before = None if created else getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    if before is not None and update_fields is not None:  # only these were stored; the rest is as before
        stored = {getattr(sender._meta.get_field(name), "attname", name) for name in update_fields}
        after = {key: after[key] if key in stored else value for key, value in before.items()}
    instance.remember_stored(update_fields)
    changes = _diff(instance, before, after)
    if not created and not set(changes) - set(instance.audit_ignore):
        return
    level = level_of(instance)
    if before is not None and before.get("classification") is not None:  # a lowered record: old values
        level = max(level, int(before["classification"]))  # were read at the old level
        if has_own_level(sender):
            _keep_floor(instance, int(before["classification"]), int(instance.classification))  # type: ignore[attr-defined]
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE
    record(action, instance, changes=changes, classification=level)
    instance._audit_before = None  # type: ignore[attr-defined]


def _keep_floor(instance: models.Model, old: int, new: int) -> None:
    """Keep the level floor of a record whose level changed, in the change's transaction.

    A raised record gets (or raises) its floor: its earlier events, filed at the old level, are read
    only at the new one. A lowered record that has a floor takes it down with it (a declassification
    decides that what the record held may be read at the lower level; the events written while it was
    higher keep their own level). Every path that changes a level saves the row, so this catches all."""
    if new == old:
        return
    root_type, root_id = root_of(instance)
    if new > old:
        AuditLevelFloor.objects.update_or_create(root_type=root_type, root_id=root_id, defaults={"level": new})
    else:
        AuditLevelFloor.objects.filter(root_type=root_type, root_id=root_id).update(level=new)


@receiver(pre_delete)
def _remember_level(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """The level of a row about to be deleted, taken while the record it belongs to still exists."""
    if isinstance(instance, Audited):
        _ensure_in_transaction(f"deleting {object_label(instance)}")
        instance._audit_level = level_of(instance)  # type: ignore[attr-defined]


@receiver(post_delete)
def _record_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if isinstance(instance, Audited):
        level = getattr(instance, "_audit_level", None)
        level = level_of(instance) if level is None else level
        changes = _diff(instance, snapshot(instance), None)
        record(AuditEvent.Action.DELETE, instance, changes=changes, classification=level)


@receiver(m2m_changed)
def _record_m2m(sender: Any, instance: models.Model, action: str, model: Any, pk_set: Any, **kwargs: Any) -> None:
    if not isinstance(instance, Audited) or action not in ("post_add", "post_remove", "post_clear"):
        return
    field = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender),
        sender._meta.model_name,
    )
    verb = action.removeprefix("post_")
    changes = {field: {verb: sorted(pk_set or [])}}
    record(AuditEvent.Action.UPDATE, instance, changes=changes, classification=level_of(instance))


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
    operation: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> models.QuerySet:
    """The audit log's filters, shared by the page and the API (``until`` is exclusive)."""
    conditions = {
        "action": action,
        "actor_username": actor,
        "object_type": object_type,
        "object_id": object_id,
        "operation": operation,
        "at__gte": since,
        "at__lt": until,
    }
    return queryset.filter(**{key: value for key, value in conditions.items() if value})
