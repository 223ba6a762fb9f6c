"""What derives from other records in execution control, for :mod:`kenes.core.derivation`: raising a
decision raises the instructions it gives, raising an instruction its reports, and raising any subject
the instructions aimed at it. Council does not know this module; it declares its links here."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from kenes.control.models import ExecutionReport, Instruction
from kenes.core import derivation, subjects


def _instructions_aimed_at(record: Any) -> QuerySet[Instruction] | None:
    return Instruction.objects.filter(subjects.filter_q(record)) if subjects.is_subject(record) else None


def register() -> None:
    from kenes.control.services import controller_cleared

    derivation.derives_through(apps.get_model("council", "Decision"), Instruction, "decision")
    derivation.derives_through(Instruction, ExecutionReport, "instruction")
    derivation.derives_from_any(_instructions_aimed_at)
    derivation.guard(Instruction, controller_cleared)
