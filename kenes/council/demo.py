"""A year of the Council's work for the demo: the plan, sessions with agendas and hearings, votes,
decisions and minutes. Built through the services, as a secretary and a chairman would; safe to run
again (it does nothing once the year's first session exists)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from kenes.accounts.models import User
from kenes.core.classification import Classification
from kenes.council import services
from kenes.council.choices import Attendance, ItemKind, MeetingStatus, QuestionStatus, VoteChoice
from kenes.council.models import AgendaItem, Meeting
from kenes.directory.models import Organization

C = Classification

# (month, day, kind, title, classification, [(item title, kind, speaker, body code, [decisions])])
# where each decision is (kind, title, text); the sessions of the months past are held and minuted.
SESSIONS: list[tuple[int, int, str, str, int, list[tuple[str, str, str, str | None, list[tuple[str, str, str]]]]]] = [
    (
        2,
        12,
        "regular",
        "Session on the results of 2025 in national security",
        C.SECRET,
        [
            (
                "Annual report of the Government on national security, defence capability, law and order for 2025",
                ItemKind.ANNUAL_REPORT_HEARING,
                "Prime Minister",
                "government",
                [
                    (
                        "decision",
                        "On the Government's annual report for 2025",
                        "1. Take note of the Government's report.\n2. The Government shall submit measures to reduce "
                        "the backlog in cyber incident response by 1 June 2026.\n"
                        "3. Control is entrusted to the Apparatus.",
                    ),
                ],
            ),
            (
                "On the plan of the Council's work for 2026",
                ItemKind.OTHER,
                "",
                None,
                [
                    (
                        "decision",
                        "On approving the work plan for 2026",
                        "Approve the work plan of the Council for 2026.",
                    ),
                ],
            ),
        ],
    ),
    (
        3,
        19,
        "regular",
        "Session on public order and the fight against crime",
        C.OFFICIAL,
        [
            (
                "Report of the Minister of Internal Affairs on the state of public order",
                ItemKind.HEAD_HEARING,
                "Minister of Internal Affairs",
                "mia",
                [
                    (
                        "decision",
                        "On strengthening public order in the cities of republican significance",
                        "1. The Ministry of Internal Affairs and the akimats of Astana, Almaty and Shymkent "
                        "shall expand video surveillance of public places.\n2. Report on execution quarterly.",
                    ),
                ],
            ),
            (
                "On the prevention of fraud committed with information technologies",
                ItemKind.ANALYSIS,
                "",
                None,
                [
                    (
                        "recommendation",
                        "On measures against internet fraud",
                        "Recommend the Agency for Regulation and Development of the Financial Market to tighten the "
                        "verification of remote account opening.",
                    ),
                ],
            ),
        ],
    ),
    (
        4,
        28,
        "extraordinary",
        "Extraordinary session on the flood situation",
        C.SECRET,
        [
            (
                "On the flood situation in the northern regions",
                ItemKind.HEAD_HEARING,
                "Minister for Emergency Situations",
                "ministry-emergency-situations",
                [
                    (
                        "decision",
                        "On urgent measures against spring floods",
                        "The Ministry for Emergency Situations and the regional akimats shall complete "
                        "the reinforcement of dams by 15 May 2026.",
                    ),
                ],
            ),
        ],
    ),
    (
        6,
        18,
        "regular",
        "Session on the implementation of the National Security Strategy",
        C.TOP_SECRET,
        [
            (
                "Mid-term review of the National Security Strategy",
                ItemKind.STRATEGY_REVIEW,
                "",
                None,
                [
                    (
                        "decision",
                        "On the mid-term results of the National Security Strategy",
                        "1. Take note of the evaluation.\n2. Indicators that are off track shall be reviewed by the "
                        "responsible bodies within two months.",
                    ),
                ],
            ),
            (
                "Report of the Chairman of the National Security Committee",
                ItemKind.HEAD_HEARING,
                "Chairman of the National Security Committee",
                "knb",
                [],
            ),
        ],
    ),
    (
        9,
        24,
        "regular",
        "Session on cyber security of critical infrastructure",
        C.SECRET,
        [
            (
                "On protecting critical information infrastructure",
                ItemKind.ANALYSIS,
                "",
                None,
                [
                    (
                        "decision",
                        "On the protection of critical information infrastructure",
                        "The Ministry of Artificial Intelligence and Digital Development shall audit the security of "
                        "critical information infrastructure by the end of the year.",
                    ),
                ],
            ),
            ("On the use of funds allocated to border infrastructure", ItemKind.FUNDS_CONTROL, "", None, []),
        ],
    ),
    (
        10,
        29,
        "regular",
        "Session on candidates and personnel",
        C.TOP_SECRET,
        [
            (
                "Discussion of candidates for the post of akim of a region",
                ItemKind.PERSONNEL,
                "",
                None,
                [
                    (
                        "recommendation",
                        "On recommending a candidate for the post of regional akim",
                        "Recommend the candidate discussed for appointment.",
                    ),
                ],
            ),
        ],
    ),
    (
        12,
        17,
        "regular",
        "Session on the results of the year",
        C.OFFICIAL,
        [
            (
                "Report of the akim of Almaty city on public safety",
                ItemKind.HEAD_HEARING,
                "Akim of Almaty city",
                "akimat-almaty-city",
                [],
            ),
            ("On the draft plan of the Council's work for 2027", ItemKind.OTHER, "", None, []),
        ],
    ),
]

# (quarter, title, kind, responsible body code, what became of it, index of the session it went to)
PLAN = [
    (1, "Hearing of the Government's annual report", ItemKind.ANNUAL_REPORT_HEARING, "government", "held", 0),
    (1, "Public order and the fight against crime", ItemKind.HEAD_HEARING, "mia", "held", 1),
    (
        2,
        "Mid-term review of the National Security Strategy",
        ItemKind.STRATEGY_REVIEW,
        "security-council-apparatus",
        "held",
        3,
    ),
    (2, "Energy security of the regions", ItemKind.OTHER, "ministry-energy", "moved", None),
    (3, "Cyber security of critical infrastructure", ItemKind.ANALYSIS, "ministry-ai-digital-development", "held", 4),
    (3, "Food security and reserves", ItemKind.OTHER, "ministry-agriculture", "dropped", None),
    (
        4,
        "Drafting the plan of the Council's work for 2027",
        ItemKind.OTHER,
        "security-council-apparatus",
        "scheduled",
        6,
    ),
    (4, "Water security of the southern regions", ItemKind.OTHER, "ministry-water-resources", "planned", None),
]


def _body(code: str | None) -> Organization | None:
    return Organization.objects.filter(code=code).first() if code else None


def load_demo(stdout: Any = None) -> None:
    year = timezone.localdate().year
    first_title = SESSIONS[0][3]
    if Meeting.objects.filter(title=first_title, date__year=year).exists():
        return
    secretary = User.objects.get(username="secretary")
    chair = User.objects.get(username="chair")
    members = list(services.council_members())
    meetings = [_load_session(year, session, secretary, chair, members) for session in SESSIONS]
    _load_plan(year, secretary, meetings)
    if stdout is not None:
        stdout.write(f"council: {len(meetings)} sessions of {year}")


def _load_session(year: int, session: Any, secretary: User, chair: User, members: list[User]) -> Meeting:
    """One session of ``SESSIONS`` with its agenda: a coming one is prepared (its agenda approved when it
    is within a month), a past one is held, with its votes, decisions and minutes."""
    month, day, kind, title, level, items = session
    date = dt.date(year, month, day)
    meeting = services.create_meeting(
        actor=secretary,
        title=title,
        date=date,
        kind=kind,
        classification=level,
        place="Akorda, Astana",
        start_time=dt.time(10, 0),
        chair=chair,
    )
    decisions = _load_agenda(meeting, items, secretary)
    today = timezone.localdate()
    if date >= today:
        if (date - today).days < 30:
            meeting = services.advance_meeting(meeting, MeetingStatus.AGENDA_APPROVED, actor=secretary)
        return meeting
    return _hold_session(meeting, decisions, secretary, chair, members, sign=month < 10)


def _load_agenda(meeting: Meeting, items: Any, secretary: User) -> list[tuple[AgendaItem, str, str, str]]:
    """The agenda items of a session; returns the decisions to take on them, each with its item."""
    decisions = []
    for item_title, item_kind, speaker, body_code, item_decisions in items:
        body = _body(body_code)
        if item_kind in (ItemKind.HEAD_HEARING, ItemKind.ANNUAL_REPORT_HEARING) and body is None:
            body = _body("government")
        item = services.add_agenda_item(
            meeting,
            actor=secretary,
            title=item_title,
            kind=item_kind,
            speaker=speaker or ("Speaker" if body else ""),
            body=body,
        )
        for decision_kind, decision_title, text in item_decisions:
            decisions.append((item, decision_kind, decision_title, text))
    return decisions


def _hold_session(
    meeting: Meeting,
    decisions: list[tuple[AgendaItem, str, str, str]],
    secretary: User,
    chair: User,
    members: list[User],
    *,
    sign: bool,
) -> Meeting:
    """Hold a past session: attendance, votes and the chairman's adoption of each decision, the
    minutes drafted (and signed, if ``sign``)."""
    meeting = services.advance_meeting(meeting, MeetingStatus.AGENDA_APPROVED, actor=secretary)
    attendance = [
        {
            "member": m.pk,
            "status": Attendance.PRESENT if n % 5 else Attendance.REPRESENTED,
            "represented_by": "" if n % 5 else "Deputy",
        }
        for n, m in enumerate(members, 1)
    ]
    services.record_attendance(meeting, attendance, actor=secretary)
    votes = [
        {"member": m.pk, "choice": VoteChoice.FOR if n % 4 else VoteChoice.ABSTAIN} for n, m in enumerate(members, 1)
    ]
    for item, decision_kind, decision_title, text in decisions:
        decision = services.draft_decision(
            actor=secretary, agenda_item=item, kind=decision_kind, title=decision_title, text=text
        )
        services.record_votes(decision, votes, actor=secretary)
        services.adopt_decision(decision, actor=chair)
    meeting = services.advance_meeting(meeting, MeetingStatus.HELD, actor=secretary)
    minutes = services.draft_minutes(meeting, actor=secretary)
    if sign:
        meeting = services.sign_minutes(minutes, actor=secretary).meeting
    return meeting


def _load_plan(year: int, secretary: User, meetings: list[Meeting]) -> None:
    for quarter, title, kind, code, fate, session in PLAN:
        body = _body(code) or Organization.objects.get(code="security-council-apparatus")
        meeting = meetings[session] if session is not None else None
        question = services.plan_question(
            actor=secretary,
            year=year,
            quarter=quarter,
            title=title,
            kind=kind,
            responsible=body,
            classification=Classification.OFFICIAL,
            planned_meeting=meeting,
        )
        if fate == "held" and meeting is not None:
            question.status = QuestionStatus.HELD if meeting.status != MeetingStatus.PLANNED else question.status
            question.save()
        elif fate == "moved":
            services.update_question(question, actor=secretary, quarter=4, note="Moved to the fourth quarter.")
        elif fate == "dropped":
            services.drop_question(question, actor=secretary, note="Considered within the annual report.")
        elif fate == "scheduled" and meeting is not None and meeting.status in services.EDITABLE_MEETING_STATES:
            services.schedule_question(question, meeting, actor=secretary)
