"""What one audited change costs in queries: the row, its update, the event and the chain head."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kenes.core.classification import Classification
from kenes.core.services import service
from tests.testapp.models import Dossier


@service
def retitle(pk: int, title: str, *, actor) -> Dossier:
    dossier = Dossier.objects.select_for_update().get(pk=pk)
    dossier.title = title
    dossier.save()
    return dossier


def test_one_audited_update_costs_the_fewest_queries(users):
    dossier = Dossier.objects.create(title="Border report", classification=Classification.SECRET)
    with CaptureQueriesContext(connection) as captured:
        retitle(dossier.pk, "Border report, revised", actor=users["secretary"])
    sql = [query["sql"] for query in captured.captured_queries]
    print(len(sql), *sql, sep="\n")
    assert len(sql) == 7
