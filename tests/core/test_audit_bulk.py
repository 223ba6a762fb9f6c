"""Audit completeness by construction: bulk changes only in an audited block, events only in a transaction."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext

from kenes.accounts.models import ApiToken, User
from kenes.core import audit, context
from kenes.core.checks import audited_managers_refuse_unaudited_bulk_changes
from kenes.core.classification import Classification
from kenes.core.models import Audited, AuditedQuerySet, AuditEvent, AuditHead, UnauditedBulkChange
from kenes.core.services import service
from kenes.directory.models import Organization
from kenes.strategy.models import Goal, Indicator
from tests.testapp.models import Dossier


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


@pytest.mark.parametrize(
    "change",
    [
        lambda: Dossier.objects.filter(title="x").update(title="y"),
        lambda: Dossier.objects.bulk_create([Dossier(title="x")]),
        lambda: Dossier.objects.bulk_update(list(Dossier.objects.all()), ["title"]),
        lambda: Dossier.objects.visible_to(User(clearance=40)).update(title="y"),
        lambda: Dossier._base_manager.filter(title="x").update(title="y"),
        lambda: User.objects.filter(username="chair").update(position="y"),
        lambda: ApiToken.objects.active().update(name="y"),
    ],
)
def test_bulk_changes_of_an_audited_model_are_refused_outside_an_audited_block(users, change):
    with pytest.raises(UnauditedBulkChange, match=r"audit\.bulk"):
        change()


def test_a_querysets_delete_goes_through_with_an_event_for_every_row(users):
    """Django deletes an audited model's rows one signal each (the admin's "delete selected" too)."""
    rows = [Dossier.objects.create(title=t, classification=Classification.SECRET) for t in ("a", "b")]
    before = AuditEvent.objects.count()
    Dossier.objects.filter(pk__in=[r.pk for r in rows]).delete()
    deleted = AuditEvent.objects.filter(action=AuditEvent.Action.DELETE, object_type="testapp.dossier")
    assert AuditEvent.objects.count() == before + 2
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(r.pk) for r in rows)


@pytest.mark.django_db(transaction=True)
def test_a_save_outside_a_transaction_opens_its_own_with_its_event(users):
    """Django's own saves (createsuperuser, a password's rehash at login) are not in a service."""
    user = User.objects.get(username="chair")  # loaded outside a transaction: read again at the save
    User.objects.filter(pk=user.pk)  # no change yet
    user.position = "Chairman of the Council"
    user.save()
    assert last_event().changes == {"position": ["", "Chairman of the Council"]}


@pytest.mark.django_db(transaction=True)
def test_a_row_loaded_outside_a_transaction_is_diffed_against_what_is_stored_at_its_save(users):
    """A page loads a row, another process changes it, the page's service saves its copy: the log shows
    what this save really changed, the other's change undone included."""
    dossier = Dossier.objects.create(title="Plan", classification=Classification.SECRET)
    stale = Dossier.objects.get(pk=dossier.pk)  # as a page reads it, outside any transaction
    with transaction.atomic():
        fresh = Dossier.objects.select_for_update().get(pk=dossier.pk)
        fresh.classification = Classification.TOP_SECRET
        fresh.save()
    stale.title = "Plan B"
    stale.save()
    assert last_event().changes == {
        "classification": [Classification.TOP_SECRET, Classification.SECRET],
        "title": ["Plan", "Plan B"],
    }


def test_the_refusal_names_the_model_and_the_block(db):
    with pytest.raises(UnauditedBulkChange, match=r"testapp\.Dossier: update\(\).*audit\.bulk\(Dossier"):
        Dossier.objects.update(title="y")


def test_related_managers_refuse_too(users):
    with pytest.raises(UnauditedBulkChange):
        users["chair"].organization.users.update(position="y")


def test_inside_an_audited_block_the_change_is_made_and_summarised(users):
    Dossier.objects.create(title="a", classification=Classification.SECRET)
    Dossier.objects.create(title="b", classification=Classification.SECRET)
    with (
        transaction.atomic(),
        audit.bulk(Dossier, classification=Classification.SECRET, actor=users["chair"]) as changes,
    ):
        changes["renamed"] = Dossier.objects.filter(title__in=["a", "b"]).update(title="c")
    assert Dossier.objects.filter(title="c").count() == 2
    event = last_event()
    assert (event.object_type, event.changes, event.actor) == ("testapp.dossier", {"renamed": 2}, users["chair"])


