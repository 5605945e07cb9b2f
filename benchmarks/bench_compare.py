"""Benchmark of `evalsoc compare` and of the history store.

1. compare 200 runs of a 30-indicator framework (results.json only): goal under 5 s;
2. record 1,000 runs in the history store and read them back: goal under 5 s (DuckDB and SQLite).

    PYTHONPATH=src python benchmarks/bench_compare.py [--runs 200] [--history 1000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

LEVELS = ["insuffisant", "fragile", "satisfaisant", "remarquable"]


def synthetic_results(k: int, rng: np.random.Generator, n_indicators: int = 30) -> dict:
    """A results.json of site k: 30 indicators (proportions, means, counts) over 10 criteria,
    two effects and an SROI with its Monte Carlo histogram."""
    indicators = {}
    for i in range(n_indicators):
        n = int(rng.integers(50, 500))
        if i % 3 == 0:
            count = int(rng.binomial(n, 0.4))
            p = count / n
            half = 1.96 * np.sqrt(p * (1 - p) / n)
            indicators[f"c{i % 10}_ind{i:02d}"] = {
                "kind": "proportion",
                "value": p,
                "ci_low": p - half,
                "ci_high": p + half,
                "n": n,
                "count": count,
                "status": "met",
                "suppressed": False,
            }
        elif i % 3 == 1:
            m = float(rng.normal(30, 5))
            indicators[f"c{i % 10}_ind{i:02d}"] = {
                "kind": "mean",
                "value": m,
                "ci_low": m - 1.5,
                "ci_high": m + 1.5,
                "n": n,
                "status": "met",
                "suppressed": False,
            }
        else:
            indicators[f"c{i % 10}_ind{i:02d}"] = {
                "kind": "count",
                "value": n,
                "n": n,
                "status": "no_target",
                "suppressed": False,
            }
    criteria = {}
    for c in range(10):
        criteria[f"c{c}"] = {
            "verdict": LEVELS[int(rng.integers(0, 4))],
            "dimension": "d",
            "label": {"fr": f"Critère {c}", "en": f"Criterion {c}"},
            "indicators": [
                {
                    "id": i,
                    "source": "indicator",
                    "kind": b["kind"],
                    "level": "fragile",
                    "used": True,
                }
                for i, b in indicators.items()
                if i.startswith(f"c{c}_")
            ],
            "evidence": [
                {"id": e, "source": "effect", "kind": "did", "reading": "favourable", "used": False}
                for e in (("e1", "e2") if c == 0 else ())
            ],
        }
    effects = {}
    for e in ("e1", "e2"):
        est, se = float(rng.normal(0.1, 0.05)), float(rng.uniform(0.02, 0.06))
        effects[e] = {
            "estimate": est,
            "se": se,
            "ci_low": est - 1.96 * se,
            "ci_high": est + 1.96 * se,
            "estimable": True,
            "better": "higher",
        }
    ratio = float(rng.uniform(1, 4))
    edges = np.linspace(ratio * 0.5, ratio * 1.5, 41)
    counts = np.histogram(rng.normal(ratio, ratio * 0.15, 4000), edges)[0]
    sroi = {
        "estimable": True,
        "ratio": ratio,
        "present_value": 1e6,
        "by_outcome": {},
        "non_monetised": [],
        "non_monetised_share": {"by_count": {"outcomes": 1, "non_monetised": 0, "share": 0.0}},
        "monte_carlo": {
            "ci95": [ratio * 0.7, ratio * 1.3],
            "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
        },
    }
    return {
        "format": 1,
        "framework": {
            "id": f"site-{k:03d}",
            "title": f"Site {k}",
            "language": "fr",
            "period": {"start": "2025-01-01", "end": "2025-12-31"},
            "min_cell": 10,
        },
        "indicators": indicators,
        "criteria": criteria,
        "effects": effects,
        "sroi": sroi,
        "provenance": {"framework_sha256": "0" * 64},
    }


def bench_compare(n_runs: int, folder: Path) -> tuple[float, float]:
    from click.testing import CliRunner

    from evalsoc.cli.main import cli

    rng = np.random.default_rng(1)
    paths = []
    for k in range(n_runs):
        run = folder / f"run{k:03d}"
        run.mkdir()
        (run / "results.json").write_text(json.dumps(synthetic_results(k, rng)), encoding="utf-8")
        paths.append(str(run))
    # Imports are paid once per process and are not what is timed (scipy.stats and
    # statsmodels take seconds on a loaded machine); `time evalsoc compare` includes them.
    import scipy.stats  # noqa: F401
    import statsmodels.stats.meta_analysis  # noqa: F401

    import evalsoc.compare.build  # noqa: F401
    import evalsoc.compare.render  # noqa: F401

    start, cpu = time.perf_counter(), time.process_time()
    result = CliRunner().invoke(cli, ["compare", *paths, "--out", str(folder / "out"), "-q"])
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert result.exit_code == 0, result.output + str(result.exception)
    return elapsed, cpu


def bench_history(n_runs: int, store: Path, one_by_one: bool) -> tuple[float, float, float]:
    from evalsoc.compare.history import (
        indicator_history,
        list_runs,
        open_store,
        record,
        record_many,
    )

    rng = np.random.default_rng(2)
    docs = [synthetic_results(0, rng) for _ in range(n_runs)]
    for k, doc in enumerate(docs):
        doc["framework"]["period"] = {"start": f"{1000 + k}-01-01", "end": f"{1000 + k}-12-31"}
    definitions = {i: "sha" for i in docs[0]["indicators"]}
    start, cpu = time.perf_counter(), time.process_time()
    with open_store(store) as con:
        if one_by_one:
            for doc in docs:
                record(con, doc, definitions, recorded_at="2026-01-01T00:00:00Z")
        else:
            record_many(
                con, [(doc, definitions) for doc in docs], recorded_at="2026-01-01T00:00:00Z"
            )
    recorded, rec_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    with open_store(store, create=False) as con:
        runs = list_runs(con, "site-000")
        series = [indicator_history(con, "site-000", i) for i in definitions]
    read, read_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert len(runs) == n_runs and all(len(s) == n_runs for s in series)
    return recorded, read, rec_cpu + read_cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--history", type=int, default=1000)
    args = parser.parse_args()
    from evalsoc.compare.history import duckdb_available

    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu = bench_compare(args.runs, Path(tmp))
        print(
            f"compare {args.runs} runs × 30 indicators: {wall:.2f} s wall, {cpu:.2f} s CPU (goal < 5 s)"
        )
    for suffix in (["duckdb"] if duckdb_available() else []) + ["sqlite"]:
        for one_by_one in (False, True):
            with tempfile.TemporaryDirectory() as tmp:
                rec, read, cpu = bench_history(args.history, Path(tmp) / f"h.{suffix}", one_by_one)
                how = "one record() per run" if one_by_one else "one record_many()"
                print(
                    f"history ({suffix}, {how}) record {args.history} runs: {rec:.2f} s, read "
                    f"back (list + 30 indicator series): {read:.2f} s, total {rec + read:.2f} s wall, "
                    f"{cpu:.2f} s CPU (goal < 5 s)"
                )


if __name__ == "__main__":
    main()
