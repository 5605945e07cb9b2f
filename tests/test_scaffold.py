"""`evalsoc init`: never overwrite a file, list the templates in the user's language."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from evalsoc.errors import FrameworkError
from evalsoc.scaffold import TEMPLATES, scaffold, template_files, user_language


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_init_refuses_before_writing_anything_when_a_file_exists(name, tmp_path):
    names = sorted(template_files(name))
    mine = tmp_path / names[-1]
    mine.write_bytes(b"my own notes\n")
    with pytest.raises(FrameworkError, match=f"would overwrite {names[-1]}"):
        scaffold(tmp_path, name)
    assert mine.read_bytes() == b"my own notes\n"
    assert [p.name for p in tmp_path.iterdir()] == [names[-1]]  # nothing else written


def test_init_into_a_folder_with_other_files_keeps_them(tmp_path):
    (tmp_path / "budget.xlsx").write_bytes(b"x")
    scaffold(tmp_path, "tzcld")
    assert (tmp_path / "budget.xlsx").read_bytes() == b"x"
    assert (tmp_path / "truth.json").exists()


def test_seed_changes_the_data_and_is_recorded(tmp_path):
    scaffold(tmp_path / "a", "tiers-lieu", seed=7)
    assert b'"seed": 7' in (tmp_path / "a" / "truth.json").read_bytes()


def _list(*args: str, env_lang: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    if env_lang:
        env["LANG"] = env_lang
    proc = subprocess.run(
        [sys.executable, "-m", "evalsoc", "init", "--list", *args],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_list_in_the_users_language():
    french = _list(env_lang="fr_FR.UTF-8")
    english = _list(env_lang="en_GB.UTF-8")
    for name, template in TEMPLATES.items():
        assert f"{name}: {template.fr}" in french
        assert f"{name}: {template.en}" in english
    assert "Territoire zéro chômeur" in french and "Zero long-term unemployment" in english
    assert _list("--lang", "fr", env_lang="en_US.UTF-8") == french


def test_user_language_reads_the_locale(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert user_language() == "en"
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    assert user_language() == "fr"
    monkeypatch.setenv("LC_ALL", "C")
    assert user_language() == "en"
    assert user_language("fr") == "fr"


def test_unknown_template_suggests_the_nearest(tmp_path):
    with pytest.raises(FrameworkError, match="did you mean 'tiers-lieu'"):
        scaffold(tmp_path / "x", "tiers-lieux")
    assert not (tmp_path / "x").exists()


def test_a_file_in_place_of_the_folder_is_refused(tmp_path):
    (tmp_path / "projet").write_text("mine")
    with pytest.raises(FrameworkError, match="is a file"):
        scaffold(tmp_path / "projet", "aci")
    assert (tmp_path / "projet").read_text() == "mine"
