"""Open deadlines as an iCalendar (RFC 5545) file for Outlook or Thunderbird, written with `icalendar`.

One all-day event per open deadline (overdue, due soon, upcoming, paused) on
its due date. The UID names the obligation, not the date - rule, family and
person - so importing a newer file moves the event instead of adding a
second one; a family's plan follow-up has one open link at a time, so rule
and family name it. No CPR number is written: a calendar is shared and
synchronised far beyond kasse's database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from kasse.rules import Deadline
from kasse.words import STATUS

PRODID = "-//kasse//frister//DA"


def deadline_uid(deadline: Deadline) -> str:
    """A stable identity for the obligation, the same when its due date moves."""
    who = deadline.person if deadline.person is not None else "familie"
    return f"{deadline.rule.value}-{deadline.family}-{who}@kasse"


def summary(deadline: Deadline) -> str:
    return f"{deadline.title} – {deadline.name} ({deadline.family})"


def calendar_bytes(deadlines: Iterable[Deadline], *, stamp: datetime) -> bytes:
    """The open deadlines as an iCalendar file; `stamp` (aware, the export's time) is every DTSTAMP."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "kasse – frister")
    for deadline in deadlines:
        if not deadline.status.is_open:
            continue
        event = Event()
        event.add("uid", deadline_uid(deadline))
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.due)
        event.add("dtend", deadline.due + timedelta(days=1))
        event.add("summary", summary(deadline))
        who = f"person {deadline.person}, " if deadline.person is not None else ""
        event.add("description", f"{STATUS[deadline.status]}. Frist {deadline.due:%d-%m-%Y} ({who}familie {deadline.family}).")
        event.add("categories", ["kasse"])
        event.add("transp", "TRANSPARENT")  # a deadline does not make the caseworker busy
        calendar.add_component(event)
    return calendar.to_ical()
