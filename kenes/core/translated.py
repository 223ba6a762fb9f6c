"""Titles in Kazakh, Russian and English for records whose title is entered by people.

A record keeps its title as entered (the field the API returns, the one its form edits) and, in
``translations``, the same title in other languages: ``{"kk": {"title": "…"}, "ru": {"title": "…"}}``.
``record.translated("title")`` (``{{ record|translated }}`` in a template) is the title in the active
language, or the title as entered when it has none. The translations are the record's own content:
as secret as it, changed through its app's services (``store``, inside an audited service), so every
change of them is in the audit log like any other field.

Unlike django-modeltranslation nothing rewrites queries: lists filter and sort on the field as entered;
search finds a record by any of its translations through the search index (``kenes.core.search``)."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("kk", "ru", "en")


def active_language() -> str:
    language = (get_language() or "kk")[:2]
    return language if language in LANGUAGES else "kk"


class Translated(models.Model):
    """A model whose ``translated_fields`` have translations (an abstract mixin)."""

    translated_fields: ClassVar[tuple[str, ...]] = ("title",)

    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def translated(self, field: str | None = None, language: str | None = None) -> str:
        """``field`` (the first translated field by default) in ``language`` (the active one), falling
        back to the value as entered."""
        field = field or self.translated_fields[0]
        entered = getattr(self, field)
        texts = (self.translations or {}).get(language or active_language())
        value = texts.get(field) if isinstance(texts, dict) else None
        return value if isinstance(value, str) and value.strip() else entered

    def translation_texts(self) -> list[str]:
        """Every translation of every field (for the search index)."""
        texts: list[str] = []
        for language in LANGUAGES:
            values = (self.translations or {}).get(language)
            if isinstance(values, dict):
                texts.extend(str(values.get(field) or "") for field in self.translated_fields)
        return [text for text in texts if text]


T = TypeVar("T", bound=Translated)


def cleaned(model: type[Translated], translations: Any) -> dict[str, dict[str, str]]:
    """``translations`` checked: only the three languages and the model's translated fields, each a text
    no longer than the field allows; empty ones dropped. Errors name the language and field."""
    if not isinstance(translations, dict):
        raise ValidationError({"translations": _("Translations must be given per language.")})
    result: dict[str, dict[str, str]] = {}
    for language, values in translations.items():
        if language not in LANGUAGES or not isinstance(values, dict):
            raise ValidationError({"translations": _("Unknown language: %(language)s") % {"language": language}})
        for field, value in values.items():
            if field not in model.translated_fields or not isinstance(value, str):
                raise ValidationError({"translations": _("Unknown field: %(field)s") % {"field": field}})
            limit = getattr(model._meta.get_field(field), "max_length", None)
            if limit and len(value.strip()) > limit:
                message = _("%(language)s: at most %(limit)d characters") % {"language": language, "limit": limit}
                raise ValidationError({"translations": message})
            if value.strip():
                result.setdefault(language, {})[field] = value.strip()
    return result


def store(record: T, translations: Any) -> T:
    """Set the translations of ``record`` and save them (an audited save: call it inside the service of
    the record's app, which names the action and its author)."""
    record.translations = cleaned(type(record), translations)
    record.save(update_fields=["translations"])
    return record


def label(record: Any) -> str:
    """``str(record)`` with its title as entered replaced by the title in the active language (a pick
    list's label: "12/2026 On urgent measures…" keeps its number)."""
    text = str(record)
    if isinstance(record, Translated):
        entered = getattr(record, record.translated_fields[0])
        if entered and entered in text:
            return text.replace(entered, record.translated(), 1)
    return text


def translated(record: Any, field: str | None = None) -> str:
    """The record's ``field`` in the active language; for an object without translations its ``field``
    (its ``title``) as it is, or ``str()`` of it."""
    if isinstance(record, Translated):
        return record.translated(field)
    name = field or "title"
    value = record.get(name) if isinstance(record, dict) else getattr(record, name, None)
    return str(record if value is None else value)


def translate_demo(
    model: type[Translated],
    texts: dict[str, tuple[str, str]],
    translate: Any,
    more: dict[str, dict[str, tuple[str, str]]] | None = None,
) -> int:
    """Give each record of ``model`` whose title (its first translated field, as entered, in English)
    is a key of ``texts``, and that has no translations yet, its Kazakh and Russian ``texts`` (and those
    of its other fields found in ``more``) through ``translate(record, texts)``, the app's audited
    service. For the demo loaders; returns how many were translated."""
    field = model.translated_fields[0]
    done = 0
    # policy: the demo loader writes the demo's own records, it shows nothing to anyone
    for record in model._default_manager.filter(**{f"{field}__in": list(texts)}).order_by("pk"):
        if record.translations:
            continue
        kk, ru = texts[getattr(record, field)]
        result = {"kk": {field: kk}, "ru": {field: ru}}
        for other, table in (more or {}).items():
            if getattr(record, other) in table:
                result["kk"][other], result["ru"][other] = table[getattr(record, other)]
        translate(record, result)
        done += 1
    return done
