"""Helpers of the bad-input catalogue: run the CLI in-process, check exit code and message."""

from __future__ import annotations

import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))  # schema_cases.py, next to the tests

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


@dataclass
class Outcome:
    code: int
    output: str  # standard output and error, interleaved
    exception: BaseException | None

    def expect(self, code: int, *patterns: str) -> Outcome:
        """Exit `code`, no traceback nor internal error, every regex pattern in the output."""
        assert self.exception is None or isinstance(self.exception, SystemExit), (
            f"uncaught {type(self.exception).__name__}: {self.exception}"
        )
        assert self.code == code, f"exit {self.code}, expected {code}:\n{self.output}"
        assert "Traceback" not in self.output, self.output
        if code != EXIT_INTERNAL:
            assert "internal error" not in self.output, self.output
        for pattern in patterns:
            assert re.search(pattern, self.output), f"{pattern!r} not in:\n{self.output}"
        return self


def invoke(*args: object, env: dict[str, str] | None = None) -> Outcome:
    from evalsoc.cli.main import cli

    result = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=True)
    return Outcome(result.exit_code, result.output, result.exception)


FRAMEWORK = """
evalsoc: 1
id: cas
title: Cas
privacy: {{min_cell: 1}}
policy: {{max_invalid_share: {share}}}
data:
  people:
    file: {file}
    columns:
{columns}
dimensions:
  - id: d
    criteria:
      - id: c
        indicators:
{indicators}
"""
MEAN_X = "          - id: m\n            mean: x"


@dataclass
class Project:
    folder: Path
    framework: Path

    def validate(self, **kw: object) -> Outcome:
        return invoke("validate", self.framework, **kw)

    def run(self, **kw: object) -> Outcome:
        return invoke("run", self.framework, "--out", self.folder / "out", "-q", **kw)


@pytest.fixture
def project(tmp_path: Path):
    """project(columns=..., data=..., indicators=...): a framework and its data file."""

    def make(
        columns: str = "x: {type: number}",
        data: str | bytes | None = "x\n1\n2\n3\n",
        indicators: str = MEAN_X,
        file: str = "people.csv",
        share: float = 0.05,
        extra: str = "",
    ) -> Project:
        cols = textwrap.indent(textwrap.dedent(columns).strip("\n"), " " * 6)
        text = FRAMEWORK.format(file=file, columns=cols, indicators=indicators, share=share)
        framework = tmp_path / "framework.yaml"
        framework.write_text(text.lstrip("\n") + textwrap.dedent(extra), encoding="utf-8")
        if isinstance(data, bytes):
            (tmp_path / file).write_bytes(data)
        elif data is not None:
            (tmp_path / file).write_text(data, encoding="utf-8")
        return Project(tmp_path, framework)

    return make


ROOT_DATA = Path(__file__).resolve().parents[1] / "data"
