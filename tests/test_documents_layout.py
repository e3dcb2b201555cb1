"""How the printed documents lay out what a user typed: long names wrap inside their own column (never over the next
column or off the page), bidi controls cannot turn a name around, and a second print of the day gets a new name."""

from __future__ import annotations

import io
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from itertools import pairwise

import pypdf
import pytest

from kasse.documents import Document, document_pdf, print_document
from kasse.documents.content import without_bidi_controls
from kasse.documents.files import default_target
from kasse.errors import KasseError
from kasse.rules import family_deadlines
from tests.test_documents import CONFIG, DEMO, TODAY, hostile_family

LONG_NAME = "Mohammed Abdirahman Abdullahi Hassan-Warsame Osman"  # 50 characters, a real name's length
PAGE_WIDTH_PT = 595.28
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def renamed(name: str):
    """DEMO[0] with its first member called `name`: the family and that member."""
    family = DEMO[0]
    first = replace(family.members[0], name=name)
    return replace(family, members=(first, *family.members[1:])), first


def lines(pdf: bytes) -> list[str]:
    """The PDF's text line by line, as a reader gets it out."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]


def text_starts(pdf: bytes) -> dict[str, float]:
    """Where each run of text on the first page starts (points from the left), by its text."""
    starts: dict[str, float] = {}

    def visit(text, matrix, text_matrix, font, size):
        if text.strip():
            starts.setdefault(text.strip(), matrix[4] + text_matrix[4])

    pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return starts


def document(kind: Document, family, person) -> bytes:
    return document_pdf(kind, family, person if kind is Document.CONTRACT else None, today=TODAY, config=CONFIG)


# -- columns --------------------------------------------------------------------------------------------------


def test_a_long_name_wraps_in_its_own_column_and_the_deadline_titles_stay_whole():
    family, first = renamed(LONG_NAME)
    pdf = document(Document.DEADLINES, family, first)
    text = lines(pdf)
    assert "Forfald Frist Borger Status Opfyldt Hjemmel" in text  # the headings apart, not "FristBorger"
    for deadline in family_deadlines(family, today=TODAY):
        if deadline.person == first.ref and len(deadline.title) <= 28:  # a title that fits its column
            row = f"{deadline.title} {LONG_NAME.split()[0]}"
            assert any(row in line for line in text), f"{deadline.title!r} broken up or overprinted"
    starts = text_starts(pdf)
    assert starts["Borger"] - starts["Frist"] > 110  # the title column keeps room for "Integrationskontrakt ..."
    assert starts["Status"] > starts["Borger"]


def longest_run_of(letter: str, pdf: bytes) -> int:
    return max((len(run) for line in lines(pdf) for run in re.findall(f"{letter}+", line)), default=0)


@pytest.mark.parametrize("kind", list(Document))
def test_a_name_of_500_letters_without_a_space_wraps_inside_the_page(kind):
    """A line of the page holds some 60 capital letters; before, the whole name ran on as one line off the page."""
    family, first = hostile_family("W" * 500)
    pdf = document(kind, family, first)
    assert longest_run_of("W", pdf) < 80
    assert "".join("".join(lines(pdf)).split()).count("W" * 500) >= 1  # every letter is there, in order


HEADINGS = {
    Document.DEADLINES: [("Forfald", "Frist", "Borger", "Status", "Opfyldt", "Hjemmel"),
                         ("Ref", "Navn", "Kategori", "Overtaget", "Regler")],
    Document.CONTRACT: [("Forfald", "Frist", "Status", "Opfyldt", "Hjemmel"), ("Dato", "Form", "Note")],
    Document.PLAN: [("Indsats", "Ansvarlig forvaltning", "Start", "Slut", "Status"), ("Dato", "Note")],
}


def column_starts(pdf: bytes, headings: tuple[str, ...]) -> list[list[float]]:
    """Where each column of every table with these headings starts, one list per table (page) found."""
    found = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        runs: list[tuple[str, float, float]] = []

        def visit(text, matrix, *_, runs=runs):
            if text.strip():
                runs.append((text.strip(), matrix[4], round(matrix[5], 1)))

        page.extract_text(visitor_text=visit)
        for line in {y for text, _, y in runs if text == headings[0]}:
            starts = {text: x for text, x, y in runs if y == line}
            if all(heading in starts for heading in headings):
                found.append([starts[heading] for heading in headings])
    return found


def assert_columns_apart(pdf: bytes, tables: list[tuple[str, ...]]) -> None:
    """Each table is found and each of its columns starts at least 20 pt after the one before: none squeezed to
    nothing, no text printed over its neighbour's."""
    for headings in tables:
        found = column_starts(pdf, headings)
        assert found, headings
        for starts in found:
            assert min(right - left for left, right in pairwise(starts)) >= 20, (headings, starts)


@pytest.mark.parametrize("name", [LONG_NAME, "Ahmad Mohammad " * 33 + "Al-Hassan"], ids=["50", "500"])
@pytest.mark.parametrize("kind", list(Document))
def test_no_column_is_squeezed_to_nothing_by_a_long_name(kind, name):
    """Every column keeps a width to be read in (before, "Frist" and "Indsats" shrank to nothing beside the name)
    and no text starts off the page."""
    family, first = hostile_family(name)
    pdf = document(kind, family, first)
    assert_columns_apart(pdf, HEADINGS[kind])
    assert max(text_starts(pdf).values()) < PAGE_WIDTH_PT - 60


