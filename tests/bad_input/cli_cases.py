"""The bad-input catalogue's tools: run the CLI in-process, check exit code and message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

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


ROOT_DATA = Path(__file__).resolve().parents[1] / "data"
