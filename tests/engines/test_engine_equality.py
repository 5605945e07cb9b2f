"""Every engine gives the pandas engine's results: results.json equal apart from floating-point
rounding (1e-9 relative, tests/engines/results_diff.py), the same suppressions (the privacy
section and every suppressed cell, compared exactly) and the same quarantine files, byte for
byte.

Two sweeps: generated frameworks (seeded: random `where` expressions reading missing values,
`by` groups with a missing category, every quantitative kind, quarantined rows, privacy
thresholds that suppress), three always run and nine more marked slow; and every shipped framework (the list of
/work/notes/golden2.sh), marked slow. To check another engine, add it to ENGINES_UNDER_TEST
(with a skip mark when its package or runtime is missing).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from tests.conftest import ROOT
from tests.engines.generated import write_framework
from tests.engines.generated_intake import MESSY_INDICATORS, write_messy
from tests.engines.results_diff import differences

REFERENCE = "pandas"


def _needs(package: str) -> pytest.MarkDecorator:
    missing = importlib.util.find_spec(package) is None
    return pytest.mark.skipif(missing, reason=f"{package} is not installed")


ENGINES_UNDER_TEST = [
    pytest.param("duckdb", marks=_needs("duckdb"), id="duckdb"),
]

SHIPPED = sorted(
    [
        *ROOT.glob("frameworks/*.yaml"),
        *ROOT.glob("frameworks/network/*.yaml"),
        *ROOT.glob("tests/data/effects/*.yaml"),
        ROOT / "tests/data/sroi/framework.yaml",
        ROOT / "tests/data/capability/mpi_syn_cdta.yaml",
        ROOT / "tests/data/utility/centre-social.yaml",
    ]
)

GENERATED_SEEDS = range(1, 7)  # checked for non-vacuity below
FAST_SEEDS = [
    pytest.param(seed, marks=[] if seed <= 3 else [pytest.mark.slow]) for seed in range(1, 13)
]


def _run(framework: Path, engine: str, out: Path) -> dict:
    from evalsoc.pipeline import run_framework

    results = run_framework(framework, out_dir=out, engine=engine, formats=("json",))
    document: dict = json.loads(json.dumps(results.data, default=str))
    return document


def _files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _suppressed(node: object, path: str = "$") -> list[str]:
    """Where a figure is suppressed, with its reason's code: compared exactly."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("suppressed"):
            found.append(f"{path}: {json.dumps(node.get('reason'), sort_keys=True)}")
        for key, value in node.items():
            found.extend(_suppressed(value, f"{path}.{key}"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_suppressed(value, f"{path}[{i}]"))
    return found


def _outcome(framework: Path, engine: str, out: Path) -> dict | str:
    """The results, or the error the run stops with (type and message)."""
    try:
        return _run(framework, engine, out)
    except Exception as exc:  # compared between engines, never hidden: see assert_same_run
        return f"{type(exc).__name__}: {exc}"


def assert_same_run(framework: Path, engine: str, tmp_path: Path) -> None:
    """Same results, suppressions and quarantine files; or, when the reference engine stops
    with an error (a bug of the sections, found by the generator), the same error."""
    expected = _outcome(framework, REFERENCE, tmp_path / REFERENCE)
    actual = _outcome(framework, engine, tmp_path / engine)
    if isinstance(expected, str) or isinstance(actual, str):
        assert expected == actual
        return
    problems = differences(expected, actual)
    assert not problems, f"{framework.name} on {engine}:\n" + "\n".join(problems[:40])
    assert expected.get("privacy") == actual.get("privacy")
    assert _suppressed(expected) == _suppressed(actual)
    invalid = _files(tmp_path / REFERENCE / "invalid")
    assert invalid == _files(tmp_path / engine / "invalid")


@pytest.mark.parametrize("engine", ENGINES_UNDER_TEST)
@pytest.mark.parametrize("seed", FAST_SEEDS)
def test_generated_frameworks_give_the_same_results(engine: str, seed: int, tmp_path: Path) -> None:
    framework = write_framework(tmp_path / "framework", seed)
    assert_same_run(framework, engine, tmp_path)


@pytest.mark.parametrize("engine", ENGINES_UNDER_TEST)
@pytest.mark.parametrize(
    "seed",
    [pytest.param(seed, marks=[] if seed <= 2 else [pytest.mark.slow]) for seed in (1, 2, 3, 4)],
)
def test_messy_files_give_the_same_results(engine: str, seed: int, tmp_path: Path) -> None:
    """Conversion failures (bad numbers and dates, decimal comma, `;`, Latin-1 on seed 3,
    missing and out-of-range values, duplicates) read by the DuckDB intake on DuckDB."""
    framework = write_messy(tmp_path / "framework", seed, indicators=MESSY_INDICATORS)
    assert_same_run(framework, engine, tmp_path)
    assert _files(tmp_path / engine / "invalid"), "the messy file quarantines rows"


@pytest.mark.slow
def test_generated_frameworks_suppress_and_quarantine(tmp_path: Path) -> None:
    """The generated sweep is not vacuous: its frameworks quarantine rows, suppress cells and
    select different rows with their `where` (checked on the reference engine)."""
    suppressed = quarantined = completed = 0
    for seed in GENERATED_SEEDS:
        out = tmp_path / str(seed)
        document = _outcome(write_framework(tmp_path / f"f{seed}", seed), REFERENCE, out)
        if isinstance(document, str):
            continue  # seed 2: a share by groups over no row stops the pandas path too
        completed += 1
        suppressed += len(_suppressed(document))
        quarantined += len(_files(out / "invalid"))
    assert completed >= len(GENERATED_SEEDS) - 1
    assert suppressed > 0
    assert quarantined == completed


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES_UNDER_TEST)
@pytest.mark.parametrize("framework", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_frameworks_give_the_same_results(
    engine: str, framework: Path, tmp_path: Path
) -> None:
    assert_same_run(framework, engine, tmp_path)
