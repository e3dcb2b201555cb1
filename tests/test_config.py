"""kasse.toml, $KASSE_RULES and --rules: the ruleset and local policy in force, and bad settings refused by name."""

import json
import tomllib
from pathlib import Path

import pytest

from kasse.config import ConfigError, default_config_text, load_config
from kasse.domain import ChecklistItem, Phase
from kasse.interchange.v1 import dump_document
from kasse.law import RulesChoice
from kasse.policy import DEFAULT_POLICY, Policy
from kasse.tui.app import key_problems
from tests.cli_helpers import run_kasse
from tests.factories import family, person

TODAY = "2025-03-01"


@pytest.fixture
def config_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "kasse.toml"
    monkeypatch.setenv("KASSE_CONFIG", str(path))
    monkeypatch.delenv("KASSE_RULES", raising=False)
    return path


@pytest.fixture(scope="module")
def caseload_db(tmp_path_factory) -> Path:
    """One refugee taken over 2025-01-10: 2016 under auto, with a plan offer only under 2015."""
    folder = tmp_path_factory.mktemp("config")
    source = folder / "sager.json"
    source.write_text(json.dumps(dump_document([family(person(takeover="2025-01-10"))])), encoding="utf-8")
    db = folder / "kasse.db"
    assert run_kasse("import", str(source), db=db, env={"KASSE_CONFIG": str(folder / "none.toml")}).code == 0
    return db


def rulesets(db: Path, *args: str, env: dict) -> set[str]:
    result = run_kasse("deadlines", "--json", "--today", TODAY, *args, db=db, env=env)
    assert result.code == 0, result.err
    return {record["ruleset"] for record in result.json()}


def test_no_file_means_the_defaults(config_file):
    assert load_config().policy == DEFAULT_POLICY and load_config().checklist is None


def test_the_file_sets_the_policy_and_the_checklist(config_file):
    config_file.write_text(
        'rules = "2015"\nwindow_days = 30\nhealth_guidance_days = 7\nhealth_followup_months = 2\n'
        'danish_resume_months = 0\nplan_deadlines = true\n[[checklist]]\nphase = "arrival"\ntask = "Nøgler"\n',
        encoding="utf-8",
    )
    config = load_config()
    assert config.policy == Policy(RulesChoice.LAW_2015, 30, 7, 2, 0, True)
    assert config.checklist == (ChecklistItem(Phase.ARRIVAL, "Nøgler"),)


def test_precedence_is_file_then_environment_then_option(config_file, monkeypatch):
    config_file.write_text('rules = "2015"\n', encoding="utf-8")
    assert load_config().policy.rules is RulesChoice.LAW_2015
    monkeypatch.setenv("KASSE_RULES", "2016")
    assert load_config().policy.rules is RulesChoice.LAW_2016
    assert load_config("auto").policy.rules is RulesChoice.AUTO


def test_precedence_through_the_command_line(caseload_db, tmp_path):
    config = tmp_path / "kasse.toml"
    config.write_text('rules = "2015"\n', encoding="utf-8")
    env = {"KASSE_CONFIG": str(config)}
    assert rulesets(caseload_db, env={"KASSE_CONFIG": str(tmp_path / "absent.toml")}) == {"2016"}
    assert rulesets(caseload_db, env=env) == {"2015"}
    assert rulesets(caseload_db, env={**env, "KASSE_RULES": "2016"}) == {"2016"}
    assert rulesets(caseload_db, "--rules", "2015", env={**env, "KASSE_RULES": "2016"}) == {"2015"}


