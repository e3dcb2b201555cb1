"""An export writes a regular file or nothing: a link, device or pipe at the target is refused, not replaced."""

from __future__ import annotations

import os
import sqlite3

import pytest

from kasse.data.db import _inspect
from kasse.errors import KasseError
from kasse.interchange.textfile import replace_file
from tests.cli_helpers import run_kasse


def test_a_symlink_at_the_target_is_refused_and_left_alone(tmp_path):
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("keep me", encoding="utf-8")
    link = tmp_path / "export.csv"
    link.symlink_to(elsewhere)

    with pytest.raises(KasseError, match="ikke en almindelig fil"):
        replace_file(link, b"caseload")

    assert link.is_symlink() and elsewhere.read_text(encoding="utf-8") == "keep me"


def test_a_pipe_at_the_target_is_refused_through_the_cli(tmp_path):
    pipe = tmp_path / "export.json"
    os.mkfifo(pipe)
    assert run_kasse("init", db=tmp_path / "kasse.db").code == 0

    done = run_kasse("export", str(pipe), db=tmp_path / "kasse.db")

    assert done.code == 1 and "ikke en almindelig fil" in done.err
    assert pipe.is_fifo()


def test_a_regular_file_is_replaced_whole(tmp_path):
    target = tmp_path / "export.csv"
    target.write_bytes(b"old")
    replace_file(target, b"new")
    assert target.read_bytes() == b"new" and [path.name for path in tmp_path.iterdir()] == ["export.csv"]


def test_only_a_file_that_is_not_a_database_is_called_not_a_kasse_database(tmp_path, monkeypatch):
    foreign = tmp_path / "notes.db"
    foreign.write_bytes(b"plain text, not SQLite" * 200)
    with pytest.raises(KasseError, match="ikke en kasse-database"):
        _inspect(foreign)

    class FullDisk:
        def execute(self, *_args):
            error = sqlite3.OperationalError("disk I/O error")
            error.sqlite_errorcode = sqlite3.SQLITE_IOERR
            raise error

        def close(self):
            pass

    monkeypatch.setattr(sqlite3, "connect", lambda *_args, **_kwargs: FullDisk())
    with pytest.raises(sqlite3.OperationalError):  # left to the error boundary, which names the real cause
        _inspect(tmp_path / "kasse.db")
