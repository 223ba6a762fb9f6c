from django.apps import AppConfig


class TestAppConfig(AppConfig):
    name = "tests.testapp"
    label = "testapp"

    def ready(self) -> None:
        from kenes.core import attachments, imports, search, subjects
        from tests.testapp.models import Dossier, import_dossiers

        attachments.register_owner(Dossier, Dossier.may_attach)
        search.register(
            search.Searchable(
                type="dossier", model=Dossier, fields=("title",), title=lambda d: d.title, url=lambda d: f"/d/{d.pk}"
            )
        )
        subjects.register("dossier", Dossier, url=lambda d: f"/d/{d.pk}", title=lambda d: d.title)
        imports.register("dossiers", import_dossiers, may_start=lambda user: user.role != "member")
