"""Benchmark of the `did` design on a 10^6-row panel, side by side with statsmodels.

Panel: 50,000 units × 20 periods, units in 500 sites, half of the sites run the programme from
period 10. Measured in one run, alternating the tools, median of REPEATS:
1. evalsoc's effects section (`evalsoc.sections.effects.designs.compute`: row preparation, OLS, CR1
   site-clustered SE, effect sizes, MDE, sentence) vs a hand-written statsmodels call
   `smf.ols("y ~ treated * post", df).fit(cov_type="cluster", cov_kwds={"groups": df.site})`.
2. The same with site and period fixed effects absorbed (520 levels), and the accuracy of the
   absorbed coefficient against the dummy-variable OLS coefficient on a 10^5-row subsample.

Run: .venv/bin/python benchmarks/bench_effects.py   (writes benchmarks/results_effects.md)
"""

from __future__ import annotations

import platform
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

UNITS, PERIODS, SITES = 50_000, 20, 500
REPEATS = 5
SEED = 20250101


def panel(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    site_of_unit = rng.integers(0, SITES, UNITS)
    programme_site = rng.permutation(np.arange(SITES) < SITES // 2)
    unit = np.repeat(np.arange(UNITS), PERIODS)
    period = np.tile(np.arange(PERIODS), UNITS)
    site = site_of_unit[unit]
    treated = programme_site[site].astype(np.int64)
    post = (period >= PERIODS // 2).astype(np.int64)
    y = (
        1.0
        + 0.3 * treated
        + 0.05 * period
        + 0.5 * treated * post
        + rng.normal(0, 1, SITES)[site]
        + rng.normal(0, 1, UNITS)[unit]
        + rng.normal(0, 1, unit.size)
    )
    return pd.DataFrame(
        {"y": y, "unit": unit, "period": period, "site": site, "treated": treated, "post": post}
    )


def timed(fn, repeats: int = REPEATS) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    import statsmodels
    import statsmodels.formula.api as smf

    import evalsoc
    from evalsoc.sections.context import RunContext
    from evalsoc.sections.effects import compute as effects
    from evalsoc.sections.effects.config import EffectSpec

    df = panel()
    ctx = RunContext(frames={"panel": df}, framework=None, min_cell=10)
    did = EffectSpec(
        id="did",
        data="panel",
        design="did",
        outcome="y",
        treatment="treated",
        post="post",
        cluster="site",
    )
    did_fe = did.model_copy(update={"fixed_effects": ["site", "period"]})

    def run_evalsoc(spec=did):
        return effects.compute([spec], ctx)[spec.id]

    def run_statsmodels():
        return smf.ols("y ~ treated * post", df).fit(
            cov_type="cluster", cov_kwds={"groups": df["site"]}
        )

    run_evalsoc(), run_statsmodels()  # warm up imports
    ev_times, sm_times = [], []
    for _ in range(REPEATS):  # alternate so that both see the same machine load
        t, ev = timed(run_evalsoc, 1)
        ev_times.append(t)
        t, sm = timed(run_statsmodels, 1)
        sm_times.append(t)
    t_ev, t_sm = statistics.median(ev_times), statistics.median(sm_times)
    assert abs(ev["estimate"] - sm.params["treated:post"]) < 1e-10
    assert abs(ev["se"] / sm.bse["treated:post"] - 1) < 1e-8

    t_fe, fe = timed(lambda: run_evalsoc(did_fe))

    # Accuracy of the absorbed coefficient: dummy-variable OLS on a 10^5-row subsample.
    rng = np.random.default_rng(1)
    sub = df.iloc[np.sort(rng.choice(len(df), 100_000, replace=False))]
    sub_ctx = RunContext(frames={"panel": sub}, framework=None, min_cell=10)
    absorbed = effects.compute([did_fe], sub_ctx)["did"]["estimate"]
    start = time.perf_counter()
    dummy = smf.ols("y ~ treated:post + C(site) + C(period)", sub).fit(method="qr")
    t_dummy = time.perf_counter() - start
    gap = abs(absorbed - dummy.params["treated:post"])

    rows = [
        ("did, CR1 site-clustered SE: evalsoc `effects.compute`", f"{t_ev:.3f} s"),
        ("did, CR1 site-clustered SE: statsmodels `smf.ols(...).fit(cluster)`", f"{t_sm:.3f} s"),
        ("ratio evalsoc / statsmodels (target ≤ 1.3)", f"{t_ev / t_sm:.2f}"),
        ("did + site and period fixed effects absorbed (520 levels): evalsoc", f"{t_fe:.3f} s"),
        ("  target", "≤ 3 s"),
        (
            "10^5-row subsample: statsmodels dummy-variable OLS (520 dummies, QR)",
            f"{t_dummy:.3f} s",
        ),
        (
            "10^5-row subsample: gap between absorbed and dummy coefficients",
            f"{gap:.1e} (target ≤ 1e-8)",
        ),
        (
            "estimate (true effect 0.5), full panel, no FE / with FE",
            f"{ev['estimate']:.5f} / {fe['estimate']:.5f}",
        ),
    ]
    header = (
        "# Effects benchmark (`did` on a 10^6-row panel)\n\n"
        f"Panel: {UNITS:,} units × {PERIODS} periods = {UNITS * PERIODS:,} rows, {SITES} sites "
        f"(seed {SEED}). Median of {REPEATS} runs, tools alternated in one process.\n"
        f"Machine: {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}, evalsoc {getattr(evalsoc, '__version__', '?')}, "
        f"statsmodels {statsmodels.__version__}, numpy {np.__version__}, pandas {pd.__version__}."
        "\n\n| Measure | Value |\n|---|---|\n"
    )
    table = "".join(f"| {a} | {b} |\n" for a, b in rows)
    note = (
        "\nevalsoc's time covers the whole effects section for this effect (rows and 0/1 columns "
        "prepared, missing values dropped, OLS with CR1 SEs, effect sizes, minimum detectable "
        "effect with the ICC, plain sentences); the statsmodels call is the bare formula fit. "
        "Both give the same coefficient and SE (checked to 1e-8 in the run).\n"
    )
    text = header + table + note
    print(text)
    Path(__file__).with_name("results_effects.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
