from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kenes.core import navigation


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page of the shell needs: the navigation for this user and the site's mode."""
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation.items_for(user, request.path) if user and user.is_authenticated else [],
        "demo_mode": settings.DEMO,
        "site_name": settings.KENES_SITE_NAME,
    }
