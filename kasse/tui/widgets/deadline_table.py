"""A table of deadlines where own tasks stand beside the law's: a key marks the task under the cursor done.

The table only says which task; the screen or pane that filled it saves (`TaskDone`).
"""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message

from kasse.journal import TaskDeadline
from kasse.tui.widgets.row_table import RowTable


class DeadlineTable(RowTable):
    BINDINGS = [
        # Not in the footer (an 80-column one has no room): the panel's summary and the Oversigt hints name it.
        Binding("ctrl+d", "task_done", "Opgave udført", id="deadlines.task_done", show=False,
                tooltip="Markér den valgte egne opgave som udført i dag"),
    ]

    class TaskDone(Message):
        """The user marked an own task done."""

        def __init__(self, task: TaskDeadline) -> None:
            super().__init__()
            self.task = task

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tasks: dict[int, TaskDeadline] = {}  # row index -> the own task on that row

    def mark_tasks(self, tasks: dict[int, TaskDeadline]) -> None:
        """Which rows are own tasks, as the table was just filled."""
        self.tasks = tasks

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "task_done":  # offered only where there are own tasks
            return bool(self.tasks)
        return True

    def action_task_done(self) -> None:
        task = self.tasks.get(self.cursor_row)
        if task is None:
            self.notify("Vælg en egen opgave (der står \"Egen opgave\" ud for den).", severity="warning")
            return
        self.post_message(self.TaskDone(task))
