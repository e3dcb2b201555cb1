"""Reading a decoded `kasse/v1` document into domain values, checking it completely.

`parse_document` reports every problem at once (record, field, Danish
reason), so a caseworker can fix a whole file in one go.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kasse.dates import age_on, is_adult_on
from kasse.domain import (
    Answer,
    Area,
    Assessment,
    Category,
    ChecklistItem,
    Contract,
    ContractFollowUp,
    ConversationForm,
    Danish,
    ExemptReason,
    Family,
    FamilyPlan,
    FollowUp,
    Goal,
    GoalKind,
    Health,
    Housing,
    Intervention,
    InterventionStatus,
    Person,
    Phase,
    PlanOffer,
    Programme,
    Role,
    Track,
    UmDecision,
)
from kasse.errors import KasseError, problem_list
from kasse.interchange import v1_keys as keys
from kasse.interchange.fields import EMPTY, Fields, Problem, cpr_of
from kasse.interchange.v1_journal import JournalReader
from kasse.interchange.v1_keys import FORMAT
from kasse.journal import JournalNote, Task


class InvalidDocument(KasseError):
    """A document that is not valid kasse/v1; `problems` lists every fault found, in document order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(problem_list(f"Filen er ikke gyldig {FORMAT} ({len(self.problems)} fejl):", self.problems))


@dataclass(frozen=True, slots=True)
class Records:
    """What a kasse/v1 document holds: the families, the journal's notes (oldest first) and the tasks."""

    families: list[Family]
    notes: list[JournalNote]
    tasks: list[Task]


