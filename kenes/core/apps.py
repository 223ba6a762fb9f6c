from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kenes.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from kenes.core import audit, checks, dashboard, navigation, notifications, policy, schedule  # noqa: F401  (signals)
        from kenes.core.tasks import anchor_audit_head
        from kenes.core.widgets import audit_widget, queues_widget

        navigation.register(navigation.NavItem(_("Dashboard"), "core:dashboard", "main", order=0))
        navigation.register(navigation.NavItem(_("Search"), "core:search", "main", order=900))
        navigation.register(
            navigation.NavItem(_("Audit log"), "core:audit", "monitoring", order=950, allowed=policy.may_read_audit)
        )
        dashboard.register(dashboard.Widget("audit", "core/widgets/audit.html", audit_widget, order=900))
        schedule.register(schedule.DailyJob("core.audit_anchor", anchor_audit_head))
        dashboard.register(dashboard.Widget("queues", "core/widgets/queues.html", queues_widget, order=910))
        notifications.register()
        from django.db.models.signals import post_migrate

        from kenes.core import search

        post_migrate.connect(search.fill_after_migrate, sender=self, dispatch_uid="kenes.core.search.fill")
