"""Fixtures of the bad-input catalogue (tools in cli_cases.py, next to the tests)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from cli_cases import FRAMEWORK, MEAN_X, Project  # noqa: E402


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
