from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThreatsConfig(AppConfig):
    name = "kenes.threats"
    label = "threats"
    verbose_name = _("Threats and early warning")

    def ready(self) -> None:
        from django.urls import reverse

        from kenes.core import dashboard, demo, imports, navigation, schedule, search, subjects, translated
        from kenes.threats import imports as threat_imports
        from kenes.threats import services, widgets
        from kenes.threats.demo_texts import load_demo
        from kenes.threats.models import Countermeasure, Signal, SituationReport, Threat
        from kenes.threats.tasks import daily_forecasts

        navigation.register(navigation.NavItem(_("Threats"), "threats:threat-list", "threats", order=300))
        navigation.register(
            navigation.NavItem(_("Alerts"), "threats:alert-list", "threats", order=310, allowed=widgets.sees_alerts)
        )
        threat_url = lambda t: reverse("threats:threat-detail", args=[t.pk])  # noqa: E731
        search.register(
            search.Searchable(
                type="threat",
                model=Threat,
                fields=("title", "description"),
                title=str,
                shown=lambda t: t.translated(),
                url=threat_url,
                order_by=("-likelihood", "-impact", "pk"),
            )
        )
        search.register(
            search.Searchable(
                type="signal",
                model=Signal,
                fields=("name", "code", "region", "category"),
                title=str,
                shown=lambda s: s.translated(),
                url=lambda s: reverse("threats:signal-detail", args=[s.pk]),
                order_by=("name", "pk"),
            )
        )
        subjects.register("threat", Threat, url=threat_url, title=translated.label)
        subjects.register(
            "countermeasure",
            Countermeasure,
            url=lambda c: reverse("threats:threat-detail", args=[c.threat_id]) + f"#countermeasure-{c.pk}",
            title=str,
        )
        subjects.register(
            "situation-report",
            SituationReport,
            url=lambda r: reverse("threats:report-detail", args=[r.pk]),
            title=str,
        )
        dashboard.register(dashboard.Widget("threats", "threats/widgets/alerts.html", widgets.alerts_widget, 60))
        demo.register("threats", load_demo, order=300)
        imports.register("threats.observations", threat_imports.import_observations, may_start=services.may_edit)
        imports.register("threats.events", threat_imports.import_events, may_start=services.may_edit)
        schedule.register(schedule.DailyJob("threats.forecasts", daily_forecasts))
        from kenes.threats import derived

        derived.register()
