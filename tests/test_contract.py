"""The API as its guide (docs/api.md, "Resources") promises it: a client that posts exactly the listed
fields of a resource, and nothing more, is answered 201 (200 for a review, which creates nothing), and
every answer holds every listed field with its type; every listed GET path answers its fields too.

The posts run in one flow, as the demo roles that do such work, because each resource hangs on the one
before (an agenda item on a session, a report on an instruction, a measurement on an indicator).
"""

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from kenes.accounts.models import Role
from kenes.core.classification import CLASSIFICATION_SLUGS
from kenes.threats import services as threats
from tests.conftest import PASSWORD, make_user

Check = Callable[[Any], bool]


def STR(v: Any) -> bool:
    return isinstance(v, str)


def INT(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def NUM(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def BOOL(v: Any) -> bool:
    return isinstance(v, bool)


def DATE(v: Any) -> bool:
    return isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) is not None and bool(dt.date.fromisoformat(v))


def TIMESTAMP(v: Any) -> bool:
    """ISO 8601 with an offset."""
    if not isinstance(v, str):
        return False
    try:
        return dt.datetime.fromisoformat(v.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


def one_of(*values: str) -> Check:
    return lambda v: v in values


def nullable(check: Check) -> Check:
    return lambda v: v is None or check(v)


def list_of(check: Check) -> Check:
    return lambda v: isinstance(v, list) and all(check(x) for x in v)


def shaped(spec: dict[str, Check]) -> Check:
    return lambda v: isinstance(v, dict) and not problems(v, spec)


def problems(answer: Any, spec: dict[str, Check]) -> list[str]:
    """The listed fields that are missing from ``answer`` or are not of their type."""
    if not isinstance(answer, dict):
        return [f"not an object: {answer!r}"]
    missing = [f"{name} missing" for name in spec if name not in answer]
    wrong = [f"{name}={answer[name]!r}" for name, check in spec.items() if name in answer and not check(answer[name])]
    return missing + wrong


def SCALE(v: Any) -> bool:
    return INT(v) and 1 <= v <= 5


CLASSIFIED = {
    "id": INT,
    "classification": one_of(*CLASSIFICATION_SLUGS),
    "created_at": TIMESTAMP,
    "updated_at": TIMESTAMP,
}
ITEM_KINDS = (
    "annual_report_hearing",
    "head_hearing",
    "strategy_review",
    "analysis",
    "funds_control",
    "personnel",
    "other",
)
DOCUMENT_KINDS = (
    "strategy",
    "national_plan",
    "security_strategy",
    "concept",
    "state_program",
    "national_project",
    "action_plan",
)
DOMAINS = (
    "military",
    "terrorism_extremism",
    "cyber",
    "economic",
    "energy",
    "food",
    "ecological",
    "epidemiological",
    "information",
    "border",
    "public_order",
    "transnational_crime",
    "other",
)
ORG_KINDS = (
    "council",
    "apparatus",
    "ministry",
    "agency",
    "law_enforcement",
    "special",
    "regional_akimat",
    "city_akimat",
    "other",
)
SPECS: dict[str, dict[str, Check]] = {
    "token": {"token": STR, "expires_at": TIMESTAMP},
    "me": {
        "username": STR,
        "role": STR,
        "clearance": one_of(*CLASSIFICATION_SLUGS),
        "organization": shaped({"id": INT, "name": STR}),
    },
    "organization": {"id": INT, "name": STR, "kind": one_of(*ORG_KINDS), "parent": nullable(INT)},
    "meeting": {
        **CLASSIFIED,
        "title": STR,
        "date": DATE,
        "kind": one_of("regular", "extraordinary"),
        "status": one_of("planned", "agenda_approved", "held", "minutes_signed"),
    },
    "agenda_item": {**CLASSIFIED, "title": STR, "kind": one_of(*ITEM_KINDS), "body": nullable(INT)},
    "decision": {
        **CLASSIFIED,
        "meeting": nullable(INT),
        "agenda_item": nullable(INT),
        "kind": one_of("decision", "recommendation"),
        "title": STR,
        "text": STR,
        "number": nullable(STR),
        "status": STR,
    },
    "instruction": {
        **CLASSIFIED,
        "decision": nullable(INT),
        "text": STR,
        "lead_executor": INT,
        "co_executors": list_of(INT),
        "due_date": DATE,
        "status": one_of("assigned", "reported", "executed", "overdue", "returned", "withdrawn"),
    },
    "report": {"text": STR, "submitted_at": TIMESTAMP, "outcome": one_of("pending", "accepted", "returned")},
    "document": {
        **CLASSIFIED,
        "title": STR,
        "kind": one_of(*DOCUMENT_KINDS),
        "period_start": DATE,
        "period_end": DATE,
        "owner": INT,
        "parent": nullable(INT),
    },
    "indicator": {
        **CLASSIFIED,
        "document": INT,
        "name": STR,
        "unit": STR,
        "direction": one_of("increase", "decrease"),
        "frequency": one_of("monthly", "quarterly", "annual"),
        "baseline": NUM,
        "targets": list_of(shaped({"period": DATE, "value": NUM})),
        "responsible": INT,
    },
    "measurement": {"period": DATE, "value": NUM},
    "evaluation": {
        "period": nullable(DATE),
        "achievement": nullable(NUM),
        "status": one_of("achieved", "on_track", "at_risk", "off_track", "no_data"),
        "forecast_end_value": nullable(NUM),
    },
    "threat": {
        **CLASSIFIED,
        "title": STR,
        "domain": one_of(*DOMAINS),
        "scope": one_of("internal", "external"),
        "likelihood": SCALE,
        "impact": SCALE,
    },
    "signal": {
        **CLASSIFIED,
        "name": STR,
        "unit": STR,
        "frequency": one_of("daily", "weekly", "monthly", "quarterly", "annual"),
        "threat": nullable(INT),
    },
    "observation": {"period": DATE, "value": NUM},
    "forecast": {
        "model": STR,
        "horizon": INT,
        "points": list_of(shaped({"period": DATE, "mean": NUM, "lo80": NUM, "hi80": NUM, "lo95": NUM, "hi95": NUM})),
        "backtest": shaped({"mase": NUM, "coverage95": NUM}),
    },
    "alert": {
        **CLASSIFIED,
        "signal": INT,
        "kind": one_of("threshold", "outside_interval", "forecast_crossing"),
        "message": STR,
        "raised_at": TIMESTAMP,
        "acknowledged": BOOL,
    },
    "search_hit": {"type": STR, "id": INT, "title": STR, "classification": one_of(*CLASSIFICATION_SLUGS), "url": STR},
    "audit_event": {
        "seq": INT,
        "at": TIMESTAMP,
        "actor": nullable(STR),
        "action": STR,
        "object_type": STR,
        "object_id": lambda v: STR(v) or INT(v),
    },
    "verification": {"ok": BOOL, "events": INT, "first_bad_seq": nullable(INT)},
}


def expect(response, status: int, spec: str, path: str) -> dict:
    assert response.status_code == status, f"{path}: {response.status_code} {response.content[:600]!r}"
    body = response.json()
    assert not problems(body, SPECS[spec]), f"{path}: {problems(body, SPECS[spec])}"
    return body


def expect_list(response, spec: str, path: str) -> list[dict]:
    assert response.status_code == 200, f"{path}: {response.status_code} {response.content[:600]!r}"
    body = response.json()
    assert INT(body.get("count")) and isinstance(body.get("items"), list), f"{path}: {body!r:.300}"
    assert body["items"], f"{path}: the list is empty, nothing to check"
    for item in body["items"]:
        assert not problems(item, SPECS[spec]), f"{path}: {problems(item, SPECS[spec])}"
    return body["items"]


def monthly(n: int, start: dt.date) -> list[dict]:
    """``n`` months of a seasonal series from ``start``, as the contract writes observations."""
    points = []
    for t in range(n):
        month = (start.year * 12 + start.month - 1) + t
        period = dt.date(month // 12, month % 12 + 1, 1)
        points.append({"period": period.isoformat(), "value": round(100 + 0.5 * t + 20 * ((t % 12) - 6) / 6, 3)})
    return points


@pytest.fixture
def posted(api, users, orgs, client):
    """Every resource of the table with POST, posted with exactly its listed fields; the answers by name."""
    out: dict[str, Any] = {}
    today = dt.date.today()
    token = client.post(
        "/api/v1/auth/token", {"username": "analyst", "password": PASSWORD}, content_type="application/json"
    )
    out["token"] = expect(token, 201, "token", "POST /auth/token")
    secretary, analyst = api(users["secretary"]), api(users["analyst"])

    out["meeting"] = expect(
        secretary.post(
            "/api/v1/meetings",
            {"title": "Regular session", "date": (today + dt.timedelta(days=14)).isoformat(), "kind": "regular"}
            | {"classification": "official"},
        ),
        201,
        "meeting",
        "POST /meetings",
    )
    meeting = out["meeting"]["id"]
    out["agenda_item"] = expect(
        secretary.post(
            f"/api/v1/meetings/{meeting}/agenda-items",
            {"title": "Hearing of the minister", "kind": "head_hearing", "body": orgs["mia"].pk}
            | {"classification": "official"},
        ),
        201,
        "agenda_item",
        "POST /meetings/{id}/agenda-items",
    )
    out["decision"] = expect(
        secretary.post(
            "/api/v1/decisions",
            {
                "meeting": meeting,
                "agenda_item": out["agenda_item"]["id"],
                "kind": "decision",
                "title": "On public order",
                "text": "1. Strengthen patrols.",
                "classification": "official",
            },
        ),
        201,
        "decision",
        "POST /decisions",
    )
    out["instruction"] = expect(
        secretary.post(
            "/api/v1/instructions",
            {
                "decision": None,
                "text": "Report on the heating season.",
                "lead_executor": orgs["mia"].pk,
                "co_executors": [orgs["akimat"].pk],
                "due_date": (today + dt.timedelta(days=30)).isoformat(),
                "classification": "official",
            },
        ),
        201,
        "instruction",
        "POST /instructions",
    )
    instruction = out["instruction"]["id"]
    out["report"] = expect(
        api(users["liaison"]).post(f"/api/v1/instructions/{instruction}/reports", {"text": "Done."}),
        201,
        "report",
        "POST /instructions/{id}/reports",
    )
    out["review"] = expect(
        secretary.post(f"/api/v1/reports/{out['report']['id']}/review", {"outcome": "accept", "comment": "Good."}),
        200,
        "report",
        "POST /reports/{id}/review",
    )
    assert out["review"]["outcome"] == "accepted"

    out["document"] = expect(
        analyst.post(
            "/api/v1/strategic-documents",
            {
                "title": "Concept of public safety 2021-2030",
                "kind": "concept",
                "period_start": "2021-01-01",
                "period_end": "2030-12-31",
                "owner": orgs["mia"].pk,
                "parent": None,
                "classification": "official",
            },
        ),
        201,
        "document",
        "POST /strategic-documents",
    )
    out["indicator"] = expect(
        analyst.post(
            "/api/v1/indicators",
            {
                "document": out["document"]["id"],
                "name": "Share of solved crimes",
                "unit": "%",
                "direction": "increase",
                "frequency": "annual",
                "baseline": 40.0,
                "targets": [{"period": f"{y}-01-01", "value": 40.0 + 2 * (y - 2020)} for y in range(2021, 2031)],
                "responsible": orgs["mia"].pk,
                "classification": "official",
            },
        ),
        201,
        "indicator",
        "POST /indicators",
    )
    indicator = out["indicator"]["id"]
    measurements = api(users["liaison"]).post(
        f"/api/v1/indicators/{indicator}/measurements",
        {"measurements": [{"period": "2022-01-01", "value": 43.0}, {"period": "2023-01-01", "value": 47.5}]},
    )
    assert measurements.status_code == 201, measurements.content
    assert len(measurements.json()) == 2 and all(not problems(m, SPECS["measurement"]) for m in measurements.json())

    out["threat"] = expect(
        analyst.post(
            "/api/v1/threats",
            {
                "title": "Attacks on utilities",
                "domain": "cyber",
                "scope": "external",
                "likelihood": 3,
                "impact": 4,
                "classification": "official",
            },
        ),
        201,
        "threat",
        "POST /threats",
    )
    out["signal"] = expect(
        analyst.post(
            "/api/v1/signals",
            {
                "name": "Incidents a month",
                "unit": "cases",
                "frequency": "monthly",
                "threat": out["threat"]["id"],
                "classification": "official",
            },
        ),
        201,
        "signal",
        "POST /signals",
    )
    signal = out["signal"]["id"]
    observations = analyst.post(
        f"/api/v1/signals/{signal}/observations", {"observations": monthly(60, dt.date(2020, 1, 1))}
    )
    assert observations.status_code == 201, observations.content
    out["forecast"] = expect(
        analyst.post(f"/api/v1/signals/{signal}/forecast", {"horizon": 12}),
        201,
        "forecast",
        "POST /signals/{id}/forecast",
    )
    assert out["forecast"]["horizon"] == 12 and len(out["forecast"]["points"]) == 12
    return out


def test_every_post_of_the_contract_takes_exactly_its_fields(posted, orgs, users):
    """The fixture did the posting; here the answers echo what was posted and the documented defaults."""
    assert posted["agenda_item"]["body"] == orgs["mia"].pk
    assert posted["decision"]["agenda_item"] == posted["agenda_item"]["id"]
    assert posted["decision"]["meeting"] == posted["meeting"]["id"]
    assert posted["instruction"]["co_executors"] == [orgs["akimat"].pk]
    assert posted["indicator"]["code"] and posted["indicator"]["baseline_period"] == "2020-01-01"
    assert posted["threat"]["owner"] == users["analyst"].organization_id
    assert posted["signal"]["code"].startswith("incidents-a-month-")


def test_every_get_of_the_contract_answers_its_fields(posted, api, users, orgs):
    analyst, secretary = api(users["analyst"]), api(users["secretary"])
    p = posted
    threats.create_signal(actor=users["analyst"], name="Seizures", unit="cases", upper_threshold=10.0)
    alerting = threats.signals_for(users["analyst"], q="Seizures").get()
    threats.record_observations(
        alerting, actor=users["analyst"], observations=[(dt.date(2026, 1, 1), 50.0)], forecast=False
    )
    expect(analyst.get("/api/v1/me"), 200, "me", "GET /me")
    expect_list(analyst.get("/api/v1/organizations"), "organization", "GET /organizations")
    expect(analyst.get(f"/api/v1/organizations/{orgs['mia'].pk}"), 200, "organization", "GET /organizations/{id}")
    cases = [
        ("/meetings", "meeting", p["meeting"]),
        ("/decisions", "decision", p["decision"]),
        ("/instructions", "instruction", p["instruction"]),
        ("/strategic-documents", "document", p["document"]),
        ("/indicators", "indicator", p["indicator"]),
        ("/threats", "threat", p["threat"]),
        ("/signals", "signal", p["signal"]),
    ]
    for path, spec, created in cases:
        expect_list(secretary.get(f"/api/v1{path}"), spec, f"GET {path}")
        expect(secretary.get(f"/api/v1{path}/{created['id']}"), 200, spec, f"GET {path}/{{id}}")
    meeting, instruction = p["meeting"]["id"], p["instruction"]["id"]
    indicator, signal = p["indicator"]["id"], p["signal"]["id"]
    lists = [
        (f"/meetings/{meeting}/agenda-items", "agenda_item"),
        (f"/instructions/{instruction}/reports", "report"),
        (f"/indicators/{indicator}/measurements", "measurement"),
        (f"/signals/{signal}/observations", "observation"),
        ("/alerts", "alert"),
    ]
    for path, spec in lists:
        expect_list(secretary.get(f"/api/v1{path}"), spec, f"GET {path}")
    for params in ("status=assigned", f"executor={orgs['mia'].pk}", "overdue=true"):
        assert secretary.get(f"/api/v1/instructions?{params}").status_code == 200, params
    evaluation = expect(
        secretary.get(f"/api/v1/indicators/{indicator}/evaluation"), 200, "evaluation", "GET evaluation"
    )
    assert evaluation["period"] == "2023-01-01" and evaluation["achievement"] == pytest.approx((47.5 - 40) / 6)
    expect(secretary.get(f"/api/v1/signals/{signal}/forecast"), 200, "forecast", "GET /signals/{id}/forecast")
    search = secretary.get("/api/v1/search?q=utilities")
    assert search.status_code == 200 and search.json()["items"]
    assert all(not problems(hit, SPECS["search_hit"]) for hit in search.json()["items"])
    auditor = api(users["auditor"])
    expect_list(auditor.get("/api/v1/audit"), "audit_event", "GET /audit")
    verification = expect(auditor.get("/api/v1/audit/verify"), 200, "verification", "GET /audit/verify")
    assert verification["ok"] is True


def test_the_checks_fail_on_a_missing_or_mistyped_field():
    """The type checks of this module are not vacuous."""
    good = {"id": 1, "classification": "secret", "created_at": "2026-01-01T10:00:00+05:00", "updated_at": ""}
    assert problems(good, CLASSIFIED) == ["updated_at=''"]
    assert problems({"id": True}, {"id": INT, "x": STR}) == ["x missing", "id=True"]
    assert not DATE("2026-1-01") and not TIMESTAMP("2026-01-01T10:00:00") and DATE("2026-01-01")


def test_a_liaison_may_not_post_what_the_contract_leaves_to_the_apparatus(api, users, orgs):
    """Taking the contract's fields is not taking them from anyone: the roles still hold."""
    liaison = api(make_user("liaison_x", Role.LIAISON, org=orgs["mia"]))
    refused = liaison.post(
        "/api/v1/threats",
        {
            "title": "x",
            "domain": "cyber",
            "scope": "internal",
            "likelihood": 1,
            "impact": 1,
            "classification": "public",
        },
    )
    assert refused.status_code == 403


def test_the_documentation_sends_no_reader_outside_the_repository(api, users):
    """The guide, the code and the OpenAPI description cite no file the repository does not hold, and the
    OpenAPI document states the defaults of the fields a client may leave out."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    texts = [root / "README.md", *sorted((root / "docs").glob("*.md")), *sorted((root / "kenes").rglob("*.py"))]
    citing = [str(path.relative_to(root)) for path in texts if "CONTRACT" in path.read_text(encoding="utf-8")]
    assert citing == []
    document = api(users["analyst"]).get("/api/v1/openapi.json").json()
    assert "CONTRACT" not in json.dumps(document) and "docs/api.md" in document["info"]["description"]
    schemas = document["components"]["schemas"]
    described = {
        ("IndicatorIn", "code"): "By default",
        ("IndicatorIn", "baseline_period"): "by default the period before the first target",
        ("ThreatIn", "owner"): "by default the author's body",
        ("SignalIn", "code"): "By default",
        ("InstructionIn", "controller"): "by default the author",
        ("AgendaItemIn", "body"): "required for `head_hearing`",
        ("DecisionIn", "agenda_item"): "required with `meeting`",
    }
    for (schema, field), phrase in described.items():
        assert phrase in schemas[schema]["properties"][field].get("description", ""), (schema, field)
        assert field not in schemas[schema].get("required", []), (schema, field)
    guide = (root / "docs" / "api.md").read_text(encoding="utf-8")
    for phrase in ("## Resources", "### Defaults", "`limit` (default 50", "special_importance", "its first day"):
        assert phrase in guide, phrase
