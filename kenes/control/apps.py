from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlConfig(AppConfig):
    name = "kenes.control"
    label = "control"
    verbose_name = _("Control of execution")

    def ready(self) -> None:
        from django.urls import reverse

        from kenes.control import widgets
        from kenes.control.demo_texts import load_demo
        from kenes.control.models import ExecutionReport, Instruction
        from kenes.core import attachments, dashboard, demo, navigation, search

        navigation.register(navigation.NavItem(_("Instructions"), "control:instruction-list", "control", order=200))
        navigation.register(
            navigation.NavItem(_("Control board"), "control:board", "control", order=210, allowed=widgets.sees_board)
        )
        navigation.register(
            navigation.NavItem(_("Discipline"), "control:discipline", "control", order=220, allowed=widgets.sees_board)
        )
        navigation.register(
            navigation.NavItem(
                _("Working calendar"), "control:calendar", "control", order=230, allowed=widgets.sees_board
            )
        )
        from kenes.control.services import may_attach_to_report

        attachments.register_owner(ExecutionReport, may_attach_to_report)
        search.register(
            search.Searchable(
                type="instruction",
                model=Instruction,
                fields=("number", "text"),
                title=lambda i: str(i),
                shown=lambda i: f"{i.number}: {i.translated()[:80]}",
                url=lambda i: reverse("control:instruction-detail", args=[i.pk]),
                order_by=("-issued_on", "-pk"),
            )
        )
        dashboard.register(dashboard.Widget("control", "control/widgets/control.html", widgets.control_widget, 50))
        demo.register("control", load_demo, order=200)
        from kenes.control.tasks import daily_control
        from kenes.core import schedule

        schedule.register(schedule.DailyJob("control.daily", daily_control))
        from kenes.council import links

        links.register_decision_section(widgets.decision_instructions)
        from kenes.control import derived

        derived.register()
