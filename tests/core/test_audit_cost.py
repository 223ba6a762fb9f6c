"""What one audited change costs in queries: the row, its update, the event and the chain head.

Measured around a plain ``@service`` that changes one field of a loaded row. Inside the test's own
transaction the service's transaction is a savepoint (two statements that are BEGIN and COMMIT in
production). Before the "before" values were taken at load and ``record`` stopped opening a savepoint
of its own, the same change cost 10 statements here (8 and the transaction in production): the row was
read again by ``pre_save``, and ``record`` added a SAVEPOINT and its RELEASE."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kenes.core import context
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent
from kenes.core.services import service
from tests.testapp.models import Dossier


@service
def retitle(pk: int, title: str, *, actor) -> Dossier:
    dossier = Dossier.objects.select_for_update().get(pk=pk)
    dossier.title = title
    dossier.save()
    return dossier


def test_one_audited_update_costs_the_row_its_update_and_the_chain_only(users):
    dossier = Dossier.objects.create(title="Border report", classification=Classification.SECRET)
    with CaptureQueriesContext(connection) as captured:
        retitle(dossier.pk, "Border report, revised", actor=users["secretary"])
    statements = [query["sql"].split()[0] for query in captured.captured_queries]
    assert statements == [
        "SAVEPOINT",  # the service's transaction
        "SELECT",  # the row, under a lock
        "UPDATE",  # the row
        "SELECT",  # the chain head, under a lock
        "INSERT",  # the event
        "UPDATE",  # the chain head
        "INSERT",  # its search keys (kenes.core.search: one upsert, as its title changed)
        "RELEASE",
    ]
    event = AuditEvent.objects.latest("seq")
    assert event.changes == {"title": ["Border report", "Border report, revised"]}


def test_an_instance_loaded_in_part_is_diffed_against_the_stored_row(users):
    dossier = Dossier.objects.create(title="Border report", classification=Classification.SECRET)
    partial = Dossier.objects.only("title").get(pk=dossier.pk)
    partial.title = "Renamed"
    with transaction.atomic(), context.acting_as(users["chair"]):
        partial.save()  # its "before" is read from the database: it did not load every field
    assert AuditEvent.objects.latest("seq").changes == {"title": ["Border report", "Renamed"]}


def test_each_save_of_one_instance_is_diffed_against_the_one_before(users):
    with transaction.atomic(), context.acting_as(users["chair"]):
        dossier = Dossier.objects.create(title="a", classification=Classification.SECRET)
        dossier.title = "b"
        dossier.save()
        dossier.title = "c"
        dossier.organization = users["liaison"].organization
        dossier.save(update_fields=["title"])  # the organization is not stored, so not logged
        dossier.refresh_from_db()
        dossier.title = "d"
        dossier.save()
    changes = list(
        AuditEvent.objects.filter(object_type="testapp.dossier").order_by("seq").values_list("changes", flat=True)
    )
    assert changes[1:] == [{"title": ["a", "b"]}, {"title": ["b", "c"]}, {"title": ["c", "d"]}]
