"""A year of instructions for the demo, across many bodies: executed on time and late, returned,
overdue, waiting for review, still running, so that the discipline dashboard tells a story.

Built through the services (issue, report, review, extension, overdue marking) with the days of
the past given explicitly; safe to run again (it does nothing once the demo instructions exist)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from kenes.accounts.models import Role, User
from kenes.control import services
from kenes.control.choices import Periodicity, Urgency
from kenes.control.models import Instruction
from kenes.core.classification import Classification
from kenes.council import services as council_services
from kenes.directory.models import Organization

# Bodies that report in the demo, each with a liaison officer (two of them are the contract's users).
REPORTING_BODIES = {
    "mia": "liaison_mvd",
    "akimat-almaty-city": "liaison_almaty",
    "ministry-defence": "liaison_mod",
    "ministry-emergency-situations": "liaison_mchs",
    "ministry-ai-digital-development": "liaison_digital",
    "ministry-health": "liaison_health",
    "ministry-energy": "liaison_energy",
    "ministry-finance": "liaison_finance",
    "ministry-agriculture": "liaison_agriculture",
    "akimat-astana-city": "liaison_astana",
    "akimat-shymkent-city": "liaison_shymkent",
    "akimat-east-kazakhstan": "liaison_vko",
}
# How well each body executes: the chance that a report comes on time, late, or not at all.
DISCIPLINE = {
    "mia": 0.8,
    "akimat-almaty-city": 0.55,
    "ministry-defence": 0.9,
    "ministry-health": 0.45,
    "ministry-energy": 0.6,
    "akimat-east-kazakhstan": 0.4,
}
TASKS = [
    "Submit proposals on strengthening the protection of critical infrastructure.",
    "Report on the measures taken against internet fraud.",
    "Ensure the readiness of forces and means for the flood season.",
    "Complete the audit of information security of state information systems.",
    "Prepare a plan of measures to reduce road traffic deaths.",
    "Analyse the causes of the growth of cyber incidents and propose measures.",
    "Ensure the reserve of fuel and lubricants for the heating season.",
    "Provide information on the execution of the decision of the Security Council.",
    "Strengthen video surveillance of crowded places.",
    "Draft amendments to the law on civil protection.",
]
DEMO_LIAISON_POSITION = "demo liaison officer"


def _liaisons(password: str) -> dict[str, User]:
    people = {}
    for code, username in REPORTING_BODIES.items():
        body = Organization.objects.get(code=code)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=Role.LIAISON,
                clearance=Classification.OFFICIAL,
                organization=body,
                position=DEMO_LIAISON_POSITION,
            )
            user.set_password(password)
            user.save()
        people[code] = user
    return people


def _decisions_in_force(secretary: User) -> list[Any]:
    """The adopted decisions (up to secret) the demo gives instructions by, through council's services."""
    in_force = council_services.decisions_for(secretary).filter(status__in=("adopted", "in_execution"))
    return list(in_force.filter(classification__lte=Classification.SECRET))


def load_demo(stdout: Any = None) -> None:
    from django.conf import settings

    if Instruction.objects.exists():
        return
    rng = random.Random(2026)
    today = services.today()
    secretary = User.objects.get(username="secretary")
    controller = User.objects.get(username="controller")
    liaisons = _liaisons(settings.KENES_DEMO_PASSWORD)
    bodies = {code: Organization.objects.get(code=code) for code in REPORTING_BODIES}
    decisions = _decisions_in_force(secretary)
    count = 0
    start = dt.date(today.year, 1, 10)
    for _ in range(140):
        code = rng.choice(list(bodies))
        issued_on = start + dt.timedelta(days=rng.randint(0, max((today - start).days - 1, 1)))
        urgency = rng.choices([Urgency.ORDINARY, Urgency.OPERATIONAL, Urgency.URGENT], [6, 3, 1])[0]
        co = [bodies[c] for c in rng.sample(list(bodies), 2) if c != code][: rng.randint(0, 2)]
        decision = rng.choice(decisions) if decisions and rng.random() < 0.4 else None
        instruction = services.issue_instruction(
            actor=secretary,
            text=rng.choice(TASKS),
            lead_executor=bodies[code],
            co_executors=co,
            controller=controller,
            decision=decision,
            urgency=urgency,
            issued_on=issued_on,
            due_date=issued_on + dt.timedelta(days=rng.randint(10, 60)),
            classification=max(
                Classification.OFFICIAL if rng.random() < 0.8 else Classification.SECRET,
                decision.classification if decision else Classification.PUBLIC,
            ),
        )
        _play(instruction, liaisons[code], controller, secretary, today, rng, DISCIPLINE.get(code, 0.7))
        count += 1
    periodic = services.issue_instruction(
        actor=secretary,
        text="Report monthly on the state of public order in the capital.",
        lead_executor=bodies["akimat-astana-city"],
        controller=controller,
        periodicity=Periodicity.MONTHLY,
        report_day=5,
        period_end=dt.date(today.year, 12, 31),
        issued_on=dt.date(today.year, 9, 1),
        classification=Classification.OFFICIAL,
    )
    for _month in range(2):
        report = services.submit_report(
            periodic,
            actor=liaisons["akimat-astana-city"],
            text="Public order in the capital is stable; details attached.",
        )
        services.review_report(report, actor=controller, outcome="accept", on=periodic.due_date)
        periodic.refresh_from_db()
    services.mark_overdue(today)
    if stdout is not None:
        stdout.write(f"control: {count + 1} instructions")


def _play(
    instruction: Instruction,
    liaison: User,
    controller: User,
    secretary: User,
    today: dt.date,
    rng: random.Random,
    discipline: float,
) -> None:
    """Carry an instruction forward as a plausible body would, up to today."""
    due = instruction.due_date
    roll = rng.random()
    if due >= today:
        if roll < 0.3:
            services.submit_report(instruction, actor=liaison, text="The measures are being taken; report attached.")
        elif roll < 0.4:
            services.request_extension(
                instruction,
                actor=liaison,
                due_date=due + dt.timedelta(days=14),
                reason="Waiting for the conclusions of the expert commission.",
            )
        return
    if roll < discipline:
        on = due - dt.timedelta(days=rng.randint(0, 5))
    elif roll < discipline + (1 - discipline) * 0.6:
        on = min(due + dt.timedelta(days=rng.randint(1, 25)), today)
    else:
        return  # no report: it will be marked overdue
    if rng.random() < 0.2:
        first = services.submit_report(instruction, actor=liaison, text="Preliminary information is attached.")
        services.review_report(
            first, actor=controller, outcome="return", comment="The report does not say what was done; give figures."
        )
    report = services.submit_report(instruction, actor=liaison, text="The instruction is executed; see the figures.")
    if rng.random() < 0.1 and on < today:
        return  # still waiting for the controller
    services.review_report(report, actor=controller, outcome="accept", on=max(on, instruction.issued_on))
