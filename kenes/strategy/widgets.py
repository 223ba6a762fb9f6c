from typing import Any

from django.db.models import Count, Q

from kenes.core.http import AuthedRequest
from kenes.strategy import services
from kenes.strategy.choices import EvaluationStatus


def strategy_widget(request: AuthedRequest) -> dict[str, Any] | None:
    """The indicators the user may see, by status (one query); nothing for those who see none."""
    counts = (
        services.indicators_for(request.user)
        .order_by()
        .aggregate(
            total=Count("pk"),
            good=Count("pk", filter=Q(evaluation__status__in=[EvaluationStatus.ACHIEVED, EvaluationStatus.ON_TRACK])),
            at_risk=Count("pk", filter=Q(evaluation__status=EvaluationStatus.AT_RISK)),
            off_track=Count("pk", filter=Q(evaluation__status=EvaluationStatus.OFF_TRACK)),
        )
    )
    if not counts["total"]:
        return None
    counts["no_data"] = counts["total"] - counts["good"] - counts["at_risk"] - counts["off_track"]
    return {**counts, "heatmap": services.sees_apparatus_pages(request.user)}
