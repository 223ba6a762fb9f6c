"""The hash-chained audit log: every change recorded in its transaction, tampering found at its link."""

import itertools
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from kenes.core import audit, context
from kenes.core.classification import Classification
from kenes.core.models import AuditEvent, AuditHead
from kenes.directory.models import Organization
from tests.conftest import audit_triggers_off, make_org, make_user
from tests.testapp.models import Dossier


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("seq"))


def test_create_update_delete_are_recorded_with_actor_address_and_values(users, orgs):
    with context.acting_as(users["secretary"], ip="10.1.2.3"), transaction.atomic():
        dossier = Dossier.objects.create(title="Border report", classification=Classification.SECRET)
        dossier.title = "Border report, revised"
        dossier.save()
        pk = dossier.pk
        dossier.delete()
    created, updated, deleted = events(object_type="testapp.dossier", object_id=str(pk))
    assert [created.action, updated.action, deleted.action] == ["create", "update", "delete"]
    assert created.changes["title"] == "Border report"
    assert updated.changes == {"title": ["Border report", "Border report, revised"]}
    assert deleted.changes["title"] == "Border report, revised"
    assert all(e.actor == users["secretary"] and e.ip == "10.1.2.3" for e in (created, updated, deleted))
    assert created.classification == Classification.SECRET


def test_secrets_never_enter_the_log(db):
    user = make_user("someone")
    created = events(object_type="accounts.user", object_id=str(user.pk))[0]
    assert created.changes["password"] == "***"
    assert user.password not in str(created.changes)


def test_saving_without_a_change_writes_nothing(orgs):
    before = AuditHead.objects.get(pk=1).seq
    orgs["mia"].save()
    assert AuditHead.objects.get(pk=1).seq == before


def test_a_change_rolled_back_leaves_no_event_and_an_event_never_outlives_its_change(db):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_org("doomed")
        raise RuntimeError("the service failed after writing")
    assert not Organization.objects.filter(code="doomed").exists()
    assert AuditEvent.objects.count() == before


def test_m2m_changes_are_recorded(users):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="g")
    users["admin"].groups.add(group)
    event = events(object_type="accounts.user", object_id=str(users["admin"].pk))[-1]
    assert event.changes == {"groups": {"add": [group.pk]}}


def test_the_chain_verifies_and_links_each_event_to_the_previous(users):
    result = audit.verify()
    chain = events()
    assert result.ok and result.events == len(chain) > 3 and result.first_bad_seq is None
    assert chain[0].prev_hash == audit.GENESIS_HASH
    for previous, event in itertools.pairwise(chain):
        assert event.seq == previous.seq + 1 and event.prev_hash == previous.hash


def _tamper(sql: str, params: list) -> None:
    """Change the log behind the application's back, as an intruder who owns the database would: he can
    switch the triggers off, and that is the attack."""
    with audit_triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


TAMPERING = {
    "action": ("UPDATE core_auditevent SET action = 'read' WHERE seq = %s", []),
    "actor": ("UPDATE core_auditevent SET actor_username = 'nobody' WHERE seq = %s", []),
    "object_id": ("UPDATE core_auditevent SET object_id = '999' WHERE seq = %s", []),
    "classification": ("UPDATE core_auditevent SET classification = 40 WHERE seq = %s", []),
    "ip": ("UPDATE core_auditevent SET ip = '192.0.2.1' WHERE seq = %s", []),
    "time": ("UPDATE core_auditevent SET at = at + interval '1 second' WHERE seq = %s", []),
    "changes": ('UPDATE core_auditevent SET changes = \'{"title": "forged"}\' WHERE seq = %s', []),
    "hash": ("UPDATE core_auditevent SET hash = %s WHERE seq = %s", ["f" * 64]),
}


@pytest.mark.parametrize("what", list(TAMPERING))
def test_tampering_with_any_row_is_found_at_its_sequence_number(users, what):
    sql, extra = TAMPERING[what]
    if what == "time" and connection.vendor == "sqlite":
        sql = "UPDATE core_auditevent SET at = '2020-01-01 00:00:00' WHERE seq = %s"
    total = AuditEvent.objects.count()
    for victim in (1, total // 2, total):
        with transaction.atomic():
            _tamper(sql, [*extra, victim])
            result = audit.verify()
            assert not result.ok and result.first_bad_seq == victim, (what, victim)
            assert result.events == victim - 1
            assert events(seq=victim)  # the row is still there: only its content was changed
            transaction.set_rollback(True)
    assert audit.verify().ok


def test_a_removed_event_is_found(users):
    total = AuditEvent.objects.count()
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [3])
    assert audit.verify().first_bad_seq == 3
    assert total > 3


def test_a_removed_tail_is_found(users):
    total = AuditEvent.objects.count()
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [total])
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == total


def test_verify_command_names_the_first_broken_link(orgs, capsys):
    call_command("audit_verify", "--no-progress")
    assert "intact" in capsys.readouterr().out
    _tamper("UPDATE core_auditevent SET object_repr = 'forged' WHERE seq = %s", [2])
    with pytest.raises(CommandError, match="#2"):
        call_command("audit_verify", "--no-progress")


@pytest.mark.postgres_only
@pytest.mark.parametrize("statement", ["UPDATE core_auditevent SET action = 'read'", "DELETE FROM core_auditevent"])
def test_postgresql_refuses_update_and_delete_of_the_log(orgs, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


@pytest.mark.postgres_only
def test_the_suite_really_runs_on_postgresql(db):
    assert connection.vendor == "postgresql"


def test_two_events_never_share_a_number(db):
    """Two events may never share a number: the database refuses, whatever the code does."""
    event = audit.record("verify", object_type="x", classification=Classification.PUBLIC)
    head = AuditHead.objects.get(pk=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(seq=event.seq, at=event.at, action="read", prev_hash=head.hash, hash="0" * 64)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    """Several threads change records at once; the chain stays consecutive and verifies."""
    # The migration creates the head; a transactional test before this one may have flushed it.
    AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": audit.GENESIS_HASH})
    errors = []

    def writer(n: int) -> None:
        try:
            for i in range(5):
                with transaction.atomic():
                    Dossier.objects.create(title=f"t{n}-{i}", classification=Classification.OFFICIAL)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = audit.verify()
    assert result.ok and result.events == AuditEvent.objects.count() >= 20
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