def test_one_model_allowed_does_not_allow_another(users):
    with transaction.atomic(), audit.bulk(Dossier, classification=0), pytest.raises(UnauditedBulkChange):
        User.objects.filter(username="chair").update(position="y")


def test_non_audited_models_are_not_concerned(users):
    from kenes.core.models import ImportJob

    assert ImportJob.objects.filter(pk=0).update(total=1) == 0


def test_saving_deleting_and_cascades_of_single_rows_still_work(users, orgs):
    import datetime as dt

    from kenes.strategy.models import StrategicDocument

    with transaction.atomic(), context.acting_as(users["analyst"]):
        document = StrategicDocument.objects.create(
            title="Road safety",
            kind=StrategicDocument._meta.get_field("kind").choices[0][0],
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2030, 12, 31),
            owner=orgs["mia"],
        )
        goal = Goal.objects.create(document=document, title="Safe roads")
        indicator = Indicator.objects.create(
            document=document,
            goal=goal,
            code="deaths",
            name="Deaths",
            unit="cases",
            baseline_value=1,
            baseline_period=dt.date(2025, 1, 1),
            responsible=orgs["mia"],
        )
        indicator.name = "Road deaths"
        indicator.save()
        goal.delete()  # the indicator's goal is set to null (on_delete=SET_NULL) by one update
        assert (last_event().action, last_event().object_type) == ("delete", "strategy.goal")
        document.delete()  # its indicators are deleted with it, each with its event
        assert (last_event().action, last_event().object_type) == ("delete", "strategy.strategicdocument")
        assert AuditEvent.objects.filter(action="delete", object_type="strategy.indicator").count() == 1
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_every_audited_model_has_guarded_managers_and_the_check_says_when_not(db):
    from django.apps import apps

    assert audited_managers_refuse_unaudited_bulk_changes() == []
    for model in (User, ApiToken, Organization, Dossier):
        assert issubclass(model._base_manager._queryset_class, AuditedQuerySet)
        assert issubclass(model._default_manager._queryset_class, AuditedQuerySet)

    class Loose(Audited, models.Model):
        audit_level = 0

        class Meta:
            app_label = "testapp"

        def __str__(self):
            return "loose"

    try:
        assert audited_managers_refuse_unaudited_bulk_changes() == []  # guarded when it was built
        Loose.add_to_class("plain", models.Manager())  # a manager given to it afterwards
        errors = audited_managers_refuse_unaudited_bulk_changes()
    finally:
        del apps.all_models["testapp"]["loose"]
        apps.clear_cache()
    assert [(error.id, error.obj) for error in errors] == [("kenes.E003", Loose)]
    assert "testapp.Loose.plain" in errors[0].msg


