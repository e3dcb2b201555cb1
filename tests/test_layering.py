"""The layering as contracts (import-linter, configured in pyproject.toml): the pure core imports no skin,
database or UI library; services never import a skin; widgets and forms never import screens; cli and tui are
independent but for the one edge that opens the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")  # installed with the test extras


def lint(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--config", str(config), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def test_every_contract_in_pyproject_is_kept():
    done = lint(ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 kept, 0 broken" in done.stdout


def test_a_broken_contract_is_reported(tmp_path):
    """The machinery catches a violation: widgets/status.py imports kasse.words, so forbidding it must fail."""
    config = tmp_path / "broken.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "kasse"\n\n[[tool.importlinter.contracts]]\n'
        'name = "Widgets may not use words (false on purpose)"\ntype = "forbidden"\n'
        'source_modules = ["kasse.tui.widgets"]\nforbidden_modules = ["kasse.words"]\n',
        encoding="utf-8",
    )
    done = lint(config)
    assert done.returncode == 1
    assert "kasse.tui.widgets.status -> kasse.words" in done.stdout
