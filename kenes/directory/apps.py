from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "kenes.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from django.urls import reverse

        from kenes.core import dashboard, navigation, search
        from kenes.directory.models import Organization
        from kenes.directory.widgets import directory_widget

        navigation.register(
            navigation.NavItem(_("State bodies"), "directory:organization-list", "directory", order=800)
        )
        search.register(
            search.Searchable(
                type="organization",
                model=Organization,
                fields=("name_kk", "name_ru", "name_en", "code"),
                title=lambda o: o.name,
                url=lambda o: reverse("directory:organization-detail", args=[o.pk]),
                order_by=("name_en",),
            )
        )
        dashboard.register(
            dashboard.Widget("directory", "directory/widgets/directory.html", directory_widget, order=800)
        )
