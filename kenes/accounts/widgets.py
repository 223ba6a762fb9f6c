from typing import Any

from django.http import HttpRequest

from kenes.accounts import services
from kenes.accounts.models import ApiToken, User


def account_widget(request: HttpRequest) -> dict[str, Any] | None:
    """The user's own standing: role, clearance, organization, second factor, active tokens."""
    user = request.user
    if not isinstance(user, User):  # the dashboard is behind the login
        return None
    return {
        "account": user,
        "second_factor_required": services.second_factor_required(user),
        "active_tokens": ApiToken.objects.active().filter(user=user).count(),
    }
