"""The queue orders persons by urgency and filters them by text and saved view."""

from kasse.domain import Category
from kasse.rules import Rule, Status
from kasse.tui.queue import View, build_queue, filter_queue
from tests.factories import PINNED, d, family, met_everything, person

TODAY = d("2025-03-01")



def caseload():
    return [
        family(met_everything("P-calm", name="Rolig Person", nationality="Iran"), ref="F-1"),
        family(person("P-late", name="Amina Hassan", cpr="010190-1234", nationality="Syrien",
                      takeover="2024-12-01"), ref="F-2"),
        family(person("P-soon", name="Yonas Tesfay", takeover="2025-02-05", nationality="Eritrea"), ref="F-3"),
        family(person("P-gone", name="Farah Ali", left="2025-02-01"), ref="F-4"),
        family(person("P-spouse", name="Jens Hansen", category=Category.RESIDENT_SPOUSE, takeover=None), ref="F-5"),
    ]


def test_most_urgent_first_then_due_soon_then_the_rest():
    rows = build_queue(caseload(), today=TODAY, window=14)
    assert [row.person_ref for row in rows][:3] == ["P-late", "P-soon", "P-calm"]
    late = rows[0]
    assert late.overdue_count == 3
    assert late.next_deadline.rule is Rule.CONTRACT
    assert late.next_deadline.status is Status.OVERDUE
    assert rows[1].next_deadline.status is Status.DUE_SOON


def test_more_overdue_days_come_before_fewer():
    caseload_ = [family(person("P-a", takeover="2025-01-20"), ref="F-a"),
                 family(person("P-b", takeover="2024-11-01"), ref="F-b")]
    assert [row.person_ref for row in build_queue(caseload_, today=TODAY, window=14)] == ["P-b", "P-a"]


def test_left_and_resident_spouse_have_no_next_deadline():
    rows = {row.person_ref: row for row in build_queue(caseload(), today=TODAY, window=14)}
    assert rows["P-gone"].next_deadline is None and rows["P-gone"].left
    assert rows["P-spouse"].next_deadline is None


def test_family_followup_counts_for_each_covered_member():
    fam = family(met_everything("P-1"), ref="F-9", made="2024-01-01", months=6)
    (row,) = build_queue([fam], today=TODAY, window=14, policy=PINNED["2015"])  # the plan's follow-ups: 2015
    assert row.next_deadline.rule is Rule.PLAN_FOLLOWUP
    assert row.overdue_count == 1


def test_filter_on_name_ref_cpr_and_nationality_ignoring_case():
    rows = build_queue(caseload(), today=TODAY, window=14)

    def refs(text, view=View.EVERYONE):
        return [row.person_ref for row in filter_queue(rows, text, view)]

    assert refs("amina") == ["P-late"]
    assert refs("0101901234") == ["P-late"]
    assert refs("010190-1234") == ["P-late"]
    assert refs("eritrea") == ["P-soon"]
    assert refs("F-4") == ["P-gone"]
    assert refs("hassan syrien") == ["P-late"]
    assert refs("nobody") == []


def test_saved_views():
    rows = build_queue(caseload(), today=TODAY, window=14)

    def refs(view):
        return {row.person_ref for row in filter_queue(rows, "", view)}

    assert refs(View.OVERDUE) == {"P-late"}
    assert refs(View.DUE_SOON) == {"P-late", "P-soon"}
    assert refs(View.LEFT) == {"P-gone"}
    assert len(refs(View.EVERYONE)) == 5
