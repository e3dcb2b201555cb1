"""The own task form (`t`): what to do, by when, and for whom - the family, or one of its members."""

from __future__ import annotations

from datetime import datetime

from kasse.domain import Family, Person
from kasse.errors import KasseError
from kasse.journal import Task, check_task, new_uid
from kasse.tui.fields import Field, Kind, Section, Values, day, text
from kasse.tui.forms.form import FormScreen
from kasse.tui.forms.note_form import WHOLE_FAMILY
from kasse.tui.forms.record import member_options, save_record


def task_section(family: Family) -> Section:
    fields = (
        text("title", "Opgave", required=True, hint="fx Ring til lægen"),
        day("due", "Frist", required=True),
        Field("person", "Om", Kind.CHOICE, options=member_options(family), blank=WHOLE_FAMILY),
    )
    return Section("task", "Egen opgave", fields, check_task_values)


def check_task_values(values: Values) -> dict[str, str]:
    """A title kasse cannot keep (too long, a control character), said before the form closes."""
    try:  # the title as the tasks' writes check it; the other values are the form's own
        check_task(Task("check", "F", None, values["title"], values["due"], None, datetime(2000, 1, 1), "kasse"))
    except KasseError as error:
        return {"title": error.message}
    return {}


def add_task(app, family: Family, person: Person | None, values: Values | None = None) -> None:
    """Open the task form; its values become a new open task, saved through the caseload (again on failure)."""
    start = values or {"title": None, "due": None, "person": person.ref if person else None}

    def closed(result: Values | None) -> None:
        if result is None:
            return
        task = Task(new_uid(), family.ref, result["person"], result["title"], result["due"], None, app.now(),
                    app.caseload.author)
        save_record(app, lambda caseload: caseload.add_task(task), "Opgaven er oprettet",
                    failed=lambda: add_task(app, family, person, result))

    app.push_screen(FormScreen(task_section(family), start, subtitle=f"{family.display_name} ({family.ref})"), closed)
