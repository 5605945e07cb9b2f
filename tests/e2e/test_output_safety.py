"""The user-file scenarios of issue 15, end to end: evalsoc never deletes or replaces a file it
did not write, whatever --out says, and a full disk or a kill leaves the previous outputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import MINI_DATA, MINI_FRAMEWORK, write
from tests.e2e.test_cli import assert_clean_failure

from evalsoc.errors import FrameworkError
from evalsoc.output_folder import KILL_ENV, MANIFEST
from evalsoc.pipeline import run_framework


def evalsoc(*args: str, cwd: Path | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """proj/framework.yaml, proj/data/people.csv and a user's notes-terrain.docx."""
    proj = tmp_path / "proj"
    write(proj / "data" / "people.csv", MINI_DATA)
    write(proj / "notes-terrain.docx", "mes notes")
    return write(proj / "framework.yaml", MINI_FRAMEWORK.replace("people.csv", "data/people.csv"))


def test_framework_folder_is_never_the_output(project, tmp_path):
    before = snapshot(tmp_path)
    proc = evalsoc("run", str(project), "--out", str(project.parent), "--force")
    assert_clean_failure(proc, 2, "contient le cadre ou ses données", "Choisissez un autre --out")
    for out in (project.parent / "data", tmp_path):
        with pytest.raises(FrameworkError, match="holds the framework or its data"):
            run_framework(project, out_dir=out, force=True)
    assert snapshot(tmp_path) == before


def test_non_empty_folder_refused_then_force_writes_beside(project, tmp_path):
    docs = tmp_path / "mesdocs"
    write(docs / "budget-2025.xlsx", "budget")
    write(docs / "2024" / "bilan.pdf", "bilan")
    before = snapshot(docs)
    proc = evalsoc("run", str(project), "--out", str(docs))
    assert_clean_failure(proc, 2, "n'est pas vide et evalsoc ne l'a pas créé", "--force")
    assert snapshot(docs) == before
    proc = evalsoc("run", str(project), "--out", str(docs), "--force")
    assert proc.returncode == 0, proc.stderr
    after = snapshot(docs)
    assert {k: after[k] for k in before} == before  # the user's files, byte for byte
    assert {"results.json", "report.html", "run.json", MANIFEST} <= set(after)


def test_existing_file_at_the_default_output_path(project, tmp_path):
    (tmp_path / "evalsoc-output").mkdir()
    (tmp_path / "evalsoc-output" / "mini").write_text("a file of mine")
    proc = evalsoc("run", str(project), cwd=tmp_path)
    assert_clean_failure(proc, 2, "existe et n'est pas un dossier")
    assert (tmp_path / "evalsoc-output" / "mini").read_text() == "a file of mine"


def test_out_dot(project, tmp_path):
    proc = evalsoc("run", str(project), "--out", ".", cwd=project.parent)
    assert_clean_failure(proc, 2, "contient le cadre ou ses données")
    empty = tmp_path / "vide"
    empty.mkdir()
    proc = evalsoc("run", str(project), "--out", ".", cwd=empty)
    assert proc.returncode == 0, proc.stderr
    assert (empty / "results.json").exists() and (empty / MANIFEST).exists()


def test_policy_stop_obeys_the_same_rule(project, tmp_path):
    out = tmp_path / "out"
    run_framework(project, out_dir=out)
    before = snapshot(out)
    write(project.parent / "data" / "people.csv", MINI_DATA.replace(";31", ";310"))
    write(tmp_path / "out.stopped" / "mine.txt", "not evalsoc's")
    with pytest.raises(FrameworkError, match="out.stopped is not empty"):
        run_framework(project, out_dir=out)
    assert snapshot(out) == before
    assert snapshot(tmp_path / "out.stopped") == {"mine.txt": b"not evalsoc's"}
    shutil.rmtree(tmp_path / "out.stopped")
    proc = evalsoc("run", str(project), "--out", str(out))
    assert_clean_failure(proc, 1, "inchangés", "age: max 80 — 1 row, e.g. 310")
    assert snapshot(out) == before
    stopped = snapshot(tmp_path / "out.stopped")
    assert set(stopped) == {"STOPPED.txt", "invalid/people.csv", MANIFEST}


def test_killed_run_keeps_previous_outputs_and_next_run_cleans(project, tmp_path):
    out = tmp_path / "out"
    run_framework(project, out_dir=out)
    before = snapshot(out)
    write(project.parent / "data" / "people.csv", MINI_DATA.replace(";25", ";26"))
    killed = evalsoc("run", str(project), "--out", str(out), env={KILL_ENV: "4"})
    assert killed.returncode == -9
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.glob(".out.tmp-*")]  # the staging folder it left
    said: list[str] = []
    run_framework(project, out_dir=out, say=said.append)
    assert any("left by an interrupted evalsoc run" in s for s in said)
    assert not list(tmp_path.glob(".out.*"))
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["indicators"]["revenu"]["n"] == 4


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 1 MiB tmpfs (root only); skipped where it cannot be mounted, except in CI."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        reason = f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> None:
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 16, 1 << 12, 1 << 8, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)


def test_full_disk_keeps_previous_outputs(project, small_disk):
    out = small_disk / "out"
    run_framework(project, out_dir=out)
    before = snapshot(out)
    fill(small_disk)
    write(project.parent / "data" / "people.csv", MINI_DATA.replace(";25", ";26"))
    proc = evalsoc("run", str(project), "--out", str(out))
    assert_clean_failure(
        proc, 2, "impossible d'écrire les résultats", "No space left", "précédents sont inchangés"
    )
    assert snapshot(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "out"]