# -- bidi controls --------------------------------------------------------------------------------------------


def test_bidi_controls_are_taken_out_of_every_value_and_nothing_else():
    data = {"title": "Kontrakt", "rows": [["\u202eevil", "a\u2067b\u2069c"], ["\u200fمحمد\u061c الحسن"]],
            "nested": {"name": "\u202dx\u202c\u200e", "count": 3}}
    assert without_bidi_controls(data) == {"title": "Kontrakt", "rows": [["evil", "abc"], ["محمد الحسن"]],
                                           "nested": {"name": "x", "count": 3}}


@pytest.mark.parametrize("kind", list(Document))
def test_a_name_with_a_right_to_left_override_prints_as_typed(kind):
    family, first = hostile_family("\u202eevil \u2067Omar\u2069 \u202bمحمد الحسن\u202c")
    pdf = document(kind, family, first)
    text = "\n".join(lines(pdf))
    assert "evil" in text and "live" not in text
    assert "Omar" in text and "ramO" not in text
    assert "محمد" in text and "الحسن" in text  # Arabic still prints, right to left on its own
    assert not set(BIDI_CONTROLS) & set(text)


# -- file names -----------------------------------------------------------------------------------------------


@pytest.fixture
def documents(tmp_path, monkeypatch):
    """The user's documents folder (platformdirs reads $XDG_DOCUMENTS_DIR), not made yet."""
    folder = tmp_path / "Dokumenter"
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(folder))
    return folder


def print_contract(target=None):
    family = DEMO[0]
    return print_document(Document.CONTRACT, family, family.members[0], today=TODAY, config=CONFIG, target=target)


def test_a_second_print_of_the_day_gets_a_new_name_and_the_first_is_kept(documents):
    first = print_contract()
    kept = first.read_bytes()
    second = print_contract()
    third = print_contract()
    name = f"kontrakt-{DEMO[0].members[0].ref}-{TODAY.isoformat()}"
    assert [first.name, second.name, third.name] == [f"{name}.pdf", f"{name}-2.pdf", f"{name}-3.pdf"]
    assert first.read_bytes() == kept
    assert all(path.read_bytes().startswith(b"%PDF") for path in (first, second, third))
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in (first, second, third))


def test_a_named_file_is_overwritten_as_asked(documents, tmp_path):
    target = tmp_path / "kontrakt.pdf"
    target.write_bytes(b"old")
    assert print_contract(target) == target
    assert target.read_bytes().startswith(b"%PDF")
    assert [path.name for path in tmp_path.iterdir() if path.suffix == ".pdf"] == ["kontrakt.pdf"]


def test_prints_at_the_same_time_never_get_the_same_name(documents):
    family = DEMO[0]
    with ThreadPoolExecutor(8) as pool:
        taken = list(pool.map(lambda _: default_target(Document.PLAN, family, None, TODAY), range(8)))
    assert len(set(taken)) == 8
    assert sorted(path.name for path in documents.iterdir()) == sorted(path.name for path in taken)


def test_a_print_that_cannot_be_written_leaves_no_empty_file(documents, monkeypatch):
    def refuse(target, data):
        raise KasseError("disken er fuld")

    monkeypatch.setattr("kasse.interchange.textfile.replace_file", refuse)
    with pytest.raises(KasseError, match="disken er fuld"):
        print_contract()
    assert list(documents.iterdir()) == []


def test_the_subject_access_tables_keep_every_column_beside_long_names():
    from kasse.documents.render import render_template

    who, long = LONG_NAME, "Ahmad Mohammad " * 10 + "W" * 80
    content = {
        "title": "Indsigt i egne oplysninger", "municipality": "Varde Kommune", "printed": "23-11-2026",
        "caseworker": who, "summary": f"{long} (P-1)", "intro": "Her er alle oplysningerne.",
        "person": [["Navn", long]], "family": [["Koordinerende forvaltning", long]],
        "deadlines": [["30-07-2014", "Integrationskontrakt indgået", "Opfyldt", "18-07-2014",
                       "integrationsloven § 16 (planlægges for 1 år)"]],
        "tasks": [["01-12-2026", long, "", who]],
        "journal": [["23-11-2026 10:00", "Samtale", who, long]],
        "audit": [["23-11-2026 10:00", who, "Kontrakt · Opfølgninger · Note", long, long]],
        "access": [["23-11-2026 10:00", who, "kasse export subject-access", f"Person {long}"]],
    }  # fmt: skip
    pdf = render_template("subject_access", content)
    assert_columns_apart(pdf, [("Forfald", "Frist", "Status", "Opfyldt", "Hjemmel"), ("Forfald", "Opgave", "Udført"),
                               ("Tidspunkt", "Type", "Skrevet af", "Notat"),
                               ("Tidspunkt", "Af", "Oplysning", "Før", "Efter"), ("Tidspunkt", "Bruger", "Hvordan", "Hvad")])
    assert longest_run_of("W", pdf) < 80
