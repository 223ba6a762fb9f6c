from typing import Any

from django.http import HttpRequest

from kenes.accounts import services
from kenes.accounts.models import ApiToken


def account_widget(request: HttpRequest) -> dict[str, Any]:
    """The user's own standing: role, clearance, organization, second factor, active tokens."""
    user = request.user
    return {
        "account": user,
        "second_factor_required": services.second_factor_required(user),
        "active_tokens": ApiToken.objects.active().filter(user=user).count(),
    }
