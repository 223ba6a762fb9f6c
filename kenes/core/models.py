"""Base models of every domain app, the audit log and attachments."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from typing import TYPE_CHECKING, Any

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Q
from django.db.models.signals import class_prepared
from django.utils.translation import gettext_lazy as _

from kenes.core import context, policy, queues
from kenes.core.classification import Classification

if TYPE_CHECKING:
    from kenes.accounts.models import User


class UnauditedBulkChange(RuntimeError):
    """A change of many rows of an audited model at once outside an audited block (``audit.bulk``)."""


class AuditedQuerySet(models.QuerySet):
    """The queryset of every audited model: it refuses ``update()``, ``bulk_update()`` and
    ``bulk_create()`` outside an audited block (:func:`kenes.core.audit.bulk`).

    Those send no per-row signal, so the log would not see them; the block writes their summary
    event. A queryset's ``delete()`` is let through: Django deletes the rows of an audited model one
    signal each, so every deleted row has its event (as Django's admin deletes a selection). Every
    manager of an audited model gets this queryset (:func:`_guard_bulk_changes`), whatever its own,
    and ``kenes.E003`` refuses a model whose managers lack it."""

    def update(self, **kwargs: Any) -> int:
        _ensure_bulk_allowed(self.model, "update()")
        return super().update(**kwargs)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        _ensure_bulk_allowed(self.model, "bulk_update()")
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        _ensure_bulk_allowed(self.model, "bulk_create()")
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        with context.deleting():
            return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


def _ensure_bulk_allowed(model: type[models.Model], operation: str) -> None:
    if context.bulk_allowed(model) or context.cascading():
        return
    raise UnauditedBulkChange(
        f"{model._meta.label}: {operation} changes many rows without an audit event; run it inside "
        f"`with audit.bulk({model.__name__}, ...)`, which writes their summary event, or change the rows one by one"
    )


class Audited:
    """Marks a model whose every create, update and delete is written to the audit log.

    ``audit_exclude`` names fields whose values never enter the log (secrets, hashes); a change to
    such a field is logged as ``"***"``. ``audit_ignore`` names fields whose changes alone are not
    worth an event (e.g. ``last_login``, logged as a login event instead).

    Every event is filed at a level, and an audit reader sees only events up to his clearance. A row
    says its level by a ``classification`` field (classified records) or property (a child row is as
    secret as the record it belongs to: a vote as its decision); a model whose rows have no level of
    their own (reference data, accounts) declares it in ``audit_level``. A model that does neither is
    refused at start-up (``kenes.core.checks``) and by ``audit.record``: never filed as public by default."""

    audit_exclude: tuple[str, ...] = ()
    audit_ignore: tuple[str, ...] = ()
    audit_level: int | None = None
    #: For a row as secret as its parent: the foreign key to that parent, when it has more than one to
    #: classified models (its events belong to the parent: ``kenes.core.audit.root_of``).
    audit_root: str | None = None
    _audit_loaded: dict[str, Any] | None = None

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        """The row as loaded, with its values kept as they were read: the audit log diffs a later save
        against them (``audit._remember_before``) instead of reading the row again."""
        instance = super().from_db(db, field_names, values)  # type: ignore[misc]
        # Only a row read inside a transaction (a service's, under its lock) is trusted at its save; one a
        # page read before calling the service is read again then, so another's change in between shows.
        loaded_in_transaction = transaction.get_connection(db or DEFAULT_DB_ALIAS).in_atomic_block
        if loaded_in_transaction and len(values) == len(cls._meta.concrete_fields):  # type: ignore[attr-defined]
            instance._audit_loaded = dict(zip(field_names, map(_kept, values), strict=True))
        return instance

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save the row and write its event in one transaction: the caller's, or its own when the caller
        has none (Django's own saves: ``createsuperuser``, a password's rehash at login)."""
        with _transaction_if_none(kwargs.get("using")):
            super().save(*args, **kwargs)  # type: ignore[misc]

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Delete the row (its event is written by the audit log's signal handlers), letting Django set
        the references of other rows to it to null (``on_delete=SET_NULL``) as part of that delete."""
        with _transaction_if_none(kwargs.get("using")), context.deleting():
            return super().delete(*args, **kwargs)  # type: ignore[misc]

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)  # type: ignore[misc]
        self._audit_loaded = None  # the next save reads the row for its "before" values

    def remember_stored(self, update_fields: Any = None) -> None:
        """Keep the values just stored (all, or those of ``update_fields``) as the "before" of the next
        save: the audit log calls it after every save."""
        meta = self._meta  # type: ignore[attr-defined]
        if update_fields is None:
            self._audit_loaded = {field.attname: _kept(getattr(self, field.attname)) for field in meta.concrete_fields}
        elif self._audit_loaded is not None:
            for name in update_fields:
                attname = meta.get_field(name).attname
                self._audit_loaded[attname] = _kept(getattr(self, attname))


def _transaction_if_none(using: str | None) -> Any:
    """The caller's transaction if there is one (no savepoint), else a new one."""
    alias = using or DEFAULT_DB_ALIAS
    return contextlib.nullcontext() if transaction.get_connection(alias).in_atomic_block else transaction.atomic(alias)


def _kept(value: Any) -> Any:
    """A loaded value as it must be kept to diff against: a copy of what a save could change in place."""
    return copy.deepcopy(value) if isinstance(value, dict | list) else value


_guarded_managers: dict[type, type] = {}


def _guarded_manager_class(manager_class: type[models.Manager]) -> type[models.Manager]:
    """``manager_class`` with its queryset refusing unaudited bulk changes (:class:`AuditedQuerySet`).

    It deconstructs as ``manager_class`` (migrations see the model's own manager)."""
    if manager_class not in _guarded_managers:
        queryset_class = manager_class._queryset_class  # type: ignore[attr-defined]
        guarded_queryset = type(queryset_class.__name__, (AuditedQuerySet, queryset_class), {})
        guarded = manager_class.from_queryset(guarded_queryset, class_name=manager_class.__name__)

        def deconstruct(manager: Any) -> Any:
            original = copy.copy(manager)
            original.__class__ = manager_class
            return original.deconstruct()

        def equals(manager: Any, other: Any) -> bool:
            return isinstance(other, manager_class) and manager._constructor_args == other._constructor_args  # type: ignore[attr-defined]

        guarded.deconstruct = deconstruct  # type: ignore[method-assign,assignment]
        guarded.__eq__ = equals  # type: ignore[method-assign,assignment]
        guarded.__hash__ = manager_class.__hash__  # type: ignore[method-assign]
        # named as the manager it guards: what reads the class by name (migrations, the type checker's
        # Django plugin) finds the model's own manager
        for made, original in ((guarded, manager_class), (guarded_queryset, queryset_class)):
            made.__module__, made.__name__, made.__qualname__ = (
                original.__module__,
                original.__name__,
                original.__qualname__,
            )
        _guarded_managers[manager_class] = guarded
    return _guarded_managers[manager_class]


def _guard_bulk_changes(sender: type[models.Model], **kwargs: Any) -> None:
    """Give every manager of an audited model the queryset that refuses unaudited bulk changes, and
    make its default manager its base manager (the one Django's internals and related lookups use),
    so that no manager of it can change many rows without an event. Historical models of migrations
    (another registry) keep theirs: a data migration is not a service."""
    if not issubclass(sender, Audited) or sender._meta.apps is not global_apps:
        return
    meta = sender._meta
    for manager in meta.managers:
        if issubclass(manager._queryset_class, AuditedQuerySet):  # type: ignore[attr-defined]
            continue
        guarded = copy.copy(manager)
        guarded.__class__ = _guarded_manager_class(type(manager))
        meta.local_managers = [local for local in meta.local_managers if local.name != manager.name]
        sender.add_to_class(manager.name, guarded)
    if not meta.base_manager_name:
        meta.base_manager_name = meta.default_manager.name  # type: ignore[union-attr]


class_prepared.connect(_guard_bulk_changes)


class VisibleQuerySet(models.QuerySet):
    def visible_to(self, user: User | Any) -> VisibleQuerySet:
        """Only the rows ``user`` may read, by the one visibility policy."""
        return self.filter(policy.visibility_q(self.model, user))


class VisibleManager(models.Manager.from_queryset(VisibleQuerySet)):  # type: ignore[misc]
    pass


class ClassifiedModel(Audited, models.Model):
    """A record with a classification level, timestamps and the restricting manager.

    Domain models inherit from it and only declare their own fields; reads go through
    ``Model.objects.visible_to(user)``. A model whose rows are addressed to particular state bodies
    overrides ``need_to_know_q``: by default a liaison officer sees none of a model's rows."""

    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.OFFICIAL, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisibleManager()

    class Meta:
        abstract = True

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        """The need-to-know restriction on top of clearance; deny liaisons unless a model says otherwise."""
        return policy.NOTHING if user.is_liaison else Q()

    @property
    def classification_slug(self) -> str:
        return Classification(self.classification).slug


class AuditHead(models.Model):
    """The head of the audit chain: the last sequence number and hash.

    Writers lock this single row, so events get consecutive numbers and each carries the hash of its
    predecessor even with many application processes; ``verify`` compares it to the last event so a
    removed tail is detected too."""

    seq = models.PositiveBigIntegerField(_("sequence number"), default=0)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit log.

    ``hash`` is the SHA-256 of the event's own fields and ``prev_hash``; changing any stored field of
    any event, or removing one, breaks the chain at that event's sequence number. Triggers refuse
    UPDATE and DELETE on this table (and TRUNCATE on PostgreSQL), and the head is anchored outside the
    database every day (``audit.anchor_head``), so that a rewritten tail is found too."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        READ = "read", _("Read")
        DOWNLOAD = "download", _("Downloaded")
        EXPORT = "export", _("Exported")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGIN_LOCKED = "login_locked", _("Login refused: locked out")
        LOGOUT = "logout", _("Logged out")
        TOKEN_ISSUED = "token_issued", _("API token issued")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        SECOND_FACTOR_ENROLLED = "otp_enrolled", _("Second factor enrolled")
        SECOND_FACTOR_RESET = "otp_reset", _("Second factor reset")
        RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
        DECLASSIFY = "declassify", _("Declassified")
        VERIFY = "verify", _("Audit chain verified")

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(_("actor's username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.PUBLIC
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    root_type = models.CharField(_("record type"), max_length=100, blank=True, default="")
    root_id = models.CharField(_("record id"), max_length=64, blank=True, default="")
    #: The business action the event was written in (``adopt``, ``sign``…: ``@service(named=...)``).
    operation = models.CharField(_("business action"), max_length=40, blank=True, default="", db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx"),
            models.Index(fields=["root_type", "root_id"], name="core_audit_root_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    @property
    def operation_label(self) -> str:
        """The business action in the reader's language (``kenes.core.audit.BUSINESS_ACTIONS``)."""
        from kenes.core import audit

        return audit.operation_label(self.operation) if self.operation else ""


class AuditLevelFloor(models.Model):
    """The level below which nobody reads the audit events about a classified record that was raised.

    An event is filed at the level of its record when it is written, and the log is append-only: when
    the record is raised later, its earlier events (its title, its text, its votes) cannot be
    re-levelled. Each event names the classified record it belongs to (``AuditEvent.root_type`` and
    ``root_id``: the record itself, or the parent whose level a child row carries), and this row keeps
    that record's level from its first raise on, written in the raise's transaction. An event is read
    only by whoever is cleared for both its own level and its record's floor
    (:func:`kenes.core.policy.audit_visibility_q`)."""

    root_type = models.CharField(_("record type"), max_length=100)
    root_id = models.CharField(_("record id"), max_length=64)
    level = models.PositiveSmallIntegerField(_("classification"), choices=Classification.choices)

    class Meta:
        verbose_name = _("audit level floor")
        verbose_name_plural = _("audit level floors")
        constraints = [models.UniqueConstraint(fields=["root_type", "root_id"], name="core_audit_floor_once")]

    def __str__(self) -> str:
        return f"{self.root_type}:{self.root_id} ≥ {self.level}"


class Attachment(ClassifiedModel):
    """A file attached to a record (a session's materials, a report's annex, ...).

    The stored file has a random name under ``MEDIA_ROOT``; the user's file name is kept only as text.
    Its type is decided by content at upload, and it is served only through the access-checked
    download view. It is visible to whoever may read both the attachment's level and its owner; an
    attachment not yet linked to an owner is visible only to the person who uploaded it."""

    owner_type = models.ForeignKey(
        ContentType, verbose_name=_("owner type"), null=True, blank=True, on_delete=models.PROTECT
    )
    owner_id = models.PositiveBigIntegerField(_("owner id"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="core_attachment_owner_idx")]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        from kenes.core import attachments

        return attachments.owner_visibility_q(user)


class Notification(ClassifiedModel):
    """A message to one user: in the app (a badge and an inbox) and by e-mail.

    ``key`` names the event; a user is never notified twice of the same event. A user reads only his
    own notifications, and only up to his clearance. E-mails never carry the classified text, only a
    neutral line and a link: the content is read in Kenes, behind the login and the visibility policy.

    ``about_type`` and ``about_id`` name the record the notification is about: raising that record
    raises its notifications with it (``kenes.core.notifications``), so that a user below the new level
    no longer reads its title."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("event"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    about_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    # The title and text as codes of kenes.core.texts, rendered in the reader's language; ``title`` and
    # ``body`` keep the text as it was written (old rows, a removed code).
    code = models.CharField(_("message code"), max_length=80, blank=True)
    body_code = models.CharField(_("text code"), max_length=80, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_notification_once_per_event")]
        indexes = [
            models.Index(fields=["user", "read_at"], name="core_notification_unread_idx"),
            models.Index(fields=["about_type", "about_id"], name="core_notification_about_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def need_to_know_q(cls, user: User) -> Q:
        return Q(user_id=user.pk)

    @property
    def title_text(self) -> str:
        """The title in the active language (the stored one for a row written before codes)."""
        from kenes.core import texts

        return texts.render(self.code, self.params, fallback=self.title) if self.code else self.title

    @property
    def body_text(self) -> str:
        """The text in the active language; a person's own words (a return comment) as written."""
        from kenes.core import texts

        return texts.render(self.body_code, self.params, fallback=self.body) if self.body_code else self.body


class Sequence(models.Model):
    """The last number taken from a named yearly sequence (decisions, instructions): numbers are taken
    under a row lock, so concurrent takers get distinct numbers, and a number is never given twice."""

    name = models.CharField(_("sequence"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="core_sequence_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.year}: {self.last}"


class SearchEntry(models.Model):
    """The search keys of one searchable record (``kenes.core.search``): the word forms of its title as
    entered, of its translations and of its other searchable fields (``kenes.core.wordforms``).

    An index, not a record: it is written on every save of the record and never read on its own; a
    search joins it to the record's own rows filtered by the visibility policy, so it finds only what
    the reader may open. On PostgreSQL a GIN index over ``to_tsvector('simple', keys)`` answers the
    full-text query (migration ``0009``); on SQLite a search looks for ``" key "`` in ``keys``."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    keys = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="core_search_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"


class ScheduledRun(models.Model):
    """That a daily job ran on a day: the scheduler enqueues each job once a day, however many run."""

    name = models.CharField(_("job"), max_length=60)
    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled run")
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="core_scheduled_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"


RESULT_LABELS = {
    "rows": _("rows read"),
    "created": _("values added"),
    "updated": _("values corrected"),
    "unchanged": _("values unchanged"),
    "indicators": _("indicators"),
    "signals": _("signals"),
    "signals_created": _("signals created"),
}


class ImportJob(models.Model):
    """One uploaded file being imported in the background, so its owner sees a progress bar.

    The job is the owner's alone: nobody else reads it (its errors quote the file). The uploaded bytes
    are kept in private storage only until the job ends. What the import writes is audited by the
    module's import service; the job records only how it went."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=60)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="imports/", max_length=255, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_total = models.PositiveIntegerField(_("errors in all"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def errors_shown(self) -> list[dict[str, Any]]:
        """The stored errors as the reader reads them: each in the active language, its row number in
        the reader's number format (``kenes.core.tabular.shown``)."""
        from kenes.core.tabular import shown

        return [shown(error) for error in self.errors or [] if isinstance(error, dict)]

    @property
    def result_items(self) -> list[tuple[str, object]]:
        """The summary as the page shows it: known figures under their translated names."""
        return [(str(RESULT_LABELS.get(key, key)), value) for key, value in (self.result or {}).items()]

    @property
    def waiting_since(self) -> dt.datetime | None:
        """When the job was queued, if it has been waiting for the worker long enough to say so."""
        return queues.waiting_since(self.created_at) if self.status == self.Status.QUEUED else None

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, self.processed * 100 // self.total) if self.total else 0
