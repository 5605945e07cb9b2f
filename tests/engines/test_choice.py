"""Which engine a run uses: `--engine` first, then the framework's `engine:`, `auto` by size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from evalsoc.engines import choice as choice_module
from evalsoc.engines.choice import choose_engine
from evalsoc.engines.registry import ENGINES, EngineEntry, check_engine
from evalsoc.errors import FrameworkError
from evalsoc.framework.model import Framework


def framework(tmp_path: Path, engine: object = None, size: int = 10) -> Framework:
    (tmp_path / "people.csv").write_bytes(b"x\n" + b"1\n" * (size // 2))
    raw: dict = {
        "evalsoc": 1,
        "id": "t",
        "title": "t",
        "data": {"people": {"file": "people.csv"}},
    }
    if engine is not None:
        raw["engine"] = engine
    return Framework.model_validate({**raw, "base_dir": str(tmp_path)})


def test_default_is_pandas(tmp_path: Path) -> None:
    chosen = choose_engine(framework(tmp_path))
    assert (chosen.name, chosen.options) == ("pandas", {})


def test_name_or_mapping_and_override(tmp_path: Path) -> None:
    fw = framework(tmp_path, {"name": "duckdb", "memory_limit": "8GB", "threads": 2})
    chosen = choose_engine(fw)
    assert chosen.name == "duckdb"
    assert chosen.options == {"memory_limit": "8GB", "threads": 2}
    assert choose_engine(framework(tmp_path, "spark")).name == "spark"
    assert choose_engine(fw, "pandas").name == "pandas"


def test_unknown_engine_or_bad_memory_limit_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="pandas"):
        framework(tmp_path, "polars")
    with pytest.raises(ValueError, match="memory_limit"):
        framework(tmp_path, {"name": "duckdb", "memory_limit": "lots"})


def test_auto_by_input_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fw = framework(tmp_path, "auto", size=1000)
    size = (tmp_path / "people.csv").stat().st_size
    monkeypatch.setattr(choice_module, "AUTO_DUCKDB_BYTES", size + 1)
    assert choose_engine(fw).name == "pandas"
    monkeypatch.setattr(choice_module, "AUTO_DUCKDB_BYTES", size)
    expected = "duckdb" if choice_module.importlib.util.find_spec("duckdb") else "pandas"
    assert choose_engine(fw).name == expected


def test_missing_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        ENGINES, "fake", EngineEntry("evalsoc.engines.fake", "Fake", "no_such_pkg_xyz", "fake")
    )
    with pytest.raises(FrameworkError, match=r'pip install "evalsoc\[fake\]"'):
        check_engine("fake")


def test_cli_engine_option_checked_before_reading(tmp_path: Path) -> None:
    """An engine that does not exist stops `validate` with exit 2 and a message, no traceback."""
    (tmp_path / "f.yaml").write_text(
        "evalsoc: 1\nid: t\ntitle: t\nengine: pandas\ndata:\n  people:\n    file: people.csv\n",
        encoding="utf-8",
    )
    (tmp_path / "people.csv").write_text("x\n1\n", encoding="utf-8")
    ok = subprocess.run(
        [sys.executable, "-m", "evalsoc", "validate", str(tmp_path / "f.yaml")],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "evalsoc", "validate", str(tmp_path / "f.yaml"), "--engine", "x"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
