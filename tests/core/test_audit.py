"""The hash-chained audit log: every change recorded in its transaction, tampering found at its link."""

import datetime as dt
import itertools
import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from kenes.core import audit, bench, context
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


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET action = 'read'",
        "DELETE FROM core_auditevent",
        "DELETE FROM core_auditevent WHERE seq = 1",
    ],
)
def test_the_database_refuses_update_and_delete_of_the_log(orgs, statement):
    """On both databases, whatever the application does: a trigger refuses the statement."""
    before = list(AuditEvent.objects.values_list("seq", "hash", "action"))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert list(AuditEvent.objects.values_list("seq", "hash", "action")) == before != []


def _check_constraints_now() -> None:
    """PostgreSQL truncates no table with foreign-key checks still pending in the transaction (the test's)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgres_only
def test_postgresql_refuses_truncate_of_the_log(orgs):
    _check_constraints_now()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.exists()


def test_the_suites_flush_gets_past_the_triggers_and_leaves_them_in_place(orgs):
    """Django empties the database with DELETE (SQLite) or TRUNCATE (PostgreSQL) after a transactional
    test; the suite's flush passes, and the log is append-only again right after it."""
    _check_constraints_now()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    audit.record("verify", object_type="x", classification=Classification.PUBLIC)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.count() == 1


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


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_verification_while_others_write_finds_an_intact_chain():
    """Writers append while the chain is verified: the verification walks up to the head it read, in one
    snapshot, and never reports an intact chain as broken (it once said ``first_bad_seq`` = count + 1)."""
    AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": audit.GENESIS_HASH})
    bench.build_chain(20_000)
    stop, errors, written = threading.Event(), [], []

    def writer(n: int) -> None:
        try:
            while not stop.is_set():
                with transaction.atomic():
                    Dossier.objects.create(title=f"t{n}", classification=Classification.OFFICIAL)
                written.append(n)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    try:
        results = []
        for _ in range(4):
            before = len(written)
            results.append((audit.verify(), len(written) - before))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert all(result.ok and result.first_bad_seq is None for result, _ in results), results
    assert sum(appended for _, appended in results) > 0  # others really wrote during the verifications
    assert audit.verify().events == AuditEvent.objects.count()


def _visible_figure(html: str) -> int:
    widget = html[html.index('id="widget-audit"') :]
    return int(widget.split('<p class="figure">', 1)[1].split("<", 1)[0])


def test_counts_shown_to_a_reader_are_of_the_events_he_may_read(users, api, client):
    """The chain is verified whole, but the auditor (cleared secret) is told how many events he may read,
    never how many exist above his clearance: in the API, on the audit page and on the dashboard."""
    with context.acting_as(users["chair"]):
        for level in (Classification.TOP_SECRET, Classification.SPECIAL_IMPORTANCE, Classification.SECRET):
            Dossier.objects.create(title="Canary", classification=level)
    auditor, chair = api(users["auditor"]), api(users["chair"])
    readable = audit.events_visible_to(users["auditor"]).count()
    total = AuditEvent.objects.count()
    assert readable < total - 1
    body = auditor.get("/api/v1/audit/verify").json()
    assert body == {"ok": True, "events": readable, "first_bad_seq": None, "anchors": 0}
    verify_event = AuditEvent.objects.latest("seq")
    assert verify_event.action == "verify" and verify_event.changes["events"] == readable
    assert verify_event.classification == Classification.SECRET  # the count he was told is of his level
    assert chair.get("/api/v1/audit/verify").json()["events"] == AuditEvent.objects.count() - 1

    client.force_login(users["auditor"])
    readable = audit.events_visible_to(users["auditor"]).count()
    page = client.post("/audit/").content.decode()
    assert f"it holds {readable} events you may read" in page
    readable = audit.events_visible_to(users["auditor"]).count()
    assert _visible_figure(client.get("/").content.decode()) == readable < AuditEvent.objects.count()


