"""The council's canaries for the leak crawl (tests/leaks): sessions, agenda items, materials,
attendance, decisions and votes, amendments, minutes and the work plan, at every level for each body.

Besides the plain records, each session carries what once leaked: an item (and its decision) above the
session, which its minutes must not list; an item raised above the decision taken on it; a decision on
the hearing of a body amending a decision of the chairman that names no body; an adopted decision
amended by a higher one; a work-plan question planned for a higher session."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from kenes.core import attachments
from kenes.council import services
from kenes.council.choices import ItemKind
from tests.leaks.registry import Seeder, canary_factory, path_param

PDF = b"%PDF-1.7\n%%EOF\n"

path_param("meeting_id", "council.Meeting")
path_param("item_id", "council.AgendaItem", meeting_id="meeting_id")
path_param("decision_id", "council.Decision")
path_param("question_id", "council.PlannedQuestion")


def _adopt(decision, seed: Seeder):
    votes = [{"member": member.pk, "choice": "for"} for member in services.council_members()]
    services.record_votes(decision, votes, actor=seed.users["secretary"])
    return services.adopt_decision(decision, actor=seed.users["chair"])


@canary_factory("council")
def seed_council(seed: Seeder) -> None:
    secretary = seed.users["secretary"]
    day = dt.date(2026, 2, 2)
    sessions = {}
    for code in seed.bodies:
        body, to = seed.orgs[code], [code]
        for level in seed.levels:
            up = seed.above(level)
            day += dt.timedelta(days=1)
            meeting = services.create_meeting(
                actor=secretary,
                title=seed.mark("session's title", level, to),
                place=seed.mark("session's place", level, to),
                date=day,
                classification=level,
            )
            sessions[code, level] = meeting
            item = services.add_agenda_item(
                meeting,
                actor=secretary,
                title=seed.mark("agenda item's title", level, to),
                kind=ItemKind.HEAD_HEARING,
                speaker=seed.mark("agenda item's speaker", level, to),
                body=body,
                description=seed.mark("agenda item's description", level, to),
                classification=level,
            )
            name = seed.mark("material's file name", level, to)
            material = attachments.attach_file(SimpleUploadedFile(f"{name}.pdf", PDF), actor=secretary, owner=item)
            seed.record(meeting, item, material)
            higher = None
            if up is not None:
                higher = services.add_agenda_item(
                    meeting,
                    actor=secretary,
                    title=seed.mark("item above its session", up, to),
                    body=body,
                    description=seed.mark("description of an item above its session", up, to),
                    classification=up,
                )
                before = seed.mark("item before raising", level, to)
                raised = services.add_agenda_item(meeting, actor=secretary, title=before, body=body)
                on_raised = services.draft_decision(
                    actor=secretary,
                    title=seed.mark("decision on an item raised later", level, to),
                    text=seed.mark("text of a decision on an item raised later", level, to),
                    agenda_item=raised,
                )
                services.update_agenda_item(
                    raised, actor=secretary, classification=up, title=seed.mark("raised item's title", up, to)
                )
                # The item and its decision now stand at ``up``: so do their earlier markers, wherever they
                # are still shown (their events of creation, above all).
                seed.relevel(raised, up, before)
                seed.relevel(on_raised, up)
                seed.record(raised, on_raised)
            services.advance_meeting(meeting, "agenda_approved", actor=secretary)
            services.record_attendance(
                meeting,
                [
                    {"member": m.pk, "status": "represented", "represented_by": seed.mark("represented by", level, to)}
                    for m in services.council_members()
                ],
                actor=secretary,
            )
            decision = _adopt(
                services.draft_decision(
                    actor=secretary,
                    title=seed.mark("decision's title", level, to),
                    text=seed.mark("decision's text", level, to),
                    agenda_item=item,
                ),
                seed,
            )
            earlier = services.adopt_decision(
                services.draft_decision(
                    actor=secretary,
                    title=seed.mark("chairman's decision amended on a hearing", level, []),
                    text=seed.mark("text of a chairman's decision amended on a hearing", level, []),
                    classification=level,
                ),
                actor=seed.users["chair"],
            )
            amending = _adopt(
                services.draft_decision(
                    actor=secretary,
                    title=seed.mark("decision amending the chairman's", level, to),
                    text=seed.mark("text of a decision amending the chairman's", level, to),
                    agenda_item=item,
                    amends=earlier,
                ),
                seed,
            )
            seed.record(decision)
            seed.record(amending)
            if higher is not None:
                _adopt(
                    services.draft_decision(
                        actor=secretary,
                        title=seed.mark("decision above its session", up, to),
                        text=seed.mark("text of a decision above its session", up, to),
                        agenda_item=higher,
                    ),
                    seed,
                )
                up_amending = services.adopt_decision(
                    services.draft_decision(
                        actor=secretary,
                        title=seed.mark("decision amending a lower one", up, []),
                        text=seed.mark("text of a decision amending a lower one", up, []),
                        amends=decision,
                        classification=up,
                    ),
                    actor=seed.users["chair"],
                )
                seed.record(up_amending)
            services.advance_meeting(meeting, "held", actor=secretary)
            minutes = services.draft_minutes(meeting, actor=secretary)
            services.edit_minutes(minutes, minutes.text + "\n" + seed.mark("minutes' text", level, []), actor=secretary)
    for code in seed.bodies:
        for level in seed.levels:
            up = seed.above(level)
            question = services.plan_question(
                actor=secretary,
                year=2026,
                quarter=3,
                title=seed.mark("work plan question", level, [code]),
                note=seed.mark("work plan question's note", level, [code]),
                responsible=seed.orgs[code],
                planned_meeting=sessions.get((code, up)),
                classification=level,
            )
            seed.record(question)
