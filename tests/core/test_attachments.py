"""Attachments: type by content, size limit, clean names, downloads only through the access check."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse

from kenes.core import attachments
from kenes.core.classification import Classification
from kenes.core.models import Attachment, AuditEvent
from tests.testapp.models import Dossier

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def ooxml(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}document.xml", "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def dossier(orgs):
    return Dossier.objects.create(title="d", classification=Classification.OFFICIAL, organization=orgs["mia"])


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("chart.png", PNG, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        ("minutes.docx", ooxml("word/"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("data.xlsx", ooxml("xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("notes.txt", "Қазақстан — текст".encode(), "text/plain"),
        ("table.csv", b"a,b\n1,2\n", "text/csv"),
        ("misnamed.exe", PDF, "application/pdf"),
    ],
)
def test_accepted_types_are_judged_by_content(users, dossier, name, content, mime):
    attachment = attachments.attach_file(upload(name, content), actor=users["analyst"], owner=dossier)
    assert attachment.content_type == mime and attachment.size == len(content)
    assert attachment.file.name.startswith("attachments/") and name not in attachment.file.name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),
        ("page.html", b"\x00<html><script>alert(1)</script>"),
        ("archive.zip", b"PK\x03\x04not really a zip"),
        ("plain.zip", ooxml("other/").replace(b"[Content_Types].xml", b"[Content_Typez].xml")),
        ("latin1.txt", "caf\xe9 na\xefve r\xe9sum\xe9 text here".encode("latin-1")),
        ("image.gif", b"GIF89a" + b"\x00" * 20),
    ],
)
def test_other_types_are_refused(users, dossier, name, content):
    with pytest.raises(ValidationError) as error:
        attachments.attach_file(upload(name, content), actor=users["analyst"], owner=dossier)
    assert "file" in error.value.message_dict
    assert not Attachment.objects.exists()


def test_empty_and_too_large_files_are_refused(users, dossier, settings):
    with pytest.raises(ValidationError, match="empty"):
        attachments.attach_file(upload("a.txt", b""), actor=users["analyst"], owner=dossier)
    settings.KENES_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        attachments.attach_file(upload("a.txt", b"a" * 1025), actor=users["analyst"], owner=dossier)
    assert error.value.error_dict["file"][0].code == "too_large"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\cmd.txt", "cmd.txt"),
        ("/absolute/path/report.pdf", "report.pdf"),
        ("nul\x00byte\x07.txt", "nulbyte.txt"),
        ("...", "file"),
        ("", "file"),
        ("ә" * 300 + ".pdf", "ә" * 196 + ".pdf"),
        ("Шешім №12.docx", "Шешім №12.docx"),
    ],
)
def test_file_names_are_cleaned(given, kept):
    assert attachments.clean_file_name(given) == kept


def test_attachment_is_not_below_its_owner_nor_above_the_uploader(users, orgs):
    secret = Dossier.objects.create(title="s", classification=Classification.SECRET)
    with pytest.raises(ValidationError):
        attachments.attach_file(
            upload("a.pdf", PDF), actor=users["chair"], owner=secret, classification=Classification.OFFICIAL
        )
    with pytest.raises(PermissionDenied):
        attachments.attach_file(
            upload("a.pdf", PDF), actor=users["analyst"], owner=secret, classification=Classification.TOP_SECRET
        )
    inherited = attachments.attach_file(upload("a.pdf", PDF), actor=users["analyst"], owner=secret)
    assert inherited.classification == Classification.SECRET


def test_nobody_attaches_to_what_he_cannot_see(users):
    top = Dossier.objects.create(title="t", classification=Classification.TOP_SECRET)
    with pytest.raises(PermissionDenied):
        attachments.attach_file(upload("a.pdf", PDF), actor=users["analyst"], owner=top)


def test_download_only_for_those_who_may_see_owner_and_file(client, users, orgs):
    own = Dossier.objects.create(title="mia", classification=Classification.OFFICIAL, organization=orgs["mia"])
    other = Dossier.objects.create(title="almaty", classification=Classification.OFFICIAL, organization=orgs["akimat"])
    secret = Dossier.objects.create(title="secret", classification=Classification.SECRET, organization=orgs["mia"])
    files = {
        key: attachments.attach_file(upload(f"{key}.pdf", PDF), actor=users["chair"], owner=owner)
        for key, owner in (("own", own), ("other", other), ("secret", secret))
    }
    expectations = {
        "liaison": {"own": 200, "other": 404, "secret": 404},
        "liaison_almaty": {"own": 404, "other": 200, "secret": 404},
        "analyst": {"own": 200, "other": 200, "secret": 200},
        "admin": {"own": 200, "other": 200, "secret": 404},
    }
    for name, expected in expectations.items():
        client.force_login(users[name])
        for key, status in expected.items():
            url = reverse("core:attachment-download", args=[files[key].pk])
            assert client.get(url).status_code == status, (name, key)
            assert client.get(f"/api/v1/attachments/{files[key].pk}").status_code == status, (name, key)


def test_download_headers_and_audit_of_secret_reads(client, users):
    secret = Dossier.objects.create(title="secret", classification=Classification.SECRET)
    attachment = attachments.attach_file(upload('evil"name<script>.pdf', PDF), actor=users["chair"], owner=secret)
    client.force_login(users["analyst"])
    response = client.get(reverse("core:attachment-download", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and '"name' not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    assert AuditEvent.objects.filter(action="download", object_id=str(attachment.pk), actor=users["analyst"]).exists()


def test_unlinked_uploads_are_seen_only_by_their_uploader(client, users):
    draft = attachments.attach_file(upload("draft.pdf", PDF), actor=users["analyst"])
    client.force_login(users["chair"])
    assert client.get(reverse("core:attachment-download", args=[draft.pk])).status_code == 404
    client.force_login(users["analyst"])
    assert client.get(reverse("core:attachment-download", args=[draft.pk])).status_code == 200


def test_upload_through_the_api(api, users, dossier):
    client = api(users["liaison"])
    response = client.post(
        "/api/v1/attachments",
        {"file": upload("report.pdf", PDF), "owner_type": "testapp.dossier", "owner_id": dossier.pk},
        content_type=MULTIPART_CONTENT,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "report.pdf" and body["classification"] == "official" and body["owner_id"] == dossier.pk
    refused = client.post(
        "/api/v1/attachments", {"file": upload("x.html", b"\x00<html>")}, content_type=MULTIPART_CONTENT
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "file"]
    foreign = client.post(
        "/api/v1/attachments",
        {"file": upload("r.pdf", PDF), "owner_type": "accounts.user", "owner_id": users["liaison"].pk},
        content_type=MULTIPART_CONTENT,
    )
    assert foreign.status_code == 404


def test_too_large_upload_through_the_api_is_413(api, users, settings):
    settings.KENES_MAX_UPLOAD_BYTES = 100
    response = api(users["analyst"]).post(
        "/api/v1/attachments", {"file": upload("a.txt", b"a" * 101)}, content_type=MULTIPART_CONTENT
    )
    assert response.status_code == 413


def test_the_owning_modules_rule_decides_who_attaches_by_every_path(api, users, dossier):
    """A member may read the dossier but the module says he adds no files: refused on the API too."""
    assert attachments.policy.can_read(users["member"], dossier)
    with pytest.raises(PermissionDenied):
        attachments.attach_file(upload("a.pdf", PDF), actor=users["member"], owner=dossier)
    response = api(users["member"]).post(
        "/api/v1/attachments",
        {"file": upload("a.pdf", PDF), "owner_type": "testapp.dossier", "owner_id": dossier.pk},
        content_type=MULTIPART_CONTENT,
    )
    assert response.status_code == 403 and not Attachment.objects.exists()
