from django.apps import AppConfig


class TestAppConfig(AppConfig):
    name = "tests.testapp"
    label = "testapp"

    def ready(self) -> None:
        from kenes.core import attachments, search
        from tests.testapp.models import Dossier

        attachments.register_owner(Dossier, Dossier.may_attach)
        search.register(
            search.Searchable(
                type="dossier", model=Dossier, fields=("title",), title=lambda d: d.title, url=lambda d: f"/d/{d.pk}"
            )
        )