def test_migrations_see_the_models_own_managers(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


# --- events only in a transaction -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction(users):
    before = AuditHead.objects.get(pk=1).seq
    with pytest.raises(ImproperlyConfigured, match="inside the transaction"):
        audit.record("export", object_type="testapp.dossier", classification=0)
    assert AuditHead.objects.get(pk=1).seq == before
    event = audit.record_alone("export", object_type="testapp.dossier", classification=0)
    assert event.seq == before + 1
    created = Organization.objects.create(code="loose", kind="ministry")  # a save opens its own transaction
    assert last_event().object_id == str(created.pk) and last_event().seq == before + 2


@pytest.mark.django_db(transaction=True)
def test_a_read_of_a_secret_record_is_its_own_unit_of_work(users):
    with transaction.atomic():
        dossier = Dossier.objects.create(title="Border", classification=Classification.SECRET)
    audit.record_read(dossier, actor=users["chair"])
    assert (last_event().action, last_event().object_id) == ("read", str(dossier.pk))


def test_record_adds_no_savepoint_of_its_own(users):
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        audit.record("export", object_type="testapp.dossier", classification=0)
    assert not [q for q in captured.captured_queries if "SAVEPOINT" in q["sql"]]
    assert len(captured.captured_queries) == 3  # the head (locked), the event, the head again


# --- the business action ----------------------------------------------------------------------


@service
def _retitle(dossier: Dossier, title: str, *, actor) -> None:
    dossier.title = title
    dossier.save()


@service(named="adopt")
def _adopt(dossier: Dossier, *, actor) -> None:
    _retitle(dossier, "Adopted: " + dossier.title, actor=actor)


@service(named="sign")
def _sign(dossier: Dossier, *, actor) -> None:
    _adopt(dossier, actor=actor)
    _retitle(dossier, dossier.title + " (signed)", actor=actor)


def test_an_event_written_in_a_named_service_carries_its_name_and_a_plain_change_none(users):
    dossier = Dossier.objects.create(title="Plan", classification=Classification.SECRET)
    assert last_event().operation == ""
    _adopt(dossier, actor=users["chair"])
    event = last_event()
    assert (event.action, event.operation, event.changes) == ("update", "adopt", {"title": ["Plan", "Adopted: Plan"]})
    _retitle(dossier, "Plan", actor=users["chair"])
    assert last_event().operation == ""


def test_the_innermost_named_service_wins_and_an_unnamed_one_keeps_the_outer_name(users):
    dossier = Dossier.objects.create(title="Plan", classification=Classification.SECRET)
    first = last_event().seq
    _sign(dossier, actor=users["chair"])
    operations = list(AuditEvent.objects.filter(seq__gt=first).order_by("seq").values_list("operation", flat=True))
    assert operations == ["adopt", "sign"]


def test_the_business_action_is_hashed_only_when_there_is_one(users):
    dossier = Dossier.objects.create(title="Plan", classification=Classification.SECRET)
    plain = last_event()
    _adopt(dossier, actor=users["chair"])
    named = last_event()
    assert audit.event_hash(plain) == plain.hash and audit.event_hash(named) == named.hash
    named.operation = "sign"
    assert audit.event_hash(named) != named.hash  # a changed action breaks the chain
    named.operation = ""
    assert audit.event_hash(named) != named.hash  # and so does a removed one
    assert audit.verify().ok


def test_business_actions_are_labelled_and_unknown_ones_shown_as_themselves():
    assert audit.operation_label("adopt") == "Adopted"
    assert audit.operation_label("frobnicate") == "frobnicate"
    assert {"adopt", "sign", "withdraw", "accept", "return", "cancel"} <= set(audit.BUSINESS_ACTIONS)


@pytest.mark.django_db(transaction=True)
def test_a_save_of_ignored_fields_alone_needs_no_transaction_and_writes_no_event(users):
    from django.utils import timezone

    before = AuditHead.objects.get(pk=1).seq
    user = User.objects.get(username="chair")
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])  # as Django's login does
    assert AuditHead.objects.get(pk=1).seq == before
    user.position = "Chair"
    with transaction.atomic():
        user.save()
    assert last_event().changes == {"position": ["", "Chair"]}  # last_login was stored already


def test_the_log_shows_and_filters_the_business_action_on_the_page_and_in_the_api(users, client, api):
    from django.urls import reverse
    from django.utils import translation

    dossier = Dossier.objects.create(title="Plan", classification=Classification.SECRET)
    _adopt(dossier, actor=users["chair"])
    adopted = last_event()
    auditor = api(users["auditor"])
    items = auditor.get("/api/v1/audit", {"operation": "adopt"}).json()["items"]
    assert [(item["seq"], item["operation"]) for item in items] == [(adopted.seq, "adopt")]
    plain = auditor.get("/api/v1/audit", {"limit": 500}).json()["items"]
    assert {item["operation"] for item in plain} == {"adopt", ""}
    client.force_login(users["auditor"])
    with translation.override("en"):
        page = client.get(reverse("core:audit"), {"operation": "adopt"}).content.decode()
    assert 'class="audit-operation"' in page and "Adopted" in page
    assert page.count('class="audit-seq"') == 1


def test_a_business_action_without_a_label_is_refused_where_it_is_declared():
    with pytest.raises(ImproperlyConfigured, match="frobnicate"):
        service(named="frobnicate")


@pytest.mark.django_db
def test_an_event_named_by_an_unlabelled_action_is_refused_and_nothing_is_written():
    before = AuditEvent.objects.count()
    with pytest.raises(ImproperlyConfigured, match="frobnicate"), transaction.atomic(), context.naming("frobnicate"):
        audit.record("read", object_type="core.auditevent", classification=0)
    assert AuditEvent.objects.count() == before
