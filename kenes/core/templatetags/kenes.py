from django import template
from django.utils.html import format_html

from kenes.core import references, translated
from kenes.core.classification import Classification

register = template.Library()


@register.simple_tag
def classification_badge(level: int) -> str:
    """A coloured marking of a classification level, for lists and headings."""
    level = Classification(int(level))
    return format_html('<span class="marking marking-{}">{}</span>', level.slug, level.label)


@register.filter
def classification_label(level: int) -> str:
    return str(Classification(int(level)).label)


@register.simple_tag(takes_context=True)
def reference(context, record, field: str):
    """``{% reference decision "amends" as amends %}``: the record referred to, if the reader may read it
    (else None, so the page shows nothing of it), by :mod:`kenes.core.references`."""
    if record is None:
        return None
    request = context.get("request")
    return references.readable(getattr(request, "user", None), record, field)


@register.filter(name="translated")
def translated_filter(record, field: str = "") -> str:
    """``{{ meeting|translated }}``, ``{{ instruction|translated:"text" }}``: the record's title (or
    ``field``) in the reader's language, as entered when it has no translation."""
    if record is None or record == "":
        return ""
    return translated.translated(record, field or None)


@register.filter(name="translated_label")
def translated_label(record) -> str:
    """``{{ decision|translated_label }}``: ``str(decision)`` ("5/2026 On…") with its title in the
    reader's language."""
    return "" if record is None else translated.label(record)
