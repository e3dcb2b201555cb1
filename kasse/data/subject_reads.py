"""The reads behind a subject access: a person's journal, tasks, audit rows and access-log entries.

Plain sqlite3 on a connection from `kasse.data.reader.connect`. The
picking and the layout are kasse/subject_access.py's.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from kasse.access_log import AccessEntry
from kasse.data.access_log import entries
from kasse.data.journal_reads import journal_of
from kasse.data.task_reads import tasks
from kasse.journal import JournalNote, Task
from kasse.subject_access import AuditRow

# The person's own record and their tasks' (by uid), oldest first.
_AUDIT = """
SELECT at, actor, table_name, record, field, old_value, new_value FROM audit
WHERE (table_name = 'person' AND record = :person)
   OR (table_name = 'task' AND record IN (SELECT value FROM json_each(:tasks)))
ORDER BY id
"""


@dataclass(frozen=True, slots=True)
class SubjectRecords:
    notes: list[JournalNote]  # theirs and their family's own, newest first (kasse/subject_access.py picks)
    tasks: list[Task]
    audit: list[AuditRow]
    looks: list[AccessEntry]


def subject_records(connection: sqlite3.Connection, family_ref: str, person_ref: str) -> SubjectRecords:
    own_tasks = tasks(connection, person_ref=person_ref)
    params = {"person": person_ref, "tasks": json.dumps([task.uid for task in own_tasks])}
    audit = [AuditRow(*row) for row in connection.execute(_AUDIT, params)]
    return SubjectRecords(journal_of(connection, family_ref, person_ref), own_tasks, audit,
                          entries(connection, person_ref))
