"""The config file kasse.toml: local policy and the checklist template, read with the stdlib's tomllib.

Where: $KASSE_CONFIG, else kasse.toml in the user config folder
(platformdirs). A missing file means the defaults of DOMAIN.md. A bad key or
value is refused with one Danish line naming it, never a silent default.
Precedence for the ruleset: the file < $KASSE_RULES < --rules.
`[keys]` (binding id = key) is the one exception: the app knows the ids, so
an entry it cannot use is named in Danish and left out, never refused here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from kasse.domain import ChecklistItem, Phase
from kasse.errors import KasseError, os_reason
from kasse.law import RulesChoice
from kasse.policy import DEFAULT_POLICY, Policy

CONFIG_ENV = "KASSE_CONFIG"
RULES_ENV = "KASSE_RULES"

# Each whole-number setting with the range a municipality may choose from.
_RANGES = {
    "window_days": (0, 365),
    "health_guidance_days": (0, 365),
    "health_followup_months": (0, 24),
    "danish_resume_months": (0, 24),
}
_KEYS = ("user", "municipality", "rules", *_RANGES, "plan_deadlines", "checklist", "keys", "retention_years")
MAX_USER_LENGTH = 60
RETENTION_YEARS = (1, 100)  # the range of `retention_years`


class ConfigError(KasseError):
    """A bad config file or setting: the CLI exits with status 2."""


@dataclass(frozen=True, slots=True)
class Config:
    """What the config file sets: the local policy and, if given, the municipality's own checklist."""

    policy: Policy = DEFAULT_POLICY
    checklist: tuple[ChecklistItem, ...] | None = None  # None: kasse's default checklist
    path: Path | None = None  # the file read, if any
    keys: Mapping[str, str] = field(default_factory=dict)  # [keys]: binding id -> key(s), as written
    key_problems: tuple[str, ...] = ()  # the [keys] entries left out, in Danish
    user: str | None = None  # who writes notes and changes; None: $KASSE_USER, else the login name
    municipality: str | None = None  # printed on contracts and plans
    retention_years: int | None = None  # the app reminds of persons who left longer ago (kasse purge); None: never


def config_path() -> Path:
    """$KASSE_CONFIG, else kasse.toml in the user config folder."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs  # only when no path was given

    return Path(platformdirs.user_config_dir("kasse", appauthor=False)) / "kasse.toml"


def load_config(rules: str | None = None) -> Config:
    """The config in force: the file, then $KASSE_RULES, then `rules` (from --rules) on top."""
    path = config_path()
    if path.exists() and not path.is_file():
        raise ConfigError(f"Konfigurationsfilen {path} er ikke en fil")
    config = _read(path) if path.exists() else Config()
    # An empty variable counts as unset, as usual in a shell; an empty --rules is a mistake.
    for source, value in ((f"${RULES_ENV}", os.environ.get(RULES_ENV) or None), ("--rules", rules)):
        if value is not None:
            config = replace(config, policy=replace(config.policy, rules=parse_rules(value, source)))
    return config


def parse_rules(text: str, source: str = "--rules") -> RulesChoice:
    try:
        return RulesChoice(text.strip().lower())
    except ValueError:
        allowed = ", ".join(choice.value for choice in RulesChoice)
        raise ConfigError(f"{source}: ukendt regelsæt {text[:40]!r} (tilladt: {allowed})") from None


def _read(path: Path) -> Config:
    import tomllib

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # -sig: Notepad writes a BOM
    except UnicodeDecodeError:
        raise ConfigError(f"Konfigurationsfilen {path} kan ikke læses: den skal gemmes som UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"line (\d+), column (\d+)", str(error))
        place = f" i linje {where[1]}, kolonne {where[2]}" if where else ""
        raise ConfigError(f"Konfigurationsfilen {path} kan ikke læses: ugyldig TOML{place}") from None
    except OSError as error:
        raise ConfigError(f"Konfigurationsfilen {path} kan ikke åbnes: {os_reason(error)}") from None
    unknown = sorted(set(document) - set(_KEYS))
    if unknown:
        raise ConfigError(f"{path}: ukendt nøgle '{unknown[0]}' (kendte nøgler: {', '.join(_KEYS)})")
    settings = {}
    if "rules" in document:
        value = document["rules"]
        settings["rules"] = parse_rules(str(value), f"{path}: rules")
    for key, (low, high) in _RANGES.items():
        if key in document:
            value = document[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ConfigError(f"{path}: {key} skal være et helt tal fra {low} til {high}, ikke {value!r}")
            settings[key] = value
    if "plan_deadlines" in document:
        if not isinstance(document["plan_deadlines"], bool):
            raise ConfigError(f"{path}: plan_deadlines skal være true eller false")
        settings["plan_deadlines"] = document["plan_deadlines"]
    checklist = _checklist(document["checklist"], path) if "checklist" in document else None
    keys, key_problems = _keys(document.get("keys", {}))
    user = _name(document["user"], "user", path) if "user" in document else None
    municipality = _name(document["municipality"], "municipality", path) if "municipality" in document else None
    retention = _retention_years(document["retention_years"], path) if "retention_years" in document else None
    return Config(Policy(**settings), checklist, path, keys, key_problems, user, municipality, retention)


def _retention_years(value: object, path: Path) -> int:
    low, high = RETENTION_YEARS
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{path}: retention_years skal være et helt antal år fra {low} til {high}, ikke {value!r}")
    return value


def _name(value: object, key: str, path: Path) -> str:
    """A configured name (the user's, the municipality's): printable, 1 to MAX_USER_LENGTH characters."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_USER_LENGTH:
        raise ConfigError(f"{path}: {key} skal være et navn på 1 til {MAX_USER_LENGTH} tegn")
    if not value.isprintable():
        raise ConfigError(f"{path}: {key} må ikke indeholde kontroltegn")
    return value.strip()


