"""kasse/v1 JSON: what is accepted, what is refused (with record, field and Danish reason), and the canonical round trip."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from kasse.domain import (
    Area,
    Assessment,
    Category,
    Contract,
    ContractFollowUp,
    ConversationForm,
    Danish,
    ExemptReason,
    Family,
    FamilyPlan,
    FollowUp,
    Goal,
    Health,
    Housing,
    Intervention,
    InterventionStatus,
    Person,
    Programme,
    Role,
    Track,
    UmDecision,
)
from kasse.errors import KasseError
from kasse.interchange.v1 import InvalidDocument, Problem, dump_document, load_json_file, parse_document, write_json

# The example document of FORMAT.md, verbatim.
FORMAT_EXAMPLE = """
{
  "format": "kasse/v1",
  "families": [
    {
      "ref": "F-2025-001",
      "coordinating_department": "Jobcenter",
      "housing": "temporary",
      "housing_since": "2025-01-10",
      "plan": {
        "made_date": "2025-03-01",
        "followup_months": 6,
        "followups": [{"date": "2025-09-01", "note": "Alle mål gennemgået"}]
      },
      "checklist": [
        {"phase": "arrival", "task": "Bolig klar", "done_date": "2025-01-10"}
      ],
      "members": [
        {
          "ref": "P-0001",
          "name": "Amina Hassan",
          "cpr": "010190-1234",
          "birth_date": "1990-01-01",
          "category": "refugee",
          "role": "applicant",
          "takeover_date": "2025-01-10",
          "left_date": null,
          "left_reason": null,
          "programme": {"exempt_reason": null, "start_date": "2025-02-01"},
          "um_decision": null,
          "contract": {"signed_date": "2025-02-05", "goal_kind": "employment",
                        "goal": "Job i detailhandlen", "activities": ["Virksomhedspraktik"],
                        "followups": [{"date": "2025-03-04", "form": "meeting",
                                       "note": "Praktik aftalt"}]},
          "danish": {"referral_date": "2025-01-20", "start_date": "2025-02-03", "provider": "Lær Dansk",
                      "track": "DU2", "hours_per_week": 18,
                      "paused_from": null, "paused_to": null, "passed_date": null},
          "plan_offer": {"offered_date": "2025-03-01", "answer": "accepted"},
          "health": {"need": true, "need_date": "2025-01-25",
                      "offered_date": "2025-02-20", "declined_date": null,
                      "guidance_date": null, "consent": true,
                      "result_received_date": "2025-04-02"},
          "goals": [
            {"area": "danish_employment", "goal": "Bestå Prøve i Dansk 2",
             "subgoals": ["Modul 3 inden sommer"],
             "interventions": [{"title": "Danskuddannelse 18 t/uge",
                                 "department": "Jobcenter", "start": "2025-02-03",
                                 "end": null, "status": "active"}]}
          ]
        }
      ]
    }
  ]
}
"""

RECORD = "familie F-2025-001, person P-0001"


def example() -> dict:
    return json.loads(FORMAT_EXAMPLE)


def member(doc: dict, index: int = 0) -> dict:
    return doc["families"][0]["members"][index]


def minimal_member(ref: str = "P-0002", **fields) -> dict:
    return {
        "ref": ref,
        "name": "Yonas Tesfay",
        "category": "refugee",
        "birth_date": "1988-05-04",
        "takeover_date": "2025-03-01",
        **fields,
    }


def problems_of(doc: object) -> list[Problem]:
    with pytest.raises(InvalidDocument) as raised:
        parse_document(doc)
    return raised.value.problems


def only_problem(doc: object) -> Problem:
    problems = problems_of(doc)
    assert len(problems) == 1, problems
    return problems[0]


# --------------------------------------------------------------------------- accepted documents


def test_format_example_parses_into_domain_values():
    [family] = parse_document(example())
    [amina] = family.members
    assert family.ref == "F-2025-001"
    assert family.housing is Housing.TEMPORARY
    assert family.plan == FamilyPlan(date(2025, 3, 1), 6, (FollowUp(date(2025, 9, 1), "Alle mål gennemgået"),))
    assert amina.category is Category.REFUGEE and amina.role is Role.APPLICANT
    assert amina.birth_date == date(1990, 1, 1) and amina.cpr == "010190-1234"
    assert amina.contract.activities == ("Virksomhedspraktik",)
    assert amina.danish.track is Track.DU2 and amina.danish.hours_per_week == 18
    assert amina.health.consent is True
    assert (amina.health.need, amina.health.need_date) == (True, date(2025, 1, 25))
    assert amina.danish.referral_date == date(2025, 1, 20)
    assert amina.contract.followups == (ContractFollowUp(date(2025, 3, 4), ConversationForm.MEETING, "Praktik aftalt"),)
    assert amina.goals[0].interventions[0].status is InterventionStatus.ACTIVE


def test_minimal_document_and_absent_keys_mean_not_recorded():
    doc = {"format": "kasse/v1", "families": [{"ref": "F-1", "members": [minimal_member()]}]}
    [family] = parse_document(doc)
    [person] = family.members
    assert person.cpr is None and person.role is None and person.um_decision is None
    assert person.danish == Danish() and person.health == Health() and person.goals == ()
    assert family.plan == FamilyPlan() and family.checklist == ()


def test_null_sub_objects_mean_not_recorded():
    doc = {
        "format": "kasse/v1",
        "families": [
            {
                "ref": "F-1",
                "plan": None,
                "checklist": None,
                "members": [
                    minimal_member(programme=None, contract=None, danish=None, health=None, assessment=None, goals=None)
                ],
            }
        ],
    }
    [family] = parse_document(doc)
    assert family.members[0].contract == Contract()


def test_added_fields_nationality_and_assessment_are_read():
    doc = {
        "format": "kasse/v1",
        "families": [
            {
                "ref": "F-1",
                "members": [
                    minimal_member(
                        nationality="Eritrea",
                        assessment={"education": "12 års skolegang", "literacy": "Læser og skriver tigrinya"},
                    )
                ],
            }
        ],
    }
    person = parse_document(doc)[0].members[0]
    assert person.nationality == "Eritrea"
    assert person.assessment == Assessment(education="12 års skolegang", literacy="Læser og skriver tigrinya")


def test_followup_months_above_twelve_is_accepted_and_integral_float_read_as_int():
    doc = example()
    doc["families"][0]["plan"]["followup_months"] = 18
    assert parse_document(doc)[0].plan.followup_months == 18
    doc["families"][0]["plan"]["followup_months"] = 6.0
    assert parse_document(doc)[0].plan.followup_months == 6


def test_left_reason_without_left_date_is_fine():
    doc = example()
    member(doc)["left_reason"] = "Flyttet til anden kommune"
    assert parse_document(doc)[0].members[0].left_reason == "Flyttet til anden kommune"


# --------------------------------------------------------------------------- enumerations

ENUM_FIELDS = [
    # (where in the example, field path, Danish noun)
    (lambda doc: doc["families"][0], "housing", "boligtype"),
    (lambda doc: doc["families"][0]["checklist"][0], "phase", "fase"),
    (member, "category", "kategori"),
    (member, "role", "rolle"),
    (lambda doc: member(doc)["programme"], "exempt_reason", "fritagelsesgrund"),
    (lambda doc: member(doc)["contract"], "goal_kind", "måltype"),
    (lambda doc: member(doc)["danish"], "track", "danskuddannelse"),
    (lambda doc: member(doc)["plan_offer"], "answer", "svar"),
    (lambda doc: member(doc)["goals"][0], "area", "indsatsområde"),
    (lambda doc: member(doc)["goals"][0]["interventions"][0], "status", "status"),
]
ENUM_PATHS = {
    "housing": ("familie F-2025-001", "housing"),
    "phase": ("familie F-2025-001", "checklist[0].phase"),
    "category": (RECORD, "category"),
    "role": (RECORD, "role"),
    "exempt_reason": (RECORD, "programme.exempt_reason"),
    "goal_kind": (RECORD, "contract.goal_kind"),
    "track": (RECORD, "danish.track"),
    "answer": (RECORD, "plan_offer.answer"),
    "area": (RECORD, "goals[0].area"),
    "status": (RECORD, "goals[0].interventions[0].status"),
}


@pytest.mark.parametrize(("locate", "key", "noun"), ENUM_FIELDS, ids=[key for _, key, _ in ENUM_FIELDS])
def test_every_enumeration_reports_a_bad_value_with_record_and_field(locate, key, noun):
    doc = example()
    locate(doc)[key] = "bogus"
    problem = only_problem(doc)
    assert (problem.record, problem.field) == ENUM_PATHS[key]
    assert problem.reason.startswith(f"ukendt {noun} 'bogus' (tilladt: ")


def test_unknown_category_lists_the_allowed_values():
    doc = example()
    member(doc)["category"] = "refugeee"
    assert only_problem(doc).reason == (
        "ukendt kategori 'refugeee' (tilladt: refugee, quota_refugee, family_reunified, "
        "unaccompanied_minor, resident_spouse)"
    )


def test_unknown_category_and_impossible_date_are_both_reported(tmp_path):
    doc = example()
    member(doc)["category"] = "refugeee"
    member(doc)["health"]["declined_date"] = "2025-02-30"
    path = tmp_path / "import.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InvalidDocument) as raised:
        parse_document(load_json_file(path))
    problems = raised.value.problems
    assert [(p.record, p.field) for p in problems] == [(RECORD, "category"), (RECORD, "health.declined_date")]
    assert problems[1].reason == "datoen 2025-02-30 findes ikke"
    message = raised.value.message
    assert "familie F-2025-001, person P-0001, category: ukendt kategori 'refugeee'" in message
    assert "familie F-2025-001, person P-0001, health.declined_date: datoen 2025-02-30 findes ikke" in message
    assert len(message.splitlines()) == 3  # a heading, then one line per problem


def test_invalid_document_is_the_users_error_type():
    assert issubclass(InvalidDocument, KasseError)


# --------------------------------------------------------------------------- unknown keys


def test_unknown_key_in_document_family_member_and_nested_objects():
    doc = example()
    doc["familes"] = []
    doc["families"][0]["housing_sinse"] = "2025-01-10"
    member(doc)["takeover"] = "2025-01-10"
    member(doc)["health"]["consnet"] = True
    member(doc)["goals"][0]["interventions"][0]["owner"] = "Jobcenter"
    doc["families"][0]["plan"]["followups"][0]["by"] = "KH"
    problems = problems_of(doc)
    assert [(p.record, p.field) for p in problems] == [
        ("dokumentet", "familes"),
        ("familie F-2025-001", "housing_sinse"),
        ("familie F-2025-001", "plan.followups[0].by"),
        (RECORD, "takeover"),
        (RECORD, "health.consnet"),
        (RECORD, "goals[0].interventions[0].owner"),
    ]
    assert all(p.reason.startswith("ukendt felt") for p in problems)
    assert problems[4].reason == "ukendt felt (mente du 'consent'?)"


# --------------------------------------------------------------------------- required fields and types


def test_wrong_format_and_missing_format():
    assert (
        only_problem({"format": "kasse/v2", "families": []}).reason == "ukendt format 'kasse/v2' (forventet 'kasse/v1')"
    )
    assert (only_problem({"families": []}).field, only_problem({"families": []}).reason) == ("format", "mangler")
    assert only_problem([]).record == "dokumentet"


def test_missing_required_fields_name_the_json_path_when_refs_are_unknown():
    doc = {"format": "kasse/v1", "families": [{"members": [{"category": "refugee"}]}, {"ref": "F-2"}]}
    problems = problems_of(doc)
    assert [(p.record, p.field, p.reason) for p in problems] == [
        ("families[0]", "ref", "mangler"),
        ("families[0].members[0]", "ref", "mangler"),
        ("families[0].members[0]", "name", "mangler"),
        ("families[0].members[0]", "birth_date", "mangler (og der er intet cpr at udlede den af)"),
        ("families[0].members[0]", "takeover_date", "mangler (kræves for alle kategorier undtagen resident_spouse)"),
        ("familie F-2", "members", "mangler"),
    ]


def test_member_without_ref_in_a_known_family_is_named_by_family_and_index():
    doc = {
        "format": "kasse/v1",
        "families": [{"ref": "F-1", "members": [minimal_member(), {**minimal_member(), "ref": None}]}],
    }
    assert only_problem(doc).record == "familie F-1, members[1]"


def test_takeover_date_missing_for_refugee_but_fine_for_resident_spouse():
    refugee = minimal_member("P-1")
    del refugee["takeover_date"]
    spouse = minimal_member("P-2", category="resident_spouse")
    del spouse["takeover_date"]
    doc = {"format": "kasse/v1", "families": [{"ref": "F-1", "members": [refugee, spouse]}]}
    problem = only_problem(doc)
    assert (problem.record, problem.field) == ("familie F-1, person P-1", "takeover_date")
    del doc["families"][0]["members"][0]
    assert parse_document(doc)[0].members[0].takeover_date is None


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (("name",), 17, "skal være tekst"),
        (("name",), "  ", "må ikke være tom"),
        (("health", "consent"), "ja", "skal være true eller false"),
        (("health", "consent"), 1, "skal være true eller false"),
        (("danish", "hours_per_week"), "18", "skal være et tal"),
        (("danish", "hours_per_week"), True, "skal være et tal"),
        (("danish", "hours_per_week"), -1, "må ikke være negativ"),
        (("contract", "activities"), "Mentor", "skal være en liste"),
        (("goals",), {"area": "social_health"}, "skal være en liste"),
        (("health",), ["2025-02-20"], "skal være et objekt"),
        (("takeover_date",), "10-01-2025", "'10-01-2025' er ikke en dato på formen ÅÅÅÅ-MM-DD"),
        (("takeover_date",), "2025-1-10", "'2025-1-10' er ikke en dato på formen ÅÅÅÅ-MM-DD"),
        (("takeover_date",), 20250110, "skal være en dato som tekst på formen ÅÅÅÅ-MM-DD"),
        (("takeover_date",), "2025-13-01", "datoen 2025-13-01 findes ikke"),
    ],
)
def test_member_field_types(path, value, reason):
    doc = example()
    target = member(doc)
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    problem = only_problem(doc)
    assert (problem.record, problem.field, problem.reason) == (RECORD, ".".join(path), reason)


def test_list_items_are_checked_one_by_one():
    doc = example()
    member(doc)["contract"]["activities"] = ["Mentor", 7]
    member(doc)["goals"][0]["subgoals"] = [None]
    problems = problems_of(doc)
    assert [p.field for p in problems] == ["contract.activities[1]", "goals[0].subgoals[0]"]


@pytest.mark.parametrize(
    ("months", "reason"),
    [
        (0, "skal være mindst 1"),
        (2.5, "skal være et helt antal måneder"),
        ("6", "skal være et helt antal måneder"),
        (True, "skal være et helt antal måneder"),
    ],
)
def test_followup_months_must_be_a_whole_number_from_one(months, reason):
    doc = example()
    doc["families"][0]["plan"]["followup_months"] = months
    problem = only_problem(doc)
    assert (problem.record, problem.field, problem.reason) == ("familie F-2025-001", "plan.followup_months", reason)


def test_um_decision_needs_date_and_boolean_offered():
    doc = example()
    member(doc)["um_decision"] = {"date": "2025-06-01"}
    assert (only_problem(doc).field, only_problem(doc).reason) == ("um_decision.offered", "mangler")
    member(doc)["um_decision"] = {"date": "2025-06-01", "offered": "true"}
    assert only_problem(doc).reason == "skal være true eller false"
    member(doc)["um_decision"] = {"date": "2025-06-01", "offered": False}
    assert parse_document(doc)[0].members[0].um_decision == UmDecision(date(2025, 6, 1), False)


def test_danish_pause_ending_before_it_began_is_refused():
    doc = example()
    member(doc)["danish"].update(paused_from="2025-03-10", paused_to="2025-03-01")
    problem = only_problem(doc)
    assert (problem.field, problem.reason) == ("danish.paused_to", "2025-03-01 ligger før danish.paused_from")


def test_intervention_ending_before_it_started_is_refused():
    doc = example()
    member(doc)["goals"][0]["interventions"][0]["end"] = "2025-01-01"
    assert only_problem(doc).field == "goals[0].interventions[0].end"


def test_every_problem_is_collected_not_just_the_first():
    doc = example()
    second = minimal_member("P-0002", category="quota_refugeee", birth_date="1990-02-29")
    del second["takeover_date"]  # cannot be judged: the category is unknown
    doc["families"][0]["members"].append(second)
    member(doc)["danish"]["track"] = "DU4"
    doc["families"].append(
        {"ref": "F-2025-002", "housing": "tent", "members": [minimal_member("P-0003", cpr="310290-1234")]}
    )
    problems = problems_of(doc)
    assert [(p.record, p.field) for p in problems] == [
        (RECORD, "danish.track"),
        ("familie F-2025-001, person P-0002", "birth_date"),
        ("familie F-2025-001, person P-0002", "category"),
        ("familie F-2025-002", "housing"),
        ("familie F-2025-002, person P-0003", "cpr"),
    ]


# --------------------------------------------------------------------------- CPR


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("010190-0123", date(1990, 1, 1)),  # 7th digit 0-3: 1900s
        ("311299-3999", date(1999, 12, 31)),
        ("010105-2123", date(1905, 1, 1)),
        ("010136-4123", date(2036, 1, 1)),  # 4 or 9 with yy <= 36: 2000s
        ("010137-4123", date(1937, 1, 1)),  # ... else 1900s
        ("010120-9123", date(2020, 1, 1)),
        ("010190-9123", date(1990, 1, 1)),
        ("010157-5123", date(2057, 1, 1)),  # 5-8 with yy <= 57: 2000s
        ("010110-8123", date(2010, 1, 1)),
        ("010158-5123", date(1858, 1, 1)),  # ... else 1800s
        ("290296-8123", date(1896, 2, 29)),
    ],
)
def test_cpr_century_follows_the_seventh_digit(cpr, born):
    doc = {
        "format": "kasse/v1",
        "families": [
            {"ref": "F-1", "members": [{"ref": "P-1", "name": "X", "category": "resident_spouse", "cpr": cpr}]}
        ],
    }
    assert parse_document(doc)[0].members[0].birth_date == born


def test_birth_date_is_derived_from_cpr_and_cpr_is_stored_with_hyphen():
    doc = {
        "format": "kasse/v1",
        "families": [
            {
                "ref": "F-1",
                "members": [
                    {
                        "ref": "P-1",
                        "name": "Hodan Warsame",
                        "category": "family_reunified",
                        "cpr": "1503124321",
                        "takeover_date": "2025-05-01",
                    }
                ],
            }
        ],
    }
    person = parse_document(doc)[0].members[0]
    assert person.birth_date == date(2012, 3, 15)
    assert person.cpr == "150312-4321"


def test_cpr_and_birth_date_must_agree():
    doc = example()
    member(doc)["birth_date"] = "1990-01-02"
    problem = only_problem(doc)
    assert (problem.record, problem.field) == (RECORD, "birth_date")
    assert problem.reason == "1990-01-02 passer ikke med cpr 010190-1234 (som giver 1990-01-01)"


@pytest.mark.parametrize("cpr", ["300290-1234", "010190-123", "01019O-1234", "010190 1234", "٠١٠١٩٠-١٢٣٤"])
def test_malformed_or_impossible_cpr_is_refused(cpr):
    doc = example()
    member(doc)["cpr"] = cpr
    del member(doc)["birth_date"]
    problem = only_problem(doc)
    assert (problem.record, problem.field) == (RECORD, "cpr")
    assert problem.reason.startswith("CPR-nummer")


# --------------------------------------------------------------------------- unique refs


def test_person_refs_are_unique_in_the_whole_document():
    doc = example()
    doc["families"].append({"ref": "F-2025-002", "members": [minimal_member("P-0001")]})
    problem = only_problem(doc)
    assert (problem.record, problem.field) == ("familie F-2025-002, person P-0001", "ref")
    assert problem.reason == f"'P-0001' bruges allerede af {RECORD}"


def test_family_refs_are_unique():
    doc = example()
    doc["families"].append({"ref": "F-2025-001", "members": [minimal_member("P-0009")]})
    problem = only_problem(doc)
    assert (problem.record, problem.field, problem.reason) == (
        "familie F-2025-001",
        "ref",
        "'F-2025-001' bruges allerede af families[0]",
    )


# --------------------------------------------------------------------------- canonical output


def rich_families() -> list[Family]:
    """Two families using every field, written out of ref order."""
    child = Person(
        ref="P-0003",
        name="Sara Haile",
        category=Category.UNACCOMPANIED_MINOR,
        birth_date=date(2009, 2, 28),
        cpr="280209-4118",
        role=Role.APPLICANT,
        nationality="Eritrea",
        takeover_date=date(2025, 6, 1),
        um_decision=UmDecision(date(2026, 1, 5), True),
        goals=(
            Goal(
                Area.SCHOOL_EDUCATION,
                "Gennemføre 9. klasse",
                ("Modtageklasse",),
                (
                    Intervention(
                        "Modtageklasse", "Skole/PPR", date(2025, 8, 11), date(2026, 6, 20), InterventionStatus.DONE
                    ),
                ),
            ),
        ),
    )
    adult = Person(
        ref="P-0001",
        name="Ahmad Al-Hassan",
        category=Category.REFUGEE,
        birth_date=date(1985, 7, 1),
        cpr="010785-1235",
        role=Role.APPLICANT,
        nationality="Syrien",
        takeover_date=date(2024, 2, 1),
        left_date=date(2025, 10, 1),
        left_reason="Selvforsørgende",
        contract=Contract(date(2024, 2, 20), None, "Job som buschauffør", ("Virksomhedspraktik", "Løntilskud")),
        danish=Danish(
            date(2024, 2, 12), "Lær Dansk", Track.DU3, 12.5, date(2024, 2, 1), date(2024, 2, 10), date(2025, 6, 1)
        ),
        health=Health(date(2024, 3, 1), date(2024, 3, 5), date(2024, 3, 15), False, None),
        assessment=Assessment("Ingeniør", "Vejbygning", "Arabisk, engelsk", "Læser og skriver arabisk", None),
    )
    spouse = Person(
        ref="P-0002",
        name="Mette Jensen",
        category=Category.RESIDENT_SPOUSE,
        birth_date=date(1987, 3, 3),
        programme=Programme(ExemptReason.OTHER, None),
    )
    return [
        Family("F-2025-002", (child,), "Børne- og Ungeforvaltningen", None, None),
        Family(
            "F-2024-001",
            (adult, spouse),
            "Jobcenter",
            Housing.PERMANENT,
            date(2024, 9, 1),
            FamilyPlan(date(2024, 4, 1), 3, (FollowUp(date(2024, 7, 1)), FollowUp(date(2024, 10, 2), "OK"))),
        ),
    ]


def test_dump_is_canonical_and_round_trips():
    written = dump_document(rich_families())
    assert dump_document(parse_document(written)) == written
    assert parse_document(written) == sorted(rich_families(), key=lambda family: family.ref)


def test_dump_writes_every_key_in_format_order():
    written = dump_document(rich_families())
    assert list(written) == ["format", "families", "journal", "tasks"]
    assert written["journal"] == written["tasks"] == []  # every key written, an empty list for none
    assert [family["ref"] for family in written["families"]] == ["F-2024-001", "F-2025-002"]
    family = written["families"][1]
    assert list(family) == [
        "ref",
        "coordinating_department",
        "housing",
        "housing_since",
        "plan",
        "checklist",
        "members",
    ]
    assert family["plan"] == {"made_date": None, "followup_months": None, "followups": []}
    person = family["members"][0]
    assert list(person) == list(member(example())) + ["nationality", "assessment"]
    for part in ("contract", "danish", "health"):
        assert list(person[part]) == list(member(example())[part]), part
    assert person["contract"] == {
        "signed_date": None, "goal_kind": None, "goal": None, "activities": [], "followups": [],
    }  # fmt: skip
    assert person["um_decision"] == {"date": "2026-01-05", "offered": True}
    assert written["families"][0]["members"][1]["um_decision"] is None


def test_hours_per_week_written_as_int_when_whole():
    [family] = parse_document(example())
    assert dump_document([family])["families"][0]["members"][0]["danish"]["hours_per_week"] == 18
    assert dump_document(rich_families())["families"][0]["members"][0]["danish"]["hours_per_week"] == 12.5


def test_format_example_round_trips_through_the_canonical_form():
    canonical = dump_document(parse_document(example()))
    again = copy.deepcopy(canonical)
    assert dump_document(parse_document(again)) == canonical


# --------------------------------------------------------------------------- files


def test_write_json_then_load_json_file(tmp_path):
    doc = dump_document(rich_families())
    path = tmp_path / "eksport.json"
    write_json(doc, path)
    text = path.read_text(encoding="utf-8")
    assert "Børne- og Ungeforvaltningen" in text  # not \u-escaped
    assert text.endswith("}\n") and text.startswith('{\n  "format": "kasse/v1",')
    assert load_json_file(path) == doc


def test_write_json_to_standard_output(capsysbinary):
    write_json({"navn": "Sønderborg"}, "-")
    assert capsysbinary.readouterr().out.decode("utf-8") == '{\n  "navn": "Sønderborg"\n}\n'


def test_write_json_into_a_missing_folder(tmp_path):
    with pytest.raises(KasseError, match="findes ikke"):
        write_json({}, tmp_path / "mangler" / "x.json")


def test_load_missing_file(tmp_path):
    with pytest.raises(KasseError, match=r"^Filen .*findes\.json findes ikke$"):
        load_json_file(tmp_path / "findes.json")


def test_load_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{\n"name": "Søren"}'.encode("latin-1"))
    with pytest.raises(KasseError, match="er ikke UTF-8 .*linje 2"):
        load_json_file(path)


def test_load_file_that_is_not_json_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "kasse/v1",\n  "families": [,]\n}\n', encoding="utf-8")
    with pytest.raises(KasseError) as raised:
        load_json_file(path)
    assert raised.value.message.endswith("er ikke gyldig JSON: linje 3, kolonne 16: forventede en værdi")


def test_load_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "excel.json"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"format": "kasse/v1", "families": []}')
    assert parse_document(load_json_file(path)) == []


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"ref": "F-1", "ref": "F-2"}'])
def test_load_refuses_what_json_does_not_allow(tmp_path, text):
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KasseError, match="er ikke gyldig JSON"):
        load_json_file(path)
