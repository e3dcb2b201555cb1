"""A refused import says where the problem is, not whose: a CPR number in a misplaced value is hidden on screen."""

from __future__ import annotations

import json

from kasse.domain import Family
from kasse.errors import CPR_HIDDEN, hide_cpr, problem_list
from kasse.interchange.v1 import dump_document
from tests.cli_helpers import run_kasse
from tests.factories import person


def test_cpr_shaped_numbers_are_hidden_and_nothing_else():
    assert hide_cpr("ukendt kategori '081183-3344' og 0811833344") == f"ukendt kategori '{CPR_HIDDEN}' og {CPR_HIDDEN}"
    assert hide_cpr("kasse-20261125T043844Z-auto.db, 2026-11-25, P-0020, 12345678") == (
        "kasse-20261125T043844Z-auto.db, 2026-11-25, P-0020, 12345678")
    assert "081183" not in problem_list("Fejl:", ["familie F-1, person P-1, category: ukendt '081183-3344'"])


def test_a_shifted_column_with_a_cpr_number_is_refused_without_showing_it(tmp_path):
    doc = dump_document([Family(ref="F-1", members=(person("P-1"),))])
    doc["families"][0]["members"][0]["category"] = "081183-3344"
    doc["families"][0]["members"][0]["birth_date"] = "Ifrah 091183-3344"
    source = tmp_path / "sager.json"
    source.write_text(json.dumps(doc), encoding="utf-8")

    done = run_kasse("import", str(source), db=tmp_path / "kasse.db")

    assert done.code == 1
    assert "category" in done.err and "birth_date" in done.err
    assert "3344" not in done.err + done.out