def test_global_options_count_before_the_command_too(caseload_db, tmp_path):
    env = {"KASSE_CONFIG": str(tmp_path / "absent.toml")}
    before = run_kasse("--today", "2025-06-01", "--rules", "2015", "overdue", "--json", db=caseload_db, env=env)
    after = run_kasse("overdue", "--json", "--today", "2025-06-01", "--rules", "2015", db=caseload_db, env=env)
    assert before.code == after.code == 0
    assert before.out == after.out and {r["ruleset"] for r in before.json()} == {"2015"}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('rulez = "2016"\n', "rulez"),
        ('rules = "2017"\n', "rules"),
        ("rules = 2017\n", "rules"),
        ("window_days = -1\n", "window_days"),
        ('window_days = "14"\n', "window_days"),
        ("health_followup_months = 99\n", "health_followup_months"),
        ("danish_resume_months = true\n", "danish_resume_months"),
        ('plan_deadlines = "ja"\n', "plan_deadlines"),
        ('[[checklist]]\nphase = "later"\ntask = "x"\n', "phase"),
        ('[[checklist]]\nphase = "arrival"\n', "checklist"),
        ("rules = \n", "kan ikke læses"),
        ('user = ""\n', "user"),
        ("user = 7\n", "user"),
        (f'user = "{"x" * 61}"\n', "user"),
        ('user = "anna\\u001b[31m"\n', "kontroltegn"),
        ("municipality = []\n", "municipality"),
    ],
)
def test_a_bad_setting_is_refused_naming_the_key(config_file, caseload_db, text, named):
    config_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=named):
        load_config()
    result = run_kasse("overdue", "--today", TODAY, db=caseload_db, env={"KASSE_CONFIG": str(config_file)})
    assert result.code == 2
    assert named in result.err and "Traceback" not in result.err and len(result.err.splitlines()) == 1


def test_a_bad_rules_value_in_the_environment_or_option_is_refused(caseload_db, tmp_path):
    env = {"KASSE_CONFIG": str(tmp_path / "absent.toml")}
    from_env = run_kasse("overdue", db=caseload_db, env={**env, "KASSE_RULES": "2020"})
    assert from_env.code == 2 and "$KASSE_RULES" in from_env.err
    from_option = run_kasse("overdue", "--rules", "nyeste", db=caseload_db, env=env)
    assert from_option.code == 2 and "--rules" in from_option.err and "Traceback" not in from_option.err


def test_kasse_config_prints_the_path_and_a_default_file_that_reads_back_as_the_defaults(tmp_path):
    path = tmp_path / "kasse.toml"
    result = run_kasse("config", env={"KASSE_CONFIG": str(path)})
    assert result.code == 0 and str(path) in result.out
    uncommented = "\n".join(line.removeprefix("# ") for line in default_config_text().splitlines()
                            if line.startswith("# ") and "=" in line and "[[" not in line and "task" not in line
                            and "phase" not in line or line == "# [keys]")
    path.write_text(uncommented, encoding="utf-8")
    assert tomllib.loads(uncommented)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KASSE_CONFIG", str(path))
        config = load_config()
    assert config.policy == DEFAULT_POLICY
    assert config.keys == {"app.deadlines": "f2", "family.followup": "o,ctrl+o"} and not config.key_problems
    assert not key_problems(config), "the example names keys the app has"


def test_kasse_check_prints_the_rules_and_policy_in_force(caseload_db, tmp_path):
    config = tmp_path / "kasse.toml"
    config.write_text("window_days = 21\n", encoding="utf-8")
    result = run_kasse("check", "--rules", "2016", db=caseload_db, env={"KASSE_CONFIG": str(config)})
    assert result.code == 0, result.err
    assert "2016 (loven som gælder nu) for alle" in result.out
    assert "window_days=21" in result.out and "§ 20, stk. 1" in result.out


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b'[[checklist]]\nphase = ["a"]\ntask = "x"\n', "phase"),
        ('rules = "æøå"\n'.encode("latin-1"), "UTF-8"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b'rules = "2016"\nrules = "2015"\n', "ugyldig TOML i linje 2"),
    ],
)
def test_a_broken_file_is_one_danish_line_naming_what_is_wrong(config_file, content, named):
    config_file.write_bytes(content)
    with pytest.raises(ConfigError, match=named) as refused:
        load_config()
    assert "line" not in refused.value.message and "\n" not in refused.value.message


