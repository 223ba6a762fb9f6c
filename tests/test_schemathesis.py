"""schemathesis over the whole OpenAPI document, as the secretary, a liaison officer and the chairman: no
operation answers a server error, answers a status it does not document, or answers outside the schema it
declares for that status.

The run is deterministic: Hypothesis is derandomized and keeps no example database, so the same cases
are sent on every run. As the secretary, every operation gets the document's examples, schemathesis's
boundary cases (its coverage phase: the smallest and largest values, missing and extra fields, values of
the wrong type) and a few generated cases; validation does not depend on who asks, so the liaison gets
the examples and more generated cases instead of the boundary cases again, and the chairman a few, to
reach the answers only he gets (adopting and signing a decision). The demo data is loaded
first, and path parameters are drawn half of the time from ids that exist, so the cases reach past the
404 of an absent record and into what each role may see and do.

Every request runs in a savepoint rolled back afterwards: what one request writes never changes what the
next one sees, so the findings do not depend on the order of the run. Every finding is collected, and
the test fails once, listing each with a curl command that reproduces it.
"""

from __future__ import annotations

import io

import hypothesis
import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test
from schemathesis.generation.value import GeneratedValue
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from kenes.accounts import services as account_services
from kenes.accounts.models import ApiToken, User
from kenes.core import context

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
EXAMPLES, COVERAGE, FUZZING = HypothesisTestMode.EXAMPLES, HypothesisTestMode.COVERAGE, HypothesisTestMode.FUZZING
ROLES = {  # who asks → what is sent: the document's examples, the boundary cases, generated cases (how many)
    "secretary": ([EXAMPLES, COVERAGE, FUZZING], 4),
    "liaison_mvd": ([EXAMPLES, FUZZING], 8),
    "chair": ([EXAMPLES, FUZZING], 2),  # reaches the answers only the chairman gets (adopting, signing)
}


def _existing_ids() -> dict[str, list]:
    """For every path parameter of the document, up to 40 ids (or days) that exist in the loaded data."""
    from kenes.control.models import CalendarOverride, ExecutionReport, ExtensionRequest, Instruction
    from kenes.core.models import Attachment, ImportJob
    from kenes.council.models import AgendaItem, Decision, Meeting, PlannedQuestion
    from kenes.directory.models import Organization
    from kenes.strategy.models import EvaluationReport, Indicator, Measurement, StrategicDocument
    from kenes.threats.models import Alert, Countermeasure, Signal, Threat

    def ids(*models) -> list:
        return sorted({pk for model in models for pk in model._base_manager.values_list("pk", flat=True)})[:40]

    return {
        "token_id": ids(ApiToken),
        "organization_id": ids(Organization),
        "meeting_id": ids(Meeting),
        "item_id": ids(AgendaItem),
        "decision_id": ids(Decision),
        "question_id": ids(PlannedQuestion),
        "instruction_id": ids(Instruction),
        "report_id": ids(ExecutionReport, EvaluationReport),
        "extension_id": ids(ExtensionRequest),
        "day": [d.isoformat() for d in CalendarOverride._base_manager.values_list("date", flat=True)[:20]],
        "document_id": ids(StrategicDocument),
        "indicator_id": ids(Indicator),
        "measurement_id": ids(Measurement),
        "threat_id": ids(Threat),
        "countermeasure_id": ids(Countermeasure),
        "signal_id": ids(Signal),
        "alert_id": ids(Alert),
        "attachment_id": ids(Attachment),
        "job_id": ids(ImportJob),
    }


def _overlay(generated, real: dict):
    """Generated path parameters with those named in ``real`` replaced (a generated value may come wrapped)."""
    if isinstance(generated, GeneratedValue):
        return generated.map_value(lambda value: {**(value or {}), **real})
    return {**(generated or {}), **real}


def _load_schema(existing: dict[str, list]):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    schema.config.phases.coverage.unexpected_methods = set()  # Django answers 405 for them, not our code

    @schema.hook
    def before_generate_path_parameters(context, strategy):
        known = {p.name: st.sampled_from(existing[p.name]) for p in context.operation.path_parameters}
        known = {name: values for name, values in known.items() if existing.get(name)}
        if not known:
            return strategy
        return st.one_of(strategy, st.tuples(strategy, st.fixed_dictionaries(known)).map(lambda p: _overlay(*p)))

    return schema


def _run_operation(schema, operation, headers: dict[str, str], plan: tuple, findings: dict[tuple, str]) -> int:
    """Send the operation's cases; add what the checks find to ``findings``; answer how many were sent."""
    sent = 0

    def check(case):
        nonlocal sent
        sent += 1
        savepoint = transaction.savepoint()
        try:
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                summary = (failure.message.strip().splitlines() or [""])[0]
                findings.setdefault(
                    (operation.label, failure.title, response.status_code, summary),
                    f"{operation.label}: {failure.title} ({response.status_code}) {summary}\n"
                    f"    {case.as_curl_command(headers=headers)}",
                )
        finally:
            transaction.savepoint_rollback(savepoint)

    test = create_test(
        operation=operation,
        test_func=check,
        config=HypothesisTestConfig(
            project=schema.config,
            modes=plan[0],
            settings=hypothesis.settings(
                max_examples=plan[1],
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
                print_blob=False,
            ),
        ),
    )
    test()
    return sent


@pytest.mark.django_db
def test_every_operation_answers_without_server_error_and_within_its_schema():
    call_command("load_demo", stdout=io.StringIO())
    findings: dict[tuple, str] = {}
    sent = operations = 0
    # Django closes the connection after a request; the test's transaction must outlive every request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = _load_schema(_existing_ids())
        for username, plan in ROLES.items():
            issued = account_services.issue_token(User.objects.get(username=username))
            # stamped once here, not by every request (each one's writes are rolled back with its savepoint)
            with context.allowing_bulk(ApiToken):
                ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=timezone.now())
            headers = {"Authorization": f"Bearer {issued.key}"}
            for result in schema.get_all_operations():
                sent += _run_operation(schema, result.ok(), headers, plan, findings)
                operations += 1
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert operations >= 2 * 90, "every operation of the document, for every role"
    assert sent >= 20 * operations, "enough cases for each operation"
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings.values())
