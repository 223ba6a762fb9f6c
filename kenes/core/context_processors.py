from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kenes.core import navigation, notifications


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page of the shell needs: the navigation for this user and the site's mode."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "nav_items": navigation.items_for(user, request.path) if signed_in else [],
        "nav_menu": navigation.menu_for(user, request.path) if signed_in else [],
        "unread_notifications": notifications.unread_count(user) if signed_in else 0,
        "demo_mode": settings.DEMO,
        "site_name": settings.KENES_SITE_NAME,
    }
