"""Krippendorff's alpha on 10^4 units × 10 raters: evalsoc vs the `krippendorff` package.

Run: .venv/bin/python benchmarks/bench_agreement.py
Writes benchmarks/results_agreement.md. Both libraries get the same data in the same run; the
times are the best of five repeats.
"""

from __future__ import annotations

import platform
import time
from pathlib import Path

import krippendorff
import numpy as np

from evalsoc.stats import agreement

UNITS, RATERS, LEVELS, MISSING = 10_000, 10, 5, 0.2
REPEATS = 5


def data(seed: int = 2025) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, LEVELS + 1, size=UNITS)
    noise = rng.choice([-1, 0, 0, 0, 1], size=(RATERS, UNITS))
    matrix = (truth + noise).clip(1, LEVELS).astype(float)
    matrix[rng.random(matrix.shape) < MISSING] = np.nan
    return matrix


def best_time(fn) -> tuple[float, float]:
    times, value = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    matrix = data()
    rows = []
    for level in ("nominal", "ordinal", "interval"):
        t_ours, ours = best_time(lambda lv=level: agreement.alpha(matrix, level=lv))
        t_peer, peer = best_time(
            lambda lv=level: krippendorff.alpha(reliability_data=matrix, level_of_measurement=lv)
        )
        rows.append((level, ours, peer, abs(ours - peer), t_ours, t_peer))
    counts, values = agreement.value_counts(matrix)
    t_boot, boot = best_time(
        lambda: agreement.bootstrap_alpha(
            counts, level="ordinal", values=values, n_boot=1000, rng=np.random.default_rng(1)
        )
    )

    lines = [
        "# Krippendorff's alpha: evalsoc vs `krippendorff`",
        "",
        f"{UNITS:,} units × {RATERS} raters, {LEVELS} levels, {MISSING:.0%} of judgements "
        f"missing; best of {REPEATS} runs; krippendorff {krippendorff_version()}, "
        f"numpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}.",
        "",
        "| level | evalsoc α | krippendorff α | abs. difference | evalsoc (ms) | "
        "krippendorff (ms) |",
        "|---|---|---|---|---|---|",
    ]
    for level, ours, peer, diff, t_ours, t_peer in rows:
        lines.append(
            f"| {level} | {ours:.6f} | {peer:.6f} | {diff:.1e} | {t_ours * 1e3:.1f} | "
            f"{t_peer * 1e3:.1f} |"
        )
    lines += [
        "",
        f"evalsoc ordinal α with a 1,000-replicate unit bootstrap: α = {boot['alpha']:.4f}, "
        f"95% CI {boot['ci_low']:.4f} to {boot['ci_high']:.4f}, in {t_boot:.2f} s "
        "(the `krippendorff` package has no bootstrap).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(__file__).with_name("results_agreement.md").write_text(text, encoding="utf-8")


def krippendorff_version() -> str:
    from importlib.metadata import version

    return version("krippendorff")


if __name__ == "__main__":
    main()
