"""Background imports: all or nothing, errors by row and column, progress, and the owner's alone."""

import pytest
from django.core.exceptions import PermissionDenied

from kenes.core import imports
from kenes.core.models import AuditEvent, ImportJob
from tests.testapp.models import Dossier


def start(user, text: str, **params) -> ImportJob:
    job = imports.start("dossiers", text.encode(), filename="dossiers.csv", actor=user, params=params)
    job.refresh_from_db()
    return job


def test_a_good_file_is_imported_and_its_job_shows_the_result(users, client):
    job = start(users["analyst"], "Title,Score\nFirst,1\nSecond,99\n")
    assert job.status == "done" and job.result == {"created": 2}
    assert job.percent == 100 and job.processed == 2 and job.total == 2
    assert set(Dossier.objects.values_list("title", flat=True)) == {"First", "Second"}
    assert not job.file, "the upload is not kept once the job ends"
    assert (
        AuditEvent.objects.filter(object_type="testapp.dossier", action="create", actor=users["analyst"]).count() == 2
    )
    client.force_login(users["analyst"])
    page = client.get(f"/imports/{job.pk}/")
    assert page.status_code == 200
    assert b'value="100"' in page.content
    assert b"<dt>values added</dt><dd>2</dd>" in page.content


def test_one_bad_row_refuses_the_whole_file_with_row_and_column(users, api):
    job = start(users["analyst"], "Title,Score\nFirst,1\n,abc\nThird,101\n")
    assert job.status == "failed"
    assert Dossier.objects.count() == 0
    assert {(e["row"], e["column"]) for e in job.errors} == {(3, "title"), (3, "score"), (4, "score")}
    assert job.error_total == 3
    answer = api(users["analyst"]).get(f"/api/v1/imports/{job.pk}").json()
    assert answer["status"] == "failed" and answer["errors"][0]["row"] == 3


def test_the_errors_page_escapes_what_the_file_said(users, client):
    job = start(users["analyst"], "Title,Score\n<script>alert(1)</script>,<img src=x onerror=alert(1)>\n")
    client.force_login(users["analyst"])
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_file_that_is_not_a_table_fails_cleanly(users):
    job = imports.start("dossiers", b"\x00\x01\x02binary", filename="x.csv", actor=users["analyst"])
    job.refresh_from_db()
    assert job.status == "failed" and "not a spreadsheet" in job.errors[0]["message"]


def test_too_many_rows_writes_nothing(users):
    job = start(users["analyst"], "Title,Score\n" + "T,1\n" * 30, max_rows=20)
    assert job.status == "failed" and job.errors[0]["row"] == 22
    assert Dossier.objects.count() == 0


def test_an_internal_error_is_reported_without_details_and_writes_nothing(users, monkeypatch):
    def broken(job, data, progress):
        from django.db import transaction

        with transaction.atomic():  # the handlers' contract: every write in one transaction
            Dossier.objects.create(title="half", classification=10)
            raise RuntimeError("secret internals")

    monkeypatch.setitem(imports._kinds, "broken", imports.Kind(broken, lambda user: True))
    job = imports.start("broken", b"x", filename="x.csv", actor=users["analyst"])
    job.refresh_from_db()
    assert job.status == "failed"
    assert "internal error" in job.errors[0]["message"] and "secret" not in job.errors[0]["message"]
    assert Dossier.objects.count() == 0


def test_the_module_rule_decides_who_may_import(users):
    with pytest.raises(PermissionDenied):
        imports.start("dossiers", b"Title,Score\nA,1\n", filename="x.csv", actor=users["member"])


def test_a_job_is_its_owners_alone_by_every_path(users, client, api):
    job = start(users["analyst"], "Title,Score\nFirst,1\n")
    for other in ("secretary", "chair", "auditor", "liaison"):
        client.force_login(users[other])
        assert client.get(f"/imports/{job.pk}/").status_code == 404
        assert api(users[other]).get(f"/api/v1/imports/{job.pk}").status_code == 404
    client.logout()
    assert client.get(f"/imports/{job.pk}/").status_code == 302
    assert api().get(f"/api/v1/imports/{job.pk}").status_code == 401


def test_the_back_link_only_goes_back_into_the_site(users, client):
    job = start(users["analyst"], "Title,Score\nFirst,1\n")
    client.force_login(users["analyst"])
    assert b'href="/strategy/"' in client.get(f"/imports/{job.pk}/?back=/strategy/").content
    for hostile in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        page = client.get(f"/imports/{job.pk}/", {"back": hostile}).content.decode()
        assert 'class="button secondary" href' not in page


def test_htmx_polls_a_fragment_until_the_job_ends(users, client):
    job = ImportJob.objects.create(kind="dossiers", owner=users["analyst"], filename="x.csv", total=10, processed=4)
    client.force_login(users["analyst"])
    fragment = client.get(f"/imports/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'hx-trigger="every 1s"' in fragment and 'value="40"' in fragment
    ImportJob.objects.filter(pk=job.pk).update(status="done")
    assert "hx-trigger" not in client.get(f"/imports/{job.pk}/", headers={"HX-Request": "true"}).content.decode()


def test_a_job_is_run_once_even_if_queued_twice(users):
    job = start(users["analyst"], "Title,Score\nFirst,1\n")
    assert imports.run(job.pk) == "missing"
    assert Dossier.objects.count() == 1


def test_a_job_whose_worker_died_ends_failed_when_looked_at(users, client, settings):
    from datetime import timedelta

    from django.utils import timezone

    job = ImportJob.objects.create(kind="dossiers", owner=users["analyst"], filename="x.csv", status="running")
    client.force_login(users["analyst"])
    assert 'hx-trigger="every 1s"' in client.get(f"/imports/{job.pk}/").content.decode()
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=121))
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "hx-trigger" not in page and "interrupted" in page
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
