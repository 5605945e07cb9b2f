"""New effect designs against the libraries a user would call directly.

Run: .venv/bin/python benchmarks/bench_designs.py [--iv-rows N] [--rd-rows N] [--match-rows N]
Writes benchmarks/results_designs.md (gathered into results.md by run_all.py --collect).

- iv, 10^6 rows: evalsoc's design (2SLS with robust SEs, effective first-stage F, Anderson–Rubin
  interval) against linearmodels IV2SLS(...).fit(cov_type="robust", debiased=True) followed by
  its first-stage diagnostics (what a user calls to get the same estimate and a first-stage F);
- rd, 10^6 rows: evalsoc's design against rdrobust + rddensity + rdplot called directly on the
  same arrays (the three calls the design makes);
- matching, 10^5 rows: evalsoc's 1:1 nearest-neighbour matching with replacement (logit score,
  matching, weights, SE, balance table) against a plain implementation: statsmodels Logit,
  scikit-learn NearestNeighbors on the score, difference in means.
Both contenders run in the same process on the same prepared frame, alternated; the time is the
median of the runs. Imports are not timed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def _spec(**kw):
    base = dict(
        covariates=[],
        propensity=None,
        cluster=None,
        se_type="robust",
        level=0.95,
        treatment=None,
        endogenous=None,
        instruments=[],
        iv_method="2sls",
        exact=[],
        cem_bins=None,
    )
    return SimpleNamespace(**{**base, **kw})


def _alternate(a, b, runs: int) -> tuple[float, float, float, float]:
    """Median wall and CPU (process) seconds of `a` and `b`: (wall a, wall b, cpu a, cpu b).

    The order flips every run (a b, b a, ...) so that neither contender always meets the caches
    the other warmed; CPU time is reported beside wall because the machine is shared.
    """
    wall: dict[int, list[float]] = {0: [], 1: []}
    cpu: dict[int, list[float]] = {0: [], 1: []}
    for run in range(runs):
        for which in (0, 1) if run % 2 == 0 else (1, 0):
            fn = (a, b)[which]
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            wall[which].append(time.perf_counter() - start)
            cpu[which].append(time.process_time() - start_cpu)
    med = statistics.median
    return med(wall[0]), med(wall[1]), med(cpu[0]), med(cpu[1])


def _row(label: str, n: int, times: tuple[float, float, float, float], target: str, gap: float):
    wall_a, wall_b, cpu_a, cpu_b = times
    return (
        f"| {label} | {n:,} | {wall_a:.3f} | {wall_b:.3f} | {wall_a / wall_b:.2f} | {cpu_a:.3f} "
        f"| {cpu_b:.3f} | {cpu_a / cpu_b:.2f} | {target} | {gap:.1e} |"
    )


HEADER = [
    "| design | rows | evalsoc wall (s) | peer wall (s) | wall ratio | evalsoc CPU (s) "
    "| peer CPU (s) | CPU ratio | target | estimate gap |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
]


def _warm_up(frame, spec, ours, peer, rows: int = 1000) -> None:
    """One untimed call of each contender on the first rows: lazy imports (evalsoc's modules,
    scipy.stats) and first-call caches are paid here, not by whichever contender runs first."""
    ours(frame.iloc[:rows].copy(), spec)
    peer()


def bench_iv(n: int, runs: int) -> list[str]:
    from linearmodels.iv import IV2SLS

    from evalsoc.sections.effects.designs.iv import estimate_iv

    rng = np.random.default_rng(20261129)
    z = rng.integers(0, 2, n).astype(float)
    w1, w2 = rng.normal(size=n), rng.normal(size=n)
    u = rng.normal(size=n)
    x = 0.4 * z + 0.3 * w1 + u + rng.normal(size=n)
    y = 0.1 * x + 0.2 * w1 - 0.1 * w2 + u + rng.normal(size=n)
    frame = pd.DataFrame({"_y": y, "x": x, "z": z, "w1": w1, "w2": w2})
    spec = _spec(endogenous="x", instruments=["z"], covariates=["w1", "w2"])
    W = np.column_stack([np.ones(n), w1, w2])

    def ours():
        return estimate_iv(frame, spec)

    def peer():
        res = IV2SLS(y, W, x[:, None], z[:, None]).fit(cov_type="robust", debiased=True)
        _ = res.first_stage.diagnostics
        return res

    def bare():
        return IV2SLS(y, W, x[:, None], z[:, None]).fit(cov_type="robust", debiased=True)

    _warm_up(
        frame,
        spec,
        estimate_iv,
        lambda: IV2SLS(y[:1000], W[:1000], x[:1000, None], z[:1000, None]).fit(cov_type="robust"),
    )
    with_first_stage = _alternate(ours, peer, runs)
    bare_fit = _alternate(ours, bare, runs)
    got, res = ours(), bare()
    gap = abs(got["estimate"] - float(np.asarray(res.params)[-1]))
    return [
        _row(
            "iv (2SLS, robust) vs fit + first-stage diagnostics", n, with_first_stage, "≤ 1.3", gap
        ),
        _row("iv (2SLS, robust) vs the bare fit (no first stage)", n, bare_fit, "—", gap),
    ]


def bench_rd(n: int, runs: int) -> list[str]:
    from rddensity import rddensity
    from rdrobust import rdplot, rdrobust

    from evalsoc.sections.effects.designs.rd import estimate_rd

    rng = np.random.default_rng(20261129)
    x = rng.uniform(-1, 1, n)
    y = 0.5 * x + 0.3 * (x >= 0) + rng.normal(size=n)
    frame = pd.DataFrame({"_y": y, "score": x})
    spec = _spec(
        running="score",
        cutoff=0.0,
        bandwidth=None,
        kernel="triangular",
        polynomial=1,
        treated_side="above",
    )

    last: dict = {}  # each contender's last result: the estimate gap costs no extra run

    def ours():
        last["ours"] = estimate_rd(frame, spec, min_cell=10)

    def peer():
        with contextlib.redirect_stdout(io.StringIO()):
            last["peer"] = rdrobust(y, x, c=0.0)
            rddensity(X=x, c=0.0)
            rdplot(y, x, c=0.0, hide=True)

    def peer_small():
        with contextlib.redirect_stdout(io.StringIO()):
            rdrobust(y[:5000], x[:5000], c=0.0)
            rddensity(X=x[:5000], c=0.0)
            rdplot(y[:5000], x[:5000], c=0.0, hide=True)

    _warm_up(frame, spec, lambda f, s: estimate_rd(f, s, min_cell=10), peer_small, rows=5000)
    times = _alternate(ours, peer, runs)
    gap = abs(last["ours"]["estimate"] - float(last["peer"].coef.iloc[0, 0]))
    return [_row("rd (sharp, rdrobust + rddensity + rdplot)", n, times, "≤ 1.3", gap)]


def bench_matching(n: int, runs: int) -> list[str]:
    import statsmodels.api as sm
    from sklearn.neighbors import NearestNeighbors

    from evalsoc.sections.effects.designs.matching import estimate_matching

    rng = np.random.default_rng(20261129)
    X = rng.normal(size=(n, 4))
    d = (rng.random(n) < 1 / (1 + np.exp(-(X @ [0.5, -0.3, 0.2, 0.1] - 2)))).astype(int)
    y = X @ [1.0, 0.5, -0.5, 0.2] + 1.0 * d + rng.normal(size=n)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "e"]).assign(_y=y, _d=d)
    spec = _spec(
        covariates=["a", "b", "c", "e"], match_method="nearest", ratio=1, replace=True, caliper=None
    )

    def ours():
        return estimate_matching(frame, spec)

    def peer():
        p = sm.Logit(d, sm.add_constant(X)).fit(disp=0).predict()
        t, c = d == 1, d == 0
        nn = NearestNeighbors(n_neighbors=1).fit(p[c, None])
        idx = nn.kneighbors(p[t, None], return_distance=False)[:, 0]
        return y[t].mean() - y[c][idx].mean()

    _warm_up(
        frame,
        spec,
        estimate_matching,
        lambda: NearestNeighbors(n_neighbors=1).fit(X[:100, :1]).kneighbors(X[:10, :1]),
    )
    times = _alternate(ours, peer, runs)
    gap = abs(ours()["estimate"] - peer())
    return [_row("matching (1:1 NN with replacement)", n, times, "≤ 2", gap)]


def _load() -> str:
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iv-rows", type=int, default=1_000_000)
    parser.add_argument("--rd-rows", type=int, default=1_000_000)
    parser.add_argument("--match-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--designs",
        nargs="+",
        choices=["iv", "matching", "rd"],
        default=["iv", "matching", "rd"],
        help="the comparisons to run (rd alone takes minutes at 10^6 rows: see --only-rd)",
    )
    parser.add_argument("--rd-runs", type=int, default=2)
    parser.add_argument(
        "--only-rd",
        action="store_true",
        help="repeat the rd comparison alone (written to results_designs_rd.md)",
    )
    args = parser.parse_args()
    load_before = _load()
    if args.only_rd:
        rows = bench_rd(args.rd_rows, args.rd_runs)
        lines = [
            "# rd repeated: evalsoc's design against rdrobust + rddensity + rdplot",
            "",
            f"`python benchmarks/bench_designs.py --only-rd --rd-rows {args.rd_rows} --rd-runs "
            f"{args.rd_runs}`: median of {args.rd_runs} alternated runs, "
            f"load average {load_before} before and {_load()} after.",
            "",
            *HEADER,
            *rows,
        ]
        (HERE / "results_designs_rd.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print("\n".join(lines))
        return
    import linearmodels
    import rdrobust
    import sklearn

    rows = bench_iv(args.iv_rows, args.runs) if "iv" in args.designs else []
    rows += bench_matching(args.match_rows, args.runs) if "matching" in args.designs else []
    rows += bench_rd(args.rd_rows, args.rd_runs) if "rd" in args.designs else []
    lines = [
        "# New effect designs: iv, rd, matching against the libraries called directly",
        "",
        f"Measured with `python benchmarks/bench_designs.py {' '.join(sys.argv[1:])}` (median "
        f"of alternated runs in one process: {args.runs} for iv and matching"
        + (
            f", {args.rd_runs} for rd, whose peer takes minutes at 10^6 rows"
            if "rd" in args.designs
            else ""
        )
        + "). "
        f"Python {platform.python_version()}, linearmodels {linearmodels.__version__}, "
        f"rdrobust {getattr(rdrobust, '__version__', '2.1.1')}, scikit-learn "
        f"{sklearn.__version__}. Simulated data (seed 20261129). Load average "
        f"{load_before} before and {_load()} after, on {os.cpu_count()} cores.",
        "",
        *HEADER,
        *rows,
        "",
        "evalsoc's time is the design function on a prepared frame (covariate matrices, checks, "
        "diagnostics, result dict), the peer's the bare library calls. For iv evalsoc also "
        "computes the effective F and the Anderson–Rubin interval; for matching, the SE and the "
        "balance table before and after. A gap of 0 for matching means both chose the same "
        "controls (continuous scores: no ties).",
    ]
    (HERE / "results_designs.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
