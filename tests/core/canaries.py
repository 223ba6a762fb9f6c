"""The security core's canaries for the leak crawl (tests/leaks): each demo user's notifications at
every level he is cleared for, and his import jobs; both are his alone. Attachments are seeded by the
modules whose records hold them."""

from __future__ import annotations

from kenes.core import notifications
from kenes.core.models import ImportJob
from tests.leaks.registry import READER, Seeder, canary_factory, path_param, string_values

path_param("attachment_id", "core.Attachment")
path_param("job_id", "core.ImportJob")
path_param("token_id", "accounts.ApiToken")
# An audit event's page is addressed by its sequence number (tests/leaks/conftest.py records a sample).
path_param("seq", "core.AuditEvent", scopes=("core",), seq="seq")
string_values("fmt", "csv")  # the audit log's export as CSV (beside XLSX)


@canary_factory("core")
def seed_core(seed: Seeder) -> None:
    for username in seed.recipients:
        user = seed.users[username]
        for level in seed.levels:
            if level > READER[username].clearance:
                continue
            title = seed.mark("notification's title", level, only_for=[username])
            notifications.notify(
                user,
                key=f"canary:{title}",
                kind="canary",
                code="control.instruction_issued",
                params={"number": title},
                body=seed.mark("notification's text", level, only_for=[username]),
                classification=level,
            )
        job = ImportJob.objects.create(
            kind="strategy.measurements",
            owner=user,
            filename=seed.mark("import's file name", 0, only_for=[username]) + ".csv",
            status=ImportJob.Status.FAILED,
            errors=[{"row": 2, "column": "value", "message": seed.mark("import's error", 0, only_for=[username])}],
            error_total=1,
        )
        seed.record(job)