class _Parser:
    """Walks one document, collecting problems and the refs seen so far."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.family_refs: dict[str, str] = {}
        self.person_refs: dict[str, str] = {}
        self.journal = JournalReader(self.problems)

    def document(self, doc: object) -> Records:
        if not isinstance(doc, dict):
            self.problems.append(Problem("dokumentet", "", "skal være et JSON-objekt med 'format' og 'families'"))
            return Records([], [], [])
        fields = Fields(doc, "dokumentet", "", self.problems, keys.DOCUMENT)
        kind = fields.value("format", True)
        if kind is not None and kind != FORMAT:
            shown = f"'{kind}'" if isinstance(kind, str) else _json_kind(kind)
            fields.report("format", f"ukendt format {shown} (forventet '{FORMAT}')")
        families = [self.family(item, f"families[{index}]") for index, item in enumerate(fields.items("families"))]
        notes = [self.journal.note(item, f"journal[{index}]") for index, item in enumerate(fields.items("journal"))]
        tasks = [self.journal.task(item, f"tasks[{index}]") for index, item in enumerate(fields.items("tasks"))]
        return Records(*([value for value in values if value is not None] for values in (families, notes, tasks)))

    def family(self, item: object, path: str) -> Family | None:
        if not isinstance(item, dict):
            self.problems.append(Problem(path, "", "skal være et objekt"))
            return None
        record = _record_name("familie", item.get("ref"), path)
        fields = Fields(item, record, "", self.problems, keys.FAMILY)
        ref = fields.ref()
        self.unique(fields, ref, self.family_refs, path)
        # Read in the document's key order, so problems are listed as a reader meets them.
        department = fields.text("coordinating_department")
        housing, housing_since = fields.enum("housing", Housing), fields.date("housing_since")
        plan = _family_plan(fields.child("plan", keys.PLAN))
        checklist = tuple(_checklist(fields))
        where = f"{record}, members" if record != path else f"{path}.members"
        members = [
            self.person(member, record, f"{where}[{index}]")
            for index, member in enumerate(fields.items("members", required=True))
        ]
        return Family(
            ref=ref,
            members=tuple(member for member in members if member is not None),
            coordinating_department=department,
            housing=housing,
            housing_since=housing_since,
            plan=plan,
            checklist=checklist,
        )

    def person(self, item: object, family_record: str, fallback: str) -> Person | None:
        """One member; `fallback` names the record when it has no ref."""
        if not isinstance(item, dict):
            self.problems.append(Problem(fallback, "", "skal være et objekt"))
            return None
        record = _record_name(f"{family_record}, person", item.get("ref"), fallback)
        fields = Fields(item, record, "", self.problems, keys.PERSON)
        ref = fields.ref()
        self.unique(fields, ref, self.person_refs, record)
        name = fields.text("name", required=True)
        cpr, birth_date = _identity(fields)
        category = fields.enum("category", Category, required=True)
        role = fields.enum("role", Role)
        takeover_date = fields.date("takeover_date")
        if category not in (None, Category.RESIDENT_SPOUSE) and item.get("takeover_date") is None:
            fields.report("takeover_date", "mangler (kræves for alle kategorier undtagen resident_spouse)")
        _check_unaccompanied_minor(fields, category, birth_date, takeover_date)
        return Person(
            ref=ref,
            name=name,
            category=category,
            birth_date=birth_date,
            cpr=cpr,
            role=role,
            takeover_date=takeover_date,
            left_date=fields.date("left_date"),
            left_reason=fields.text("left_reason"),
            programme=_programme(fields.child("programme", keys.PROGRAMME)),
            um_decision=_um_decision(fields.child("um_decision", keys.UM_DECISION)),
            contract=_contract(fields.child("contract", keys.CONTRACT)),
            danish=_danish(fields.child("danish", keys.DANISH)),
            plan_offer=_plan_offer(fields.child("plan_offer", keys.PLAN_OFFER)),
            health=_health(fields.child("health", keys.HEALTH)),
            goals=tuple(_goals(fields)),
            nationality=fields.text("nationality"),
            assessment=_assessment(fields.child("assessment", keys.ASSESSMENT)),
        )

    def unique(self, fields: Fields, ref: str | None, seen: dict[str, str], where: str) -> None:
        """Report `ref` if an earlier record of the document already uses it."""
        if not isinstance(ref, str) or not ref.strip():
            return
        if ref in seen:
            fields.report("ref", f"'{ref}' bruges allerede af {seen[ref]}")
        else:
            seen[ref] = where


def _json_kind(value: object) -> str:
    """A JSON value that is not text, named without writing it out (a list may be megabytes, or nested deep)."""
    if isinstance(value, list):
        return "en liste"
    if isinstance(value, dict):
        return "et objekt"
    return json.dumps(value)


def _record_name(prefix: str, ref: object, fallback: str) -> str:
    return f"{prefix} {ref}" if isinstance(ref, str) and ref.strip() else fallback


def _identity(fields: Fields) -> tuple[str | None, date | None]:
    """The normalised CPR number and the birth date (from CPR when not given); they must agree."""
    raw_cpr = fields.text("cpr")
    birth_date = fields.date("birth_date")
    if raw_cpr is None:
        if fields.obj.get("cpr") is None and fields.obj.get("birth_date") is None:
            fields.report("birth_date", "mangler (og der er intet cpr at udlede den af)")
        return None, birth_date
    parsed = fields.parse("cpr", cpr_of, raw_cpr)
    if parsed is None:
        return None, birth_date
    cpr, cpr_birth = parsed
    if birth_date is not None and birth_date != cpr_birth:
        fields.report(
            "birth_date", f"{birth_date.isoformat()} passer ikke med cpr {cpr} (som giver {cpr_birth.isoformat()})"
        )
    return cpr, cpr_birth


def _check_unaccompanied_minor(
    fields: Fields, category: Category | None, birth_date: date | None, takeover: date | None
) -> None:
    """An unaccompanied minor is under 18 on the takeover date; otherwise the category or a date is wrong."""
    if category is not Category.UNACCOMPANIED_MINOR or birth_date is None or takeover is None:
        return
    if is_adult_on(birth_date, takeover):
        age = age_on(birth_date, takeover)
        fields.report(
            "category",
            f"en uledsaget mindreårig er under 18 år på takeover_date, men personen er {age} år den "
            f"{takeover.isoformat()} - ret category, birth_date (cpr) eller takeover_date",
        )


def _family_plan(fields: Fields | None) -> FamilyPlan:
    if fields is None:
        return FamilyPlan()
    made_date, months = fields.date("made_date"), fields.months("followup_months")
    followups = []
    for index, item in enumerate(fields.items("followups")):
        followup = fields.nested(item, f"followups[{index}]", keys.FOLLOWUP)
        if followup is not None:
            followups.append(FollowUp(date=followup.date("date", required=True), note=followup.text("note")))
    return FamilyPlan(made_date=made_date, followup_months=months, followups=tuple(followups))


def _checklist(fields: Fields) -> Iterable[ChecklistItem]:
    for index, item in enumerate(fields.items("checklist")):
        entry = fields.nested(item, f"checklist[{index}]", keys.CHECKLIST)
        if entry is not None:
            yield ChecklistItem(
                phase=entry.enum("phase", Phase, required=True),
                task=entry.text("task", required=True),
                done_date=entry.date("done_date"),
            )


def _programme(fields: Fields | None) -> Programme:
    fields = fields or EMPTY
    return Programme(exempt_reason=fields.enum("exempt_reason", ExemptReason), start_date=fields.date("start_date"))


def _um_decision(fields: Fields | None) -> UmDecision | None:
    if fields is None:
        return None
    return UmDecision(date=fields.date("date", required=True), offered=fields.boolean("offered", required=True))


def _contract(fields: Fields | None) -> Contract:
    fields = fields or EMPTY
    return Contract(
        signed_date=fields.date("signed_date"),
        goal_kind=fields.enum("goal_kind", GoalKind),
        goal=fields.text("goal"),
        activities=fields.texts("activities"),
        followups=tuple(_contract_followups(fields)),
    )


def _contract_followups(fields: Fields) -> Iterable[ContractFollowUp]:
    for index, item in enumerate(fields.items("followups")):
        entry = fields.nested(item, f"followups[{index}]", keys.CONTRACT_FOLLOWUP)
        if entry is not None:
            yield ContractFollowUp(
                date=entry.date("date", required=True),
                form=entry.enum("form", ConversationForm),
                note=entry.text("note"),
            )


def _danish(fields: Fields | None) -> Danish:
    fields = fields or EMPTY
    danish = Danish(
        referral_date=fields.date("referral_date"),
        start_date=fields.date("start_date"),
        provider=fields.text("provider"),
        track=fields.enum("track", Track),
        hours_per_week=fields.number("hours_per_week"),
        paused_from=fields.date("paused_from"),
        paused_to=fields.date("paused_to"),
        passed_date=fields.date("passed_date"),
    )
    if danish.paused_to is not None:
        if danish.paused_from is None and fields.obj.get("paused_from") is None:
            fields.report("paused_to", f"er angivet uden {fields.path}paused_from")
        elif danish.paused_from is not None and danish.paused_to < danish.paused_from:
            fields.report("paused_to", f"{danish.paused_to.isoformat()} ligger før {fields.path}paused_from")
    return danish


def _plan_offer(fields: Fields | None) -> PlanOffer:
    fields = fields or EMPTY
    return PlanOffer(offered_date=fields.date("offered_date"), answer=fields.enum("answer", Answer))


def _health(fields: Fields | None) -> Health:
    fields = fields or EMPTY
    health = Health(
        need=fields.boolean("need"),
        need_date=fields.date("need_date"),
        offered_date=fields.date("offered_date"),
        declined_date=fields.date("declined_date"),
        guidance_date=fields.date("guidance_date"),
        consent=fields.boolean("consent"),
        result_received_date=fields.date("result_received_date"),
    )
    # The assessment is one fact: whether there is a need, and when that was assessed.
    for key, other in (("need", "need_date"), ("need_date", "need")):
        if fields.obj.get(key) is not None and fields.obj.get(other) is None:
            fields.report(key, f"er angivet uden {fields.path}{other}")
    return health


def _assessment(fields: Fields | None) -> Assessment:
    fields = fields or EMPTY
    return Assessment(**{key: fields.text(key) for key in keys.ASSESSMENT})


def _goals(fields: Fields) -> Iterable[Goal]:
    for index, item in enumerate(fields.items("goals")):
        goal = fields.nested(item, f"goals[{index}]", keys.GOAL)
        if goal is not None:
            yield Goal(
                area=goal.enum("area", Area, required=True),
                goal=goal.text("goal", required=True),
                subgoals=goal.texts("subgoals"),
                interventions=tuple(_interventions(goal)),
            )


def _interventions(fields: Fields) -> Iterable[Intervention]:
    for index, item in enumerate(fields.items("interventions")):
        entry = fields.nested(item, f"interventions[{index}]", keys.INTERVENTION)
        if entry is None:
            continue
        start, end = entry.date("start"), entry.date("end")
        if start is not None and end is not None and end < start:
            entry.report("end", f"{end.isoformat()} ligger før start {start.isoformat()}")
        yield Intervention(
            title=entry.text("title", required=True),
            department=entry.text("department"),
            start=start,
            end=end,
            status=entry.enum("status", InterventionStatus) or InterventionStatus.PLANNED,
        )


def parse_records(doc: object) -> Records:
    """The families, notes and tasks of a decoded kasse/v1 document, in document order.

    Raises InvalidDocument listing every problem found (not just the first).
    Absent optional keys and null mean "not recorded"; `birth_date` is filled
    from `cpr` when absent, and `cpr` is normalised to DDMMYY-SSSS. What the
    notes and tasks name is checked against the database by the import
    (`v1_journal.unknown_refs`).
    """
    parser = _Parser()
    records = parser.document(doc)
    if parser.problems:
        raise InvalidDocument(parser.problems)
    return records


def parse_document(doc: object) -> list[Family]:
    """The families of a decoded kasse/v1 document, in document order; every part checked (`parse_records`)."""
    return parse_records(doc).families
