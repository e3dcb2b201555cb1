"""The history tab's read: the audit rows of one family's records - the family, its members, past and present,
and its tasks - in one query.

Plain sqlite3 on a connection from `kasse.data.reader.connect`, as the other
fast reads. A past member is one whose audit rows say they left the family:
moved out (their `family` field changed from it) or deleted while in it (the
whole record's old value names it). Their whole trail is read, before and
after their time here, as it is one person's history. The rows are found by
the index on (table_name, record).

Finding the past members is the one scan: no index names a person's former
family, so the rows written since the family was created are read in id
order (a range of the primary key; NOT INDEXED, so that SQLite does not
visit the same rows one by one through the table_name index). bench/history.py times it;
a partial index on the `family` and deletion rows would make it a lookup.
"""

from __future__ import annotations

import sqlite3

from kasse.history import AuditRecord

_FAMILY_AUDIT = """
WITH
  here AS (SELECT id FROM family WHERE ref = :family),
  born(id) AS (SELECT coalesce(min(id), 0) FROM audit WHERE table_name = 'family' AND record = :family),
  member(ref) AS (
    SELECT ref FROM person WHERE family_id IN (SELECT id FROM here)
    UNION
    SELECT record FROM audit NOT INDEXED WHERE id > (SELECT id FROM born) AND table_name = 'person' AND (
      (field = 'family' AND old_value = :family)
      OR (field = '*' AND new_value IS NULL AND json_valid(old_value)
          AND json_extract(old_value, '$.family') = :family))
  ),
  task_of(uid) AS (
    SELECT uid FROM task WHERE family_id IN (SELECT id FROM here)
       OR person_id IN (SELECT p.id FROM person p JOIN member m ON m.ref = p.ref)
  )
SELECT at, actor, table_name, record, field, old_value, new_value FROM audit
WHERE (table_name = 'family' AND record = :family)
   OR (table_name = 'person' AND record IN (SELECT ref FROM member))
   OR (table_name = 'task' AND record IN (SELECT uid FROM task_of))
ORDER BY id
"""


def family_audit(connection: sqlite3.Connection, family_ref: str) -> list[AuditRecord]:
    """Every audit row of the family `family_ref`, its members (past ones too) and its tasks, oldest first."""
    return [AuditRecord(*row) for row in connection.execute(_FAMILY_AUDIT, {"family": family_ref})]