def _keys(table: object) -> tuple[dict[str, str], tuple[str, ...]]:
    """The [keys] entries that name a key as text, and a Danish line for each that does not. An id
    written without quotes (family.edit = "e") is a table in TOML: read as the id it spells."""
    if not isinstance(table, dict):
        return {}, ('[keys] skal være en tabel: [keys] på sin egen linje, derunder fx family.edit = "e"',)
    keys, problems = {}, []
    for binding_id, value in _flat(table):
        if isinstance(value, str) and value.strip():
            keys[binding_id] = value.strip()
        else:
            problems.append(f'[keys] {binding_id}: tasten skal skrives som tekst, fx "e" eller "ctrl+e" - springes over')
    return keys, tuple(problems)


def _flat(table: dict, prefix: str = "") -> list[tuple[str, object]]:
    pairs = []
    for name, value in table.items():
        if isinstance(value, dict):
            pairs += _flat(value, f"{prefix}{name}.")
        else:
            pairs.append((f"{prefix}{name}", value))
    return pairs


def _checklist(items: object, path: Path) -> tuple[ChecklistItem, ...]:
    phases = ", ".join(phase.value for phase in Phase)
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{path}: checklist skal være en liste af [[checklist]]-punkter med phase og task")
    found = []
    for number, item in enumerate(items, start=1):
        where = f"{path}: checklist punkt {number}"
        if not isinstance(item, dict) or set(item) != {"phase", "task"}:
            raise ConfigError(f"{where} skal have netop nøglerne phase og task")
        phase, task = item["phase"], item["task"]
        if not isinstance(phase, str) or phase not in {p.value for p in Phase}:
            raise ConfigError(f"{where}: ukendt phase {str(phase)[:40]!r} (tilladt: {phases})")
        if not isinstance(task, str) or not task.strip() or len(task) > 200:
            raise ConfigError(f"{where}: task skal være en tekst på 1-200 tegn")
        found.append(ChecklistItem(Phase(phase), task.strip()))
    return tuple(found)


def default_config_text() -> str:
    """A commented kasse.toml with every key at its default: what `kasse config` prints."""
    policy = DEFAULT_POLICY
    values = {field.name: getattr(policy, field.name) for field in fields(Policy)}
    return f"""\
# kasse.toml - lokal praksis for kasse. Slet '#' foran en linje for at ændre den.

# Dit navn i journalnotater, opgaver og ændringsloggen (ellers $KASSE_USER eller dit login).
# user = "Anna Holm"

# Kommunens navn på kontrakter og planer.
# municipality = "Aarhus Kommune"

# Påmind ved start om borgere, der er fraflyttet for mere end så mange år
# siden (kasse purge anonymiserer dem). Uden linjen: ingen påmindelse.
# retention_years = 5

# Regelsæt: "auto" (efter overtagelsesdatoen: 2015-reglerne før 1. juli 2016,
# ellers 2016-reglerne), "2015" eller "2016" for alle.
# rules = "{values['rules'].value}"

# "Snart": frister der forfalder inden for så mange dage.
# window_days = {values['window_days']}

# Vejledning om det stående tilbud, dage efter at helbredsvurderingen er afslået (2015).
# health_guidance_days = {values['health_guidance_days']}

# Opfølgning, måneder efter at resultatet af helbredsvurderingen er modtaget.
# health_followup_months = {values['health_followup_months']}

# Danskuddannelse efter en pause for sygdom: måneder efter pausens slutning.
# danish_resume_months = {values['danish_resume_months']}

# Tilbud om integrationsplan og opfølgning på den også for borgere under 2016-reglerne.
# plan_deadlines = {str(values['plan_deadlines']).lower()}

# Kommunens egen modtagelsestjekliste (ellers kasses standardliste); phase er
# preparation, handover, arrival eller reception.
# [[checklist]]
# phase = "arrival"
# task = "Bolig klar"

# Egne taster i appen: tastens id og den tast, du vil bruge (flere adskilt af
# komma). Id'erne og tasterne står sidst i hjælpen (tast ? i appen).
# [keys]
# app.deadlines = "f2"
# family.followup = "o,ctrl+o"
"""
