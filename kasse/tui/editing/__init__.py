"""What each of the app's forms edits, and how its values go in and out of domain values.

Pure and free of Textual, so the mapping and its checks are tested without a
screen. A form shows a section's fields (kasse.tui.fields), fills them from a
`read_*`, and the screen saves what the matching `write_*` returns through
the store, in one transaction. One module per part of the case: a person's
facts (`person`), the parts of a person's case (`person_parts`), the family and
its follow-ups (`family`), the plan's goals (`goals`), the reception checklist
(`checklist`); `judging` holds the plausibility checks all forms share.

This module re-exports what the screens and widgets use, as `editing.NAME`.
"""

from __future__ import annotations

from kasse.tui.editing.checklist import (
    CHECKLIST_ITEM,
    DEFAULT_CHECKLIST,
    default_checklist,
    read_checklist_item,
    tick,
    write_checklist_item,
)
from kasse.tui.editing.family import FAMILY, FOLLOWUP, followup_section, new_family_section, read_family, write_family
from kasse.tui.editing.goals import (
    GOAL,
    goal_refusal,
    intervention_section,
    read_goal,
    read_intervention,
    write_goal,
    write_intervention,
)
from kasse.tui.editing.judging import JudgedSection, judged
from kasse.tui.editing.person import (
    LEFT,
    PERSON,
    check_person,
    new_member_section,
    new_member_values,
    read_left,
    read_person,
    write_left,
    write_member,
    write_person,
)
from kasse.tui.editing.person_parts import (
    CONTRACT,
    DANISH,
    HEALTH,
    PROGRAMME,
    conversation_form,
    conversation_section,
    new_conversation,
    plan_section,
    read_contract,
    read_conversation,
    read_danish,
    read_health,
    read_plan,
    read_programme,
    with_conversation,
    without_conversation,
    write_contract,
    write_danish,
    write_health,
    write_plan,
    write_programme,
)
from kasse.tui.editing.shared import next_ref

__all__ = [
    "CHECKLIST_ITEM", "CONTRACT", "DANISH", "DEFAULT_CHECKLIST", "FAMILY", "FOLLOWUP", "GOAL", "HEALTH", "LEFT",
    "PERSON", "PROGRAMME", "JudgedSection", "check_person", "conversation_form", "conversation_section",
    "default_checklist", "followup_section", "goal_refusal", "intervention_section", "judged", "new_conversation",
    "new_family_section", "new_member_section", "new_member_values", "next_ref", "plan_section",
    "read_checklist_item", "read_contract", "read_conversation", "read_danish", "read_family", "read_goal",
    "read_health", "read_intervention", "read_left", "read_person", "read_plan", "read_programme", "tick",
    "with_conversation", "without_conversation", "write_checklist_item", "write_contract", "write_danish",
    "write_family", "write_goal", "write_health", "write_intervention", "write_left", "write_member", "write_person",
    "write_plan", "write_programme",
]  # fmt: skip
