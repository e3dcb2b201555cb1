"""Fixtures for the data layer's tests: a real database file in tmp_path, a store, a richly filled family."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

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

AUDIT_NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)


@pytest.fixture(scope="session", autouse=True)
def data_folder_of_the_tests(tmp_path_factory):
    """The user's data folder is the tests' own: crash reports and default files never land in the real one.

    And the `kasse` processes the CLI tests start keep their bytecode (__pycache__, ignored by git), as an
    installed kasse has it: where PYTHONDONTWRITEBYTECODE is set (CI), each would compile kasse anew - about
    0.4 s a process, minutes over the suite."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
        patch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        yield


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """12 demo families made by `kasse demo` as of 2026-11-23, shared by a module's CLI tests (read only)."""
    from tests.cli_helpers import run_kasse

    db = tmp_path_factory.mktemp("demo") / "kasse.db"
    result = run_kasse("demo", "--no-open", "--families", "12", "--seed", "3", "--today", "2026-11-23", db=db)
    assert result.code == 0, result.err
    return db


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kasse.db"


@pytest.fixture
def database(db_path: Path):
    from kasse.data.db import open_database
    from tests.databases import new_database_file

    opened = open_database(new_database_file(db_path), clock=lambda: AUDIT_NOW)
    yield opened
    opened.close()


@pytest.fixture
def store(database):
    from kasse.data.store import Store

    return Store(database, actor="tester", clock=lambda: AUDIT_NOW)


@pytest.fixture
def rich_family() -> Family:
    """A family where every field of every value is recorded and differs from its default."""
    return Family(
        ref="F-2025-001",
        coordinating_department="Jobcenter",
        housing=Housing.PERMANENT,
        housing_since=date(2025, 1, 10),
        plan=FamilyPlan(
            made_date=date(2025, 3, 1),
            followup_months=6,
            followups=(FollowUp(date(2025, 9, 1), "Alle mål gennemgået"), FollowUp(date(2026, 2, 27))),
        ),
        checklist=(
            ChecklistItem(Phase.ARRIVAL, "Bolig klar", date(2025, 1, 10)),
            ChecklistItem(Phase.RECEPTION, "Lægebesøg"),
        ),
        members=(
            Person(
                ref="P-0002",  # refs out of order: members keep the order they were saved in
                name="Æsa Ødegård",
                category=Category.REFUGEE,
                birth_date=date(1990, 1, 1),
                cpr="010190-1234",
                role=Role.APPLICANT,
                nationality="Syrien",
                takeover_date=date(2025, 1, 10),
                left_date=date(2026, 6, 30),
                left_reason="Selvforsørgende",
                programme=Programme(ExemptReason.TRAUMA, date(2025, 2, 1)),
                um_decision=UmDecision(date(2025, 3, 3), False),
                contract=Contract(
                    date(2025, 2, 5),
                    GoalKind.EDUCATION,
                    "Uddannelse som SOSU-hjælper",
                    ("Praktik", "Mentor"),
                    (
                        ContractFollowUp(date(2025, 3, 4), ConversationForm.MEETING, "Praktik aftalt"),
                        ContractFollowUp(date(2025, 4, 2), ConversationForm.PHONE),
                        ContractFollowUp(date(2025, 3, 20)),  # out of order: the list keeps its order
                    ),
                ),
                danish=Danish(
                    date(2025, 2, 3),
                    "Lær Dansk",
                    Track.DU3,
                    17.5,
                    date(2025, 4, 1),
                    date(2025, 5, 1),
                    date(2026, 1, 15),
                    date(2025, 1, 20),
                ),
                plan_offer=PlanOffer(date(2025, 3, 1), Answer.DECLINED),
                health=Health(
                    date(2025, 2, 20),
                    date(2025, 2, 25),
                    date(2025, 3, 5),
                    False,
                    date(2025, 4, 2),
                    True,
                    date(2025, 1, 25),
                ),
                assessment=Assessment(
                    "Gymnasium", "Bager i 5 år", "arabisk, engelsk", "Læser latinske bogstaver", "Ryg"
                ),
                goals=(
                    Goal(
                        Area.DANISH_EMPLOYMENT,
                        "Bestå Prøve i Dansk 2",
                        ("Modul 3 inden sommer", "Modul 4 inden jul"),
                        (
                            Intervention(
                                "Danskuddannelse 18 t/uge",
                                "Jobcenter",
                                date(2025, 2, 3),
                                None,
                                InterventionStatus.ACTIVE,
                            ),
                            Intervention(
                                "Sprogpraktik", "Jobcenter", date(2025, 5, 1), date(2025, 8, 1), InterventionStatus.DONE
                            ),
                        ),
                    ),
                    Goal(Area.ACTIVE_CITIZENSHIP, "Frivillig i idrætsforening"),
                ),
            ),
            Person(
                ref="P-0001",
                name="Ömer Ødegård",
                category=Category.UNACCOMPANIED_MINOR,
                birth_date=date(2009, 2, 28),
                role=Role.CHILD,
                takeover_date=date(2025, 1, 10),
                um_decision=UmDecision(date(2025, 4, 1), True),
                danish=Danish(hours_per_week=20),
                health=Health(consent=True, need=False, need_date=date(2025, 2, 1)),
                goals=(
                    Goal(
                        Area.SCHOOL_EDUCATION,
                        "Start i 8. klasse",
                        interventions=(Intervention("Modtageklasse", "Skole/PPR", status=InterventionStatus.PLANNED),),
                    ),
                ),
            ),
        ),
    )
