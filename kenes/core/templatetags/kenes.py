from django import template
from django.utils.html import format_html

from kenes.core.classification import Classification

register = template.Library()


@register.simple_tag
def classification_badge(level: int) -> str:
    """A coloured marking of a classification level, for lists and headings."""
    level = Classification(int(level))
    return format_html('<span class="marking marking-{}">{}</span>', level.slug, level.label)


@register.filter
def classification_label(level: int) -> str:
    return Classification(int(level)).label
