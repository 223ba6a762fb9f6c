"""Rules of the Council's sessions: who may do what, in which state, and what each act records.

Every change here runs in one transaction, with its audit events written inside it (by the audit
signal handlers and, for acts that are not a change of a row, by ``audit.record``); the business
actions (advancing a session, voting, adopting, signing, cancelling…) name themselves in the log.
Views, the API, imports and commands call these functions and never change council records
themselves. The rules are split by topic; every public name is kept here, so callers write
``from kenes.council import services`` and ``services.adopt_decision(...)``.
"""

from kenes.council.services.agenda import add_agenda_item, remove_agenda_item, reorder_agenda, update_agenda_item
from kenes.council.services.decisions import (
    VoteResult,
    adopt_decision,
    before_its_date,
    change_decision_status,
    draft_decision,
    gives_instructions,
    record_votes,
    start_execution,
    update_decision,
    vote_result,
    withdraw_decision,
)
from kenes.council.services.minutes import (
    compose_minutes,
    decision_in_minutes,
    draft_minutes,
    drafts_of,
    edit_minutes,
    item_in_minutes,
    sign_minutes,
)
from kenes.council.services.plan import drop_question, plan_question, schedule_question, update_question
from kenes.council.services.reading import (
    attendance_of,
    decisions_for,
    items_for,
    meetings_for,
    questions_for,
    visible_minutes,
    votes_of,
)
from kenes.council.services.rules import (
    DECISION_FLOW,
    EDITABLE_MEETING_STATES,
    MATERIAL_ROLES,
    MEMBER_ROLES,
    PRESIDING_ROLES,
    VOTING_MEETING_STATES,
    chairman,
    council_members,
    may_add_materials,
    may_preside,
)
from kenes.council.services.sessions import (
    advance_meeting,
    create_meeting,
    meetings_open_for_reports,
    record_attendance,
    update_meeting,
)
from kenes.council.services.translations import translate

__all__ = [
    "DECISION_FLOW",
    "EDITABLE_MEETING_STATES",
    "MATERIAL_ROLES",
    "MEMBER_ROLES",
    "PRESIDING_ROLES",
    "VOTING_MEETING_STATES",
    "VoteResult",
    "add_agenda_item",
    "adopt_decision",
    "advance_meeting",
    "attendance_of",
    "before_its_date",
    "chairman",
    "change_decision_status",
    "compose_minutes",
    "council_members",
    "create_meeting",
    "decision_in_minutes",
    "decisions_for",
    "draft_decision",
    "draft_minutes",
    "drafts_of",
    "drop_question",
    "edit_minutes",
    "gives_instructions",
    "item_in_minutes",
    "items_for",
    "may_add_materials",
    "may_preside",
    "meetings_for",
    "meetings_open_for_reports",
    "plan_question",
    "questions_for",
    "record_attendance",
    "record_votes",
    "remove_agenda_item",
    "reorder_agenda",
    "schedule_question",
    "sign_minutes",
    "start_execution",
    "translate",
    "update_agenda_item",
    "update_decision",
    "update_meeting",
    "update_question",
    "visible_minutes",
    "vote_result",
    "votes_of",
    "withdraw_decision",
]
