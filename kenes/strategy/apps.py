from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "kenes.strategy"
    label = "strategy"
    verbose_name = _("Strategic documents")

    def ready(self) -> None:
        from django.urls import reverse

        from kenes.core import dashboard, demo, imports, navigation, search, subjects, translated
        from kenes.strategy import importing, widgets
        from kenes.strategy.demo_texts import load_demo
        from kenes.strategy.models import EvaluationReport, Indicator, StrategicDocument

        navigation.register(navigation.NavItem(_("Strategy"), "strategy:document-list", "monitoring", order=300))
        search.register(
            search.Searchable(
                type="strategic_document",
                model=StrategicDocument,
                fields=("title",),
                title=lambda d: d.title,
                shown=lambda d: d.translated(),
                url=lambda d: reverse("strategy:document-detail", args=[d.pk]),
                order_by=("-period_start", "-pk"),
            )
        )
        search.register(
            search.Searchable(
                type="indicator",
                model=Indicator,
                fields=("code", "name"),
                title=str,
                shown=lambda i: f"{i.code} {i.translated()}",
                url=lambda i: reverse("strategy:indicator-detail", args=[i.pk]),
                order_by=("code",),
            )
        )
        subjects.register(
            "indicator",
            Indicator,
            url=lambda i: reverse("strategy:indicator-detail", args=[i.pk]),
            title=translated.label,
        )
        subjects.register(
            "evaluation-report",
            EvaluationReport,
            url=lambda r: reverse("strategy:report-detail", args=[r.pk]),
            title=lambda r: r.title,
        )
        imports.register(importing.KIND, importing.handle_job, may_start=importing.may_import)
        dashboard.register(dashboard.Widget("strategy", "strategy/widgets/strategy.html", widgets.strategy_widget, 60))
        demo.register("strategy", load_demo, order=300)
        from kenes.strategy import derived

        derived.register()
