from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from kenes.directory.models import Organization


def directory_widget(request: HttpRequest) -> dict[str, Any]:
    """How many state bodies of each kind the Council coordinates."""
    counts = dict(
        Organization.objects.visible_to(request.user).filter(is_active=True).values_list("kind").annotate(n=Count("pk"))
    )
    kinds = [(value, label, counts.get(value, 0)) for value, label in Organization.Kind.choices if counts.get(value)]
    return {"kinds": kinds, "total": sum(counts.values())}
