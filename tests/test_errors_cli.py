"""What a user sees of an error through `python -m evalsoc`: `error [code]: position: message`,
in the language the rule chooses (docs/cli.md), with the documented exit code; and
`validate --json`. One French run per error class (framework, unreadable data, data refused by
the policy); the wordings checked are the catalogue's (docs/errors.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINI_DATA, MINI_FRAMEWORK, write


def evalsoc(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The CLI with the locale set by the test only (LC_ALL, LC_MESSAGES and LANG removed)."""
    base = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", *args],
        capture_output=True,
        text=True,
        env=base | (env or {}),
        timeout=300,
    )


def _typo(mini: Path) -> Path:
    """The mini framework (language: fr) with `colums` for `columns`."""
    return write(mini, MINI_FRAMEWORK.replace("    columns:", "    colums:"))


def test_framework_error_in_french_from_the_framework_language(mini: Path) -> None:
    proc = evalsoc("validate", str(_typo(mini)))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == f"erreur [framework_problems]: {mini}: le cadre a 1 problème(s) :"
    assert lines[1] == (
        f"  [key_unknown_near] {mini}:11:7: data.people.colums: clé inconnue 'colums' ; "
        "vouliez-vous dire 'columns' ?"
    )


def test_lang_option_beats_the_framework_language(mini: Path) -> None:
    proc = evalsoc("validate", str(_typo(mini)), "--lang", "en", env={"LANG": "fr_FR.UTF-8"})
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[1] == (
        f"  [key_unknown_near] {mini}:11:7: data.people.colums: unknown key 'colums'; "
        "did you mean 'columns'?"
    )


def test_data_read_error_in_french_from_the_locale(mini: Path) -> None:
    """No `language:` in the framework: the locale decides (LANG=fr_FR → French)."""
    write(mini, MINI_FRAMEWORK.replace("language: fr\n", "").replace("people.csv", "absent.csv"))
    proc = evalsoc("run", str(mini), "--out", str(mini.parent / "out"), env={"LANG": "fr_FR.UTF-8"})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    expected = (
        f"erreur [data_file_not_found]: {mini}:7:11: data.people.file: fichier de données "
        f"introuvable : {mini.parent / 'absent.csv'} (les chemins partent du dossier du cadre)"
    )
    assert expected in proc.stderr.splitlines()
    english = evalsoc("run", str(mini), "--out", str(mini.parent / "out"), env={"LANG": "C"})
    assert f"error [data_file_not_found]: {mini}:7:11: data.people.file: data file not found" in (
        english.stderr
    )


def test_data_policy_error_in_french_exits_1(mini: Path, tmp_path: Path) -> None:
    write(
        mini,
        MINI_FRAMEWORK.replace(
            "    file: people.csv", "    file: people.csv\n    on_invalid: stop"
        ),
    )
    write(
        mini.parent / "people.csv", MINI_DATA.replace("a2;nord;non;800;31", "a2;nord;non;800;310")
    )
    proc = evalsoc("run", str(mini), "--out", str(tmp_path / "o"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "erreur [data_refused_outputs_kept]: source de données 'people'" in proc.stderr
    assert "1 lignes sur 5 sont invalides et sa règle est on_invalid: stop" in proc.stderr
    assert "Problèmes principaux : age: max 80 (1, première à la ligne 2)" in proc.stderr
    assert "Les lignes refusées sont dans" in proc.stderr


def test_validate_json_lists_the_problems_in_both_languages(mini: Path) -> None:
    proc = evalsoc("validate", "--json", str(_typo(mini)))
    assert proc.returncode == 2 and proc.stderr == ""
    assert json.loads(proc.stdout) == [
        {
            "code": "key_unknown_near",
            "title": "unknown key",
            "position": f"{mini}:11:7: data.people.colums",
            "message": {
                "fr": "clé inconnue 'colums' ; vouliez-vous dire 'columns' ?",
                "en": "unknown key 'colums'; did you mean 'columns'?",
            },
        }
    ]
    ok = evalsoc("validate", "--json", str(write(mini, MINI_FRAMEWORK)))
    assert ok.returncode == 0 and json.loads(ok.stdout) == []


def test_docs_errors_md_is_current() -> None:
    from evalsoc.error_docs import refreshed

    page = (Path(__file__).parents[1] / "docs" / "errors.md").read_text(encoding="utf-8")
    assert page == refreshed(page), "run: python -m evalsoc.error_docs docs/errors.md"
