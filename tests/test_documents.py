"""Printed documents (kasse/documents): the contract, the plan and the deadline overview as PDF, for every demo
family and for hostile text, read back with pypdf; and `kasse print` writing them where it says."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pypdf
import pytest
import typer
from typer.testing import CliRunner

from kasse import words
from kasse.cli import print_commands
from kasse.config import Config
from kasse.demo import demo_families
from kasse.documents import Document, document_pdf
from kasse.documents.content import PLAN_BASIS, document_content, family_ruleset
from kasse.domain import Area, Category, Contract, ContractFollowUp, Family, Goal, Intervention, Role
from kasse.errors import KasseError
from kasse.law import Ruleset
from kasse.policy import DEFAULT_POLICY
from kasse.rules import contract_applies, family_deadlines
from tests.cli_helpers import run_kasse
from tests.factories import d, person

TODAY = d("2026-11-23")
CONFIG = Config(municipality="Varde Kommune", user="Anna Holm")
A4_WIDTH_PT = 595.28


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with every run of whitespace as one space (a long name wraps over lines)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def flat(text: str) -> str:
    return " ".join(text.split())


def printable_contract(person, today: date) -> bool:
    return person.is_covered and (contract_applies(person, today) or person.contract.signed_date is not None)


DEMO = demo_families(12, seed=3, today=TODAY)


@pytest.mark.parametrize("family", DEMO, ids=[family.ref for family in DEMO])
def test_every_document_renders_for_every_demo_family_with_names_goals_and_basis(family: Family):
    plan = pdf_text(document_pdf(Document.PLAN, family, None, today=TODAY, config=CONFIG))
    assert flat(PLAN_BASIS[family_ruleset(family, DEFAULT_POLICY)]) in plan
    assert "Varde Kommune" in plan and "Udskrevet 23-11-2026" in plan
    for member in family.members:
        assert flat(member.name) in plan
        for goal in member.goals:
            assert flat(goal.goal) in plan

    overview = pdf_text(document_pdf(Document.DEADLINES, family, None, today=TODAY, config=CONFIG))
    for deadline in family_deadlines(family, today=TODAY):
        assert words.legal_basis(deadline.basis, deadline.ruleset) in overview
        assert flat(deadline.name) in overview

    for member in family.members:
        if printable_contract(member, TODAY):
            contract = pdf_text(document_pdf(Document.CONTRACT, family, member, today=TODAY, config=CONFIG))
            assert flat(member.name) in contract
            assert flat(member.contract.goal or "Ikke fastsat") in contract
            assert "integrationsloven § 19" in contract
            assert "Anna Holm" in contract  # the caseworker's signature line


def test_the_demo_prints_contracts_under_both_rulesets_and_plans_with_goals():
    """The checks above are not empty: the demo has contracts under both laws, goals and deadlines to print."""
    rulesets = {family_ruleset(family, DEFAULT_POLICY) for family in DEMO}
    assert rulesets == {Ruleset.LAW_2015, Ruleset.LAW_2016}
    members = [member for family in DEMO for member in family.members]
    assert sum(printable_contract(member, TODAY) for member in members) >= 10
    assert sum(bool(member.contract.goal) for member in members) >= 5
    assert sum(len(member.goals) for member in members) >= 5


def test_the_2016_contract_names_the_follow_up_conversations_and_their_basis():
    talks = tuple(ContractFollowUp(d(day)) for day in ("2026-03-01", "2026-04-01", "2026-12-01"))
    citizen = person("P-1", name="Amal Haddad", takeover="2026-01-10",
                     contract=Contract(d("2026-02-01"), goal="Job som buschauffør", activities=("Praktik",),
                                       followups=talks))
    content = document_content(Document.CONTRACT, Family("F-1", (citizen,)), citizen, today=TODAY)
    assert content["title"] == "Kontrakt"
    assert content["conversations"]["status"].startswith("2 af 4 samtaler afholdt - mindst 4 inden 01-08-2026")
    assert [row[0] for row in content["conversations"]["rows"]] == ["01-03-2026", "01-04-2026",
                                                                    "planlagt 01-12-2026"]
    text = pdf_text(document_pdf(Document.CONTRACT, Family("F-1", (citizen,)), citizen, today=TODAY, config=CONFIG))
    assert "integrationsloven § 20, stk. 1" in text and "planlagt 01-12-2026" in text and "Praktik" in text


def test_no_contract_for_a_resident_spouse_or_a_child_without_one():
    spouse = person("P-2", category=Category.RESIDENT_SPOUSE, takeover=None, role=Role.SPOUSE)
    child = person("P-3", born="2020-05-05", role=Role.CHILD)
    family = Family("F-1", (spouse, child))
    with pytest.raises(KasseError, match="ikke omfattet"):
        document_content(Document.CONTRACT, family, spouse, today=TODAY)
    with pytest.raises(KasseError, match="Der skal ikke indgås kontrakt"):
        document_content(Document.CONTRACT, family, child, today=TODAY)
    with pytest.raises(KasseError, match="personlig"):
        document_content(Document.CONTRACT, family, None, today=TODAY)


# Hostile text and what must be found in the PDF's text (None: the text itself). Emoji have no glyph in the
# embedded fonts and a PDF reader gives Arabic words in visual order: their words are looked for, not the whole.
HOSTILE = {
    "typst code": ('#set page(width: 1cm) #panic("evaluated") #include "/etc/passwd"', None),
    "markup": ("*bold* _em_ $x^2$ <label> @ref `raw` #\"str\" // not a comment /* nor this", None),
    "structure": ("= Heading\n- item\n+ enum\n]) } { [ #let x =", None),
    "500-char name": ("Ahmad Mohammad " * 33 + "Al-Hassan" + "x" * 5, None),
    "500 letters unbroken": ("A" * 500, None),
    "emoji": ("Amal 😀 👨‍👩‍👧 ✅ Haddad", ["Amal", "Haddad"]),
    "arabic": ("محمد الحسن", ["محمد", "الحسن"]),
    "controls": ("Tab\there \x1b[31m bell\x07 end", ["Tab", "here", "end"]),
}


def hostile_family(text: str) -> tuple[Family, object]:
    family = DEMO[0]
    first = family.members[0]
    first = replace(
        first, name=text, nationality=text,
        contract=replace(first.contract, goal=text, activities=(text,),
                         followups=(ContractFollowUp(d("2026-01-05"), None, text),)),
        goals=(Goal(Area.SOCIAL_HEALTH, text, (text,), (Intervention(text, text),)),),
    )  # fmt: skip
    return replace(family, members=(first, *family.members[1:]), coordinating_department=text), first


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("kind", list(Document))
def test_hostile_text_prints_literally_and_never_as_markup(kind, case):
    text, probes = HOSTILE[case]
    family, first = hostile_family(text)
    config = Config(municipality="#set text(size: 40pt) Kommune", user="$user$ *x*")
    pdf = document_pdf(kind, family, first if kind is Document.CONTRACT else None, today=TODAY, config=config)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert all(abs(float(page.mediabox.width) - A4_WIDTH_PT) < 1 for page in reader.pages)  # no `#set page`
    found = pdf_text(pdf)
    unbroken = "".join(found.split())  # a word wider than its column wraps between its letters
    for probe in probes or [flat(text)]:
        assert probe in found or (" " not in probe and probe in unbroken)
    assert "#set text(size: 40pt) Kommune" in found


def test_one_document_renders_in_well_under_half_a_second():
    import time

    document_pdf(Document.PLAN, DEMO[0], None, today=TODAY, config=CONFIG)  # the first loads Typst and its fonts
    started = time.perf_counter()
    document_pdf(Document.PLAN, DEMO[0], None, today=TODAY, config=CONFIG)
    assert time.perf_counter() - started < 0.5


def test_typst_is_not_imported_by_a_lookup_nor_by_the_documents_content():
    probe = (
        "import sys\n"
        "import kasse.cli.main, kasse.documents.content, kasse.documents.files\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'typst', 'pypdf'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# -- kasse print: in-process through its own Typer group until cli/main.py registers it ---------------------


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home of its own: the documents folder is $HOME/Documents (no user-dirs.dirs), the config absent."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("KASSE_CONFIG", str(tmp_path / "no-kasse.toml"))
    return tmp_path / "home"


def invoke_print(*args: str):
    app = typer.Typer()
    app.add_typer(print_commands.print_, name="print")
    app.command("unused")(lambda: None)  # two entries: `print` stays a subcommand
    return CliRunner().invoke(app, ["print", *args])


def test_print_writes_to_the_documents_folder_and_says_where(demo_db, home):
    result = invoke_print("contract", "P-0020", "--today", "2026-11-23", "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    target = home / "Documents" / "kontrakt-P-0020-2026-11-23.pdf"
    assert f"Kontrakten er skrevet til {target}" in result.output
    assert "municipality" in result.output  # no municipality configured: the hint how
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # CPR numbers: the owner's alone
    assert "integrationsloven § 19" in pdf_text(target.read_bytes())


def test_print_plan_and_deadlines_of_a_persons_family_to_a_named_file(demo_db, home, tmp_path):
    for kind, heading in (("plan", "Integrationsplan"), ("deadlines", "Fristoversigt")):
        target = tmp_path / f"{kind}.pdf"
        result = invoke_print(kind, "P-0021", "-o", str(target), "--today", "2026-11-23", "--db", str(demo_db))
        assert result.exit_code == 0, result.output
        assert str(target) in result.output
        assert heading in pdf_text(target.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["contract", "F-2014-001"], "Kontrakten er personlig"),
        (["plan", "F-404"], "Ingen familie eller person har ref 'F-404'"),
        (["plan", "F-2014-001", "-o", "plan.txt"], "skal ende på .pdf"),
    ],
)
def test_print_refuses_in_danish(demo_db, home, args, message):
    result = invoke_print(*args, "--db", str(demo_db))
    assert isinstance(result.exception, KasseError)
    assert message in result.exception.message
    assert not (home / "Documents").exists()


# -- the real CLI ---------------------------------------------------------------------------------------------


def test_kasse_print_as_a_user_runs_it(demo_db, tmp_path):
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / ".config")}
    result = run_kasse("print", "plan", "F-2014-001", "--today", "2026-11-23", db=demo_db, env=env)
    assert result.code == 0, result.err
    written = tmp_path / "Documents" / "plan-F-2014-001-2026-11-23.pdf"
    assert str(written) in result.out and written.read_bytes().startswith(b"%PDF")
    refused = run_kasse("print", "contract", "F-2014-001", db=demo_db, env=env)
    assert refused.code == 1 and refused.err.startswith("Fejl: Kontrakten er personlig")
    assert len(refused.err.strip().splitlines()) == 1


def test_kasse_print_help_is_danish():
    result = run_kasse("print", "--help")
    assert result.code == 0 and "Brug: kasse print" in result.out and "contract" in result.out
    assert os.linesep.join(result.out.splitlines()).count("Kommandoer") == 1
