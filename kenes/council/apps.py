from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "kenes.council"
    label = "council"
    verbose_name = _("Council sessions")

    def ready(self) -> None:
        from django.urls import reverse

        from kenes.core import attachments, dashboard, demo, navigation, search
        from kenes.council import demo_texts, widgets
        from kenes.council.models import AgendaItem, Decision, Meeting

        navigation.register(navigation.NavItem(_("Sessions"), "council:meeting-list", "council", order=100))
        navigation.register(navigation.NavItem(_("Decisions"), "council:decision-list", "council", order=110))
        navigation.register(navigation.NavItem(_("Work plan"), "council:work-plan", "council", order=120))
        from kenes.council.services import may_add_materials

        attachments.register_owner(AgendaItem, may_add_materials)
        search.register(
            search.Searchable(
                type="meeting",
                model=Meeting,
                fields=("title", "place"),
                title=lambda m: m.title,
                shown=lambda m: m.translated(),
                url=lambda m: reverse("council:meeting-detail", args=[m.pk]),
                order_by=("-date", "-pk"),
            )
        )
        search.register(
            search.Searchable(
                type="agenda_item",
                model=AgendaItem,
                fields=("title", "speaker", "description"),
                title=lambda i: i.title,
                shown=lambda i: i.translated(),
                url=lambda i: reverse("council:meeting-detail", args=[i.meeting_id]) + f"#item-{i.pk}",
                order_by=("-meeting__date", "position"),
            )
        )
        search.register(
            search.Searchable(
                type="decision",
                model=Decision,
                fields=("title", "text", "number"),
                title=lambda d: str(d),
                shown=lambda d: f"{d.number} {d.translated()}" if d.number else d.translated(),
                url=lambda d: reverse("council:decision-detail", args=[d.pk]),
                order_by=("-year", "-sequence", "-pk"),
            )
        )
        dashboard.register(dashboard.Widget("council", "council/widgets/sessions.html", widgets.sessions_widget, 100))
        demo.register("council", demo_texts.load_demo, order=100)
        from kenes.council import derived

        derived.register()