def _rewrite_tail(start: int) -> None:
    """Forge event ``start`` and recompute every hash after it and the head's: the chain then verifies
    from inside the database."""
    prev = AuditEvent.objects.get(seq=start - 1).hash if start > 1 else audit.GENESIS_HASH
    with audit_triggers_off(), transaction.atomic():
        for event in AuditEvent.objects.filter(seq__gte=start).order_by("seq"):
            if event.seq == start:
                event.object_repr = "forged"
            event.prev_hash, event.hash = prev, None
            event.hash = prev = audit.event_hash(event)
            AuditEvent.objects.filter(pk=event.pk).update(
                object_repr=event.object_repr, prev_hash=event.prev_hash, hash=event.hash
            )
        AuditHead.objects.filter(pk=1).update(hash=prev)


def test_the_head_is_anchored_in_an_append_only_file_and_the_log(orgs, settings, caplog):
    first = audit.anchor_head()
    make_org("later")
    with caplog.at_level("INFO", logger="kenes.audit"):
        second = audit.anchor_head()
    head = AuditHead.objects.get(pk=1)
    lines = [json.loads(line) for line in settings.KENES_AUDIT_ANCHOR_FILE.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [first.seq, second.seq] and second.seq == head.seq > first.seq
    assert lines[1]["hash"] == head.hash and lines[1]["at"].startswith(str(dt.date.today().year))
    assert f"seq={head.seq} hash={head.hash}" in caplog.text
    result = audit.verify()
    assert result.ok and result.anchors == 2 and result.malformed == ()


def test_a_tail_rewritten_with_recomputed_hashes_fails_at_the_anchor(users, settings):
    anchored = audit.anchor_head().seq
    make_org("after-the-anchor")
    assert anchored > 3
    settings.KENES_AUDIT_ANCHOR_FILE = settings.KENES_AUDIT_ANCHOR_FILE.with_name("elsewhere.jsonl")
    _rewrite_tail(3)
    assert audit.verify().ok  # undetectable from inside the database
    settings.KENES_AUDIT_ANCHOR_FILE = settings.KENES_AUDIT_ANCHOR_FILE.with_name("audit-anchors.jsonl")
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == anchored and result.bad_anchor.seq == anchored
    with pytest.raises(CommandError, match=f"anchor of event #{anchored} "):
        call_command("audit_verify", "--no-progress")


def test_a_tail_cut_below_an_anchor_fails_at_the_anchor(orgs):
    anchored = audit.anchor_head().seq
    with audit_triggers_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq >= %s", [anchored - 1])
    AuditHead.objects.filter(pk=1).update(seq=anchored - 2, hash=AuditEvent.objects.get(seq=anchored - 2).hash)
    result = audit.verify()
    assert not result.ok and result.bad_anchor.seq == anchored and result.first_bad_seq == anchored - 1


def test_no_anchor_file_is_no_anchor(orgs, settings, capsys):
    assert not settings.KENES_AUDIT_ANCHOR_FILE.exists()
    result = audit.verify()
    assert result.ok and result.anchors == 0
    call_command("audit_verify", "--no-progress")
    assert "0 anchors checked" in capsys.readouterr().out


def test_a_malformed_anchor_line_is_reported_not_a_crash(orgs, settings, capsys):
    audit.anchor_head()
    with settings.KENES_AUDIT_ANCHOR_FILE.open("a") as file:
        file.write('{"seq": "x"}\nnot json\n{"seq": 1}\n')
    result = audit.verify()
    assert result.ok and result.anchors == 1 and result.malformed == (2, 3, 4)
    call_command("audit_verify", "--no-progress")
    captured = capsys.readouterr()
    assert "1 anchors checked" in captured.out
    assert "line 2: not an anchor" in captured.err and "line 4: not an anchor" in captured.err


def test_the_anchor_command_and_the_daily_job_write_an_anchor(orgs, settings, capsys):
    from kenes.core import schedule, tasks

    call_command("audit_anchor")
    assert f"anchored event #{AuditHead.objects.get(pk=1).seq}" in capsys.readouterr().out
    assert "core.audit_anchor" in [job.name for job in schedule.jobs()]
    tasks.anchor_audit_head.enqueue()
    assert len(settings.KENES_AUDIT_ANCHOR_FILE.read_text().splitlines()) == 2
    call_command("audit_verify", "--no-progress")
    assert "2 anchors checked" in capsys.readouterr().out
