"""Attachments: checked on the way in, served only through the access-checked view.

A file is accepted when it is not empty, not larger than ``KENES_MAX_UPLOAD_BYTES``, and its content
(not its name or the browser's word) is one of the allowed types. The user's file name is cleaned and
kept as text only; on disk the file gets a random name. An attachment is classified at least as high
as its owner (the high-water mark).
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO, TYPE_CHECKING, Any

import puremagic
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from kenes.core import derivation, policy
from kenes.core.models import Attachment

if TYPE_CHECKING:
    from kenes.accounts.models import User

_owner_models: list[type[models.Model]] = []
_may_attach: dict[type[models.Model], Callable[[Any, Any], bool]] = {}

ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
    "text/csv": ".csv",
}
_OOXML_PARTS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def register_owner(model: type[models.Model], may_attach: Callable[[Any, Any], bool]) -> None:
    """Allow attachments on ``model``: ``may_attach(user, record)`` is the owning module's rule of who
    adds files to a record (the page, the API and every other path ask it); the record's own
    visibility then governs who reads them."""
    if model not in _owner_models:
        _owner_models.append(model)
    _may_attach[model] = may_attach
    derivation.derives(model, _attachments_of)


def _attachments_of(record: models.Model) -> QuerySet[Attachment]:
    """The files attached to ``record``: they rise with it (never below their owner's level)."""
    return Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(record), owner_id=record.pk)


def owner_models() -> list[type[models.Model]]:
    return list(_owner_models)


def owner_visibility_q(user: User) -> Q:
    """Attachments whose owner the user may read; unlinked ones only for the person who uploaded them."""
    condition = Q(owner_type__isnull=True, uploaded_by=user)
    for model in _owner_models:
        visible_ids = model._default_manager.filter(policy.visibility_q(model, user)).values("pk")
        condition |= Q(owner_type=ContentType.objects.get_for_model(model), owner_id__in=visible_ids)
    return condition


def visible_owner_or_404(user: User, owner_type: str, owner_id: int | None) -> models.Model:
    """The record named ``app_label.model`` and id, if attachments may hang on it and the user sees it."""
    app_label, _sep, model_name = (owner_type or "").partition(".")
    model = next((m for m in _owner_models if (m._meta.app_label, m._meta.model_name) == (app_label, model_name)), None)
    if model is None or owner_id is None:
        raise Http404(_("Not found."))
    return policy.get_visible_or_404(model._default_manager, user, pk=owner_id)


def clean_file_name(name: str) -> str:
    """A file name safe to show and to offer back: no folders, no control characters, not too long."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip(" .")
    if not name:
        return "file"
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 10:
        return f"{stem[: 200 - len(ext) - 1]}.{ext}"
    return name[:200]


def detect_type(head: bytes, stream: IO[bytes]) -> str | None:
    """The content type of a file judged by its bytes, or ``None`` if it is not an allowed type."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        stream.seek(0)
        try:
            with zipfile.ZipFile(stream) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" in names:
            for prefix, mime in _OOXML_PARTS.items():
                if any(n.startswith(prefix) for n in names):
                    return mime
        return None
    try:
        guesses = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        guesses = []
    if guesses:
        return None  # some other binary format puremagic knows: not allowed
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # a character cut at the end of the sample is fine
            return None
    return "text/plain"


@transaction.atomic
def attach_file(
    upload: File, *, actor: User, owner: models.Model | None = None, classification: int | None = None
) -> Attachment:
    """Store an uploaded file as an attachment of ``owner`` (or unlinked), after every check."""
    if owner is not None:
        if type(owner) not in _owner_models:
            raise ValidationError({"owner": _("Files cannot be attached to this kind of record.")})
        if not policy.can_read(actor, owner) or not _may_attach[type(owner)](actor, owner):
            raise PermissionDenied(_("You may not attach files to this record."))
    level = int(classification if classification is not None else getattr(owner, "classification", 10))
    policy.ensure_may_classify(actor, level)
    policy.ensure_high_water(level, [owner] if owner is not None else [])
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > settings.KENES_MAX_UPLOAD_BYTES:
        limit = filesizeformat(settings.KENES_MAX_UPLOAD_BYTES)
        raise ValidationError(
            {"file": ValidationError(_("The file is larger than %(limit)s.") % {"limit": limit}, code="too_large")}
        )
    upload.seek(0)
    head = upload.read(8192)
    mime = detect_type(head, upload)
    name = clean_file_name(getattr(upload, "name", "") or "")
    if mime is None:
        raise ValidationError({"file": _("This type of file is not accepted.")})
    if mime == "text/plain" and name.lower().endswith(".csv"):
        mime = "text/csv"
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        owner_type=ContentType.objects.get_for_model(owner) if owner is not None else None,
        owner_id=owner.pk if owner is not None else None,
        original_name=name,
        content_type=mime,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        classification=level,
    )
    attachment.file.save(f"{uuid.uuid4().hex}{ALLOWED_TYPES[mime]}", upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def content_disposition(name: str) -> str:
    """An ``attachment`` Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "ignore").decode() or "file"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
