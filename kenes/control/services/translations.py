"""The text of an instruction in the other languages (``kenes.core.translated``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kenes.accounts.models import User
from kenes.control.models import Instruction
from kenes.control.services.roles import may_issue
from kenes.core import policy, translated
from kenes.core.services import service


@service(named="translate")
def translate(instruction: Instruction, translations: dict, *, actor: User) -> Instruction:
    """Set the text of an instruction in Kazakh, Russian and English (the text as entered stays);
    for whoever gives instructions, audited as the instruction's change."""
    policy.ensure(may_issue(actor), _("Only the chairman, the secretary or a controller gives instructions."))
    instruction = Instruction.objects.select_for_update().get(pk=instruction.pk)
    return translated.store(instruction, translations)
