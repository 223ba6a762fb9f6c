"""Execution control's canaries for the leak crawl (tests/leaks): instructions with their reports,
review comments, extension requests, deadline changes and withdrawals, at every level for each body.

Each instruction is given by a decision of the chairman taken outside a session, which names no body:
a liaison officer reads the instruction addressed to his body, never that decision. A joint
instruction (both bodies of the crawl executing) and a withdrawn one go with each."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from kenes.control import services
from kenes.council import services as council
from tests.leaks.registry import Seeder, canary_factory, path_param

PDF = b"%PDF-1.7\n%%EOF\n"

path_param("instruction_id", "control.Instruction")


@canary_factory("control")
def seed_control(seed: Seeder) -> None:
    secretary, chair, controller = seed.users["secretary"], seed.users["chair"], seed.users["controller"]
    liaisons = {user.organization.code: user for user in seed.users.values() if user.role == "liaison"}
    due = services.today() + dt.timedelta(days=60)
    for code in seed.bodies:
        body, to = seed.orgs[code], [code]
        others = [seed.orgs[other] for other in seed.bodies if other != code]
        for level in seed.levels:
            # the controller controls what he is cleared to; the secretary the instructions above it
            controls = controller if services.may_control(controller, level) else secretary
            decision = council.adopt_decision(
                council.draft_decision(
                    actor=secretary,
                    title=seed.mark("decision giving an instruction", level, []),
                    text=seed.mark("text of a decision giving an instruction", level, []),
                    classification=level,
                ),
                actor=chair,
            )
            instruction = services.issue_instruction(
                actor=secretary,
                text=seed.mark("instruction's text", level, to),
                lead_executor=body,
                controller=controls,
                decision=decision,
                due_date=due,
                classification=level,
            )
            liaison = liaisons.get(code)
            if liaison is not None:
                files = []
                if level <= liaison.clearance:
                    name = seed.mark("report's file name", level, to)
                    files = [SimpleUploadedFile(f"{name}.pdf", PDF)]
                report = services.submit_report(
                    instruction, actor=liaison, text=seed.mark("report's text", level, to), files=files
                )
                services.review_report(
                    report, actor=secretary, outcome="return", comment=seed.mark("review comment", level, to)
                )
            request = services.request_extension(
                instruction,
                actor=secretary,
                due_date=due + dt.timedelta(days=30),
                reason=seed.mark("reason for an extension", level, to),
            )
            services.decide_extension(
                request, actor=secretary, approve=True, comment=seed.mark("decision on an extension", level, to)
            )
            services.issue_instruction(
                actor=secretary,
                text=seed.mark("joint instruction's text", level, [code, *(o.code for o in others)]),
                lead_executor=body,
                co_executors=others,
                controller=controls,
                due_date=due,
                classification=level,
            )
            withdrawn = services.issue_instruction(
                actor=secretary,
                text=seed.mark("withdrawn instruction's text", level, to),
                lead_executor=body,
                controller=controls,
                due_date=due,
                classification=level,
            )
            services.withdraw(withdrawn, actor=secretary, reason=seed.mark("reason of withdrawal", level, to))
            seed.record(instruction)