def test_a_byte_order_mark_is_read_and_a_folder_is_refused(config_file, tmp_path, monkeypatch):
    config_file.write_bytes('\ufeffwindow_days = 21\n'.encode())
    assert load_config().policy.window_days == 21
    monkeypatch.setenv("KASSE_CONFIG", str(tmp_path))
    with pytest.raises(ConfigError, match="ikke en fil"):
        load_config()


def test_an_empty_rules_option_is_refused_and_an_empty_variable_is_unset(config_file, monkeypatch):
    monkeypatch.setenv("KASSE_RULES", "")
    assert load_config().policy.rules is RulesChoice.AUTO
    with pytest.raises(ConfigError, match="--rules"):
        load_config("")


def test_window_days_sets_the_due_soon_window_of_the_lookups(caseload_db, tmp_path):
    config = tmp_path / "kasse.toml"
    config.write_text("window_days = 40\n", encoding="utf-8")
    # The contract falls due 2025-02-10: 36 days after 2025-01-05, outside 14 days, inside 40.
    assert run_kasse("due", "--json", "--today", "2025-01-05", db=caseload_db).json() == []
    due = run_kasse("due", "--json", "--today", "2025-01-05", db=caseload_db, env={"KASSE_CONFIG": str(config)})
    assert {record["status"] for record in due.json()} == {"due_soon"}


def test_kasse_config_checks_an_existing_file(tmp_path):
    config = tmp_path / "kasse.toml"
    config.write_text("window_days = -3\n", encoding="utf-8")
    result = run_kasse("config", env={"KASSE_CONFIG": str(config)})
    assert result.code == 2 and "window_days" in result.err


def test_keys_are_read_by_id_quoted_or_not_and_a_bad_entry_is_named_not_refused(config_file):
    config_file.write_text(
        '[keys]\napp.deadlines = "f2"\n"family.edit" = " E "\nfamily.remove = 5\nqueue.filter = ""\n',
        encoding="utf-8",
    )
    config = load_config()  # the other commands and the app start: [keys] never stops them
    assert config.keys == {"app.deadlines": "f2", "family.edit": "E"}
    assert config.key_problems == (
        '[keys] family.remove: tasten skal skrives som tekst, fx "e" eller "ctrl+e" - springes over',
        '[keys] queue.filter: tasten skal skrives som tekst, fx "e" eller "ctrl+e" - springes over',
    )
    config_file.write_text('keys = "e"\n', encoding="utf-8")
    assert load_config().key_problems[0].startswith("[keys] skal være en tabel")


def test_the_configured_user_writes_the_apps_changes(config_file, tmp_path, monkeypatch):
    """`user` in kasse.toml is who the audit trail names for a change made in the app (before $KASSE_USER)."""
    import sqlite3
    from dataclasses import replace
    from datetime import date

    from kasse.data.db import open_database
    from kasse.data.store import Store, import_families
    from kasse.tui.caseload import Caseload

    monkeypatch.setenv("KASSE_USER", "fra-miljøet")
    config_file.write_text('user = "  Anna Holm "\n', encoding="utf-8")
    config = load_config()
    assert config.user == "Anna Holm"
    db = tmp_path / "app.db"
    with open_database(db) as database:
        import_families(Store(database, actor="import"), [family(person(takeover="2025-01-10"))])
    caseload = Caseload(db, date(2025, 3, 1), config.policy, actor=config.user)
    found = caseload.family("F-1")
    member = found.members[0]
    caseload.save_person(found.ref, replace(member, name="Nyt Navn"), based_on=member)
    with sqlite3.connect(db) as connection:
        actors = [actor for (actor,) in connection.execute("SELECT actor FROM audit WHERE field = 'name'")]
    assert actors == ["Anna Holm"]


def test_kasse_config_names_the_keys_the_app_cannot_use(tmp_path):
    path = tmp_path / "kasse.toml"
    path.write_text('[keys]\n"app.findes.ikke" = "x"\n', encoding="utf-8")
    result = run_kasse("config", env={"KASSE_CONFIG": str(path)})
    assert result.code == 0
    assert "1 tast under [keys] bruges ikke" in result.out
    assert "app.findes.ikke" in result.err and "ukendt id" in result.err
