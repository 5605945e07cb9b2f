"""A handful of cases through a real process: a hang or a crash of the interpreter (deep
recursion, a blocking FIFO) would not show in-process. Each has a timeout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT = 60  # seconds; each case takes about one on an idle machine


def _evalsoc(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
    )


def _expect(done: subprocess.CompletedProcess, code: int, fragment: str) -> None:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert fragment in done.stderr, done.stderr


def test_fifo_as_data_file_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "people.csv")  # nobody writes to it: opening it would block forever
    (tmp_path / "framework.yaml").write_text(
        "evalsoc: 1\nid: cas\ntitle: Cas\ndata:\n  people: {file: people.csv}\n", "utf-8"
    )
    done = _evalsoc("validate", "framework.yaml", cwd=tmp_path)
    _expect(done, 2, "people.csv: the data file is a named pipe (FIFO)")


def test_fifo_as_framework_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "framework.yaml")
    done = _evalsoc("run", "framework.yaml", cwd=tmp_path)
    _expect(done, 2, "framework.yaml: the framework file is a named pipe (FIFO)")


@pytest.mark.skipif(not Path("/dev/urandom").exists(), reason="no /dev/urandom here")
def test_dev_urandom_as_data_file(tmp_path):
    (tmp_path / "framework.yaml").write_text(
        "evalsoc: 1\nid: cas\ntitle: Cas\ndata:\n  people: {file: /dev/urandom, format: csv}\n",
        "utf-8",
    )
    done = _evalsoc("validate", "framework.yaml", cwd=tmp_path)
    _expect(done, 2, "/dev/urandom: the data file is a character device")


def test_very_deep_yaml_in_a_real_process(tmp_path):
    depth = 100_000
    (tmp_path / "framework.yaml").write_text(
        "evalsoc: 1\nid: cas\ntitle: Cas\nx: " + "[" * depth + "]" * depth + "\n", "utf-8"
    )
    done = _evalsoc("validate", "framework.yaml", cwd=tmp_path)
    _expect(done, 2, "framework.yaml:4:")


def test_where_nested_975_times_in_a_real_process(tmp_path):
    (tmp_path / "people.csv").write_text("x\n1\n2\n", "utf-8")
    (tmp_path / "framework.yaml").write_text(
        "evalsoc: 1\nid: cas\ntitle: Cas\ndata:\n  people:\n    file: people.csv\n"
        "    columns: {x: {type: number}}\ndimensions:\n  - id: d\n    criteria:\n"
        "      - id: c\n        indicators:\n          - id: m\n            mean: x\n"
        f"            where: '{'not ' * 975}x'\n",
        "utf-8",
    )
    done = _evalsoc("run", "framework.yaml", "--out", "out", cwd=tmp_path)
    _expect(done, 2, "nested too deeply")
