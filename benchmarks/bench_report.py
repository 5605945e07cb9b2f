"""Report rendering: time to write each output format (html, json, pdf, xlsx, docx) for the
demo and for a generated framework with 200 indicators (target: all formats together < 10 s).

The analysis is computed once (`run_framework(..., write=False)`); only the writers are timed,
each repeated and the median kept, then all formats together as `evalsoc run --format all`
writes them (the PDF in a worker process, writers/parallel.py). As a side-by-side peer for the PDF, headless Chromium's own
print (`chromium --headless --print-to-pdf`) of the same print-form HTML is timed in the same
run when Chromium is installed. Writes benchmarks/results_report.md.

    .venv/bin/python benchmarks/bench_report.py
    .venv/bin/python benchmarks/bench_report.py --cli [--runs 3] [--base-src OTHER_TREE/src]

`--cli` times the whole command instead, as a user runs it: `evalsoc run framework.yaml
--format all` against `--format json` on the same framework (the demo and the 200-indicator
one), in turn, in fresh processes; wall and CPU seconds (the children's rusage: the PDF worker
included), their medians and the median of the paired differences (all − json = what the
formats add). `--base-src` runs the same commands with another tree's code too (before/after
in one run).

    .venv/bin/python benchmarks/bench_report.py --pdf [--runs 3]

`--pdf` times WeasyPrint alone on each case's print HTML (computed once): the single layout
(render, write_pdf) against the two halves and their merge (writers/pdf_split.py), CPU seconds
in this process, and the wall of each path in two warm `spawn` workers as `evalsoc run` uses
them; single and split interleaved, their order flipped every run.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# numpy, pandas and the pipeline are imported where they are used: the PDF worker process
# (`spawn`) re-imports this module, and should pay for WeasyPrint only, as under the CLI.
from evalsoc.report.writers import WRITERS, writer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
SITES = ["Nord", "Sud", "Est", "Ouest"]


def generated_framework(folder: Path, indicators: int = 200, rows: int = 3000) -> Path:
    """A framework of `indicators` indicators (10 dimensions × 4 criteria × 5) on fake data."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(2025)
    data = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(rows)],
            "site": rng.choice(SITES, rows),
            **{f"b{j}": rng.random(rows) < 0.3 + 0.04 * j for j in range(10)},
            **{f"x{j}": rng.normal(50 + j, 10, rows).round(2) for j in range(10)},
        }
    )
    data.to_csv(folder / "data.csv", index=False)
    cols = [
        "      id: {type: string}",
        "      site: {type: category, values: [Nord, Sud, Est, Ouest], label: Site}",
    ]
    cols += [f"      b{j}: {{type: boolean}}" for j in range(10)]
    cols += [f"      x{j}: {{type: number}}" for j in range(10)]
    lines = [
        "evalsoc: 1",
        "id: bench-200",
        'title: {fr: "Banc d\'essai : 200 indicateurs", en: "Benchmark: 200 indicators"}',
        "period: {start: 2025-01-01, end: 2025-12-31}",
        "privacy: {min_cell: 10}",
        "data:",
        "  people:",
        "    file: data.csv",
        "    columns:",
        *cols,
        "dimensions:",
    ]
    n = 0
    for d in range(10):
        lines += [f"  - id: d{d}", f'    label: "Dimension {d + 1}"', "    criteria:"]
        for c in range(4):
            lines += [
                f"      - id: d{d}c{c}",
                f'        label: "Critère {d + 1}.{c + 1}"',
                "        indicators:",
            ]
            for _i in range(indicators // 40):
                j = n % 10
                kind = (
                    f"proportion: b{j}\n            target: 0.4"
                    if n % 2
                    else f"mean: x{j}\n            target: 50"
                )
                lines += [
                    f"          - id: i{n}",
                    f'            label: "Indicateur {n + 1}"',
                    f"            {kind}",
                    "            by: [site]",
                ]
                n += 1
    path = folder / "framework.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def time_writers(results: object) -> dict[str, float]:
    """Median wall seconds per writer; the process's CPU seconds are printed beside them (on a
    machine shared by many processes, CPU time is the figure that does not depend on the load)."""
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for name in WRITERS:
        samples, cpu_samples = [], []
        for _ in range(REPEATS):
            with tempfile.TemporaryDirectory() as tmp:
                start, start_cpu = time.perf_counter(), time.process_time()
                writer(name).write(results, Path(tmp))
                samples.append(time.perf_counter() - start)
                cpu_samples.append(time.process_time() - start_cpu)
        times[name] = statistics.median(samples)
        cpu[name] = statistics.median(cpu_samples)
    print("CPU seconds:", {k: round(v, 2) for k, v in cpu.items()}, flush=True)
    return times


def time_all_formats(results: object) -> dict[str, float]:
    """`evalsoc run --format all`'s writing step as the CLI does it (writers/parallel.py: the PDF
    in a worker process beside the other formats): wall seconds, the CPU seconds of this
    process and of the worker, and the load average of the shared machine at the start."""
    import resource

    from evalsoc.report.writers.parallel import write_formats

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start, start_cpu = time.perf_counter(), time.process_time()
        write_formats(results, tuple(WRITERS), Path(tmp), lambda _: None)
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall": wall, "cpu_main": cpu, "cpu_worker": worker, "load": load}


def time_chromium_pdf(results: object) -> float | None:
    chromium = shutil.which("chromium")
    if not chromium:
        return None
    from evalsoc.report.html import render_report

    samples = []
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "print.html"
        for _ in range(REPEATS):
            start = time.perf_counter()
            page.write_text(render_report(results, medium="print"), encoding="utf-8")
            subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    f"--print-to-pdf={tmp}/c.pdf",
                    page.as_uri(),
                ],
                check=True,
                capture_output=True,
            )
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    from evalsoc.pipeline import run_framework

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "demo (chantier-insertion, 11 indicators + effects, capabilities, SROI)": ROOT
            / "frameworks"
            / "chantier-insertion.yaml",
            "generated, 200 indicators × 4 sites": generated_framework(Path(tmp)),
        }
        for name, framework in cases.items():
            print(f"computing {name}", flush=True)
            results = run_framework(framework, write=False)
            together = time_all_formats(results)  # first: the charts are drawn here once
            times = time_writers(results)
            chromium = time_chromium_pdf(results)
            rows.append((name, times, chromium, together))
            print(
                name,
                {k: round(v, 2) for k, v in times.items()},
                "all formats (parallel writer):",
                {k: round(v, 2) for k, v in together.items()},
                "chromium pdf:",
                chromium,
                flush=True,
            )
    heads = list(WRITERS)
    out = [
        "## Report: time to render each format (issue 11)",
        "",
        f"`python benchmarks/bench_report.py` on {platform.machine()}, {os.cpu_count()} cores "
        f"(shared), Python {platform.python_version()}; median of {REPEATS} runs, seconds, the "
        "analysis computed once beforehand. Peer: headless Chromium printing the same print-form "
        "HTML to PDF (`--print-to-pdf`, process start included).",
        "",
        "| framework | "
        + " | ".join(heads)
        + " | sum of formats | all formats, parallel writer: wall (CPU main + worker; load)"
        + " | Chromium PDF (peer) | WeasyPrint / Chromium |",
        "|---" * (len(heads) + 5) + "|",
    ]
    for name, times, chromium, together in rows:
        total = sum(times.values())
        ratio = f"{times['pdf'] / chromium:.2f}" if chromium else "—"
        parallel = (
            f"**{together['wall']:.2f}** ({together['cpu_main']:.2f} + "
            f"{together['cpu_worker']:.2f}; {together['load']:.1f})"
        )
        out.append(
            f"| {name} | "
            + " | ".join(f"{times[h]:.2f}" for h in heads)
            + f" | {total:.2f} | {parallel} | "
            + (f"{chromium:.2f} | {ratio} |" if chromium else "— | — |")
        )
    out += [
        "",
        "Target: all formats together under 10 s for 200 indicators on this 2-core machine.",
    ]
    (HERE / "results_report.md").write_text("\n".join(out) + "\n", encoding="utf-8")
    print("\n".join(out))


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the finished children) of one command."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def cli_main(runs: int, base_src: str | None) -> None:
    """`evalsoc run --format all` vs `--format json`, paired, for each tree (see the docstring)."""
    trees = {"this tree": str(ROOT / "src")}
    if base_src:
        trees["base"] = str(Path(base_src).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "demo (chantier-insertion)": ROOT / "frameworks" / "chantier-insertion.yaml",
            "generated, 200 indicators × 4 sites": generated_framework(Path(tmp)),
        }
        lines = [
            "| framework | code | json wall | all wall | all − json wall | json CPU | all CPU "
            "| all − json CPU | load |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for case, framework in cases.items():
            samples: dict[tuple[str, str], list[tuple[float, float]]] = {}
            load = os.getloadavg()[0]
            for i in range(runs):
                order = [(tree, fmt) for tree in trees for fmt in ("json", "all")]
                for tree, fmt in order if i % 2 == 0 else order[::-1]:
                    env = dict(os.environ, PYTHONPATH=trees[tree])
                    command = [sys.executable, "-m", "evalsoc", "run", str(framework)]
                    command += ["--format", fmt, "--out", f"{tmp}/{fmt}", "--force", "--quiet"]
                    samples.setdefault((tree, fmt), []).append(_timed(command, env))
            for tree in trees:
                json_runs, all_runs = samples[(tree, "json")], samples[(tree, "all")]

                def med(values: list[float]) -> str:
                    return f"{statistics.median(values):.2f}"

                lines.append(
                    f"| {case} | {tree} | {med([w for w, _ in json_runs])} "
                    f"| {med([w for w, _ in all_runs])} "
                    f"| **{med([a[0] - j[0] for a, j in zip(all_runs, json_runs, strict=True)])}** "
                    f"| {med([c for _, c in json_runs])} | {med([c for _, c in all_runs])} "
                    f"| {med([a[1] - j[1] for a, j in zip(all_runs, json_runs, strict=True)])} "
                    f"| {load:.1f} |"
                )
            print("\n".join(lines), flush=True)
    print(f"median of {runs} runs each, seconds; target: all − json < 10 s at 200 indicators")


def pdf_main(runs: int) -> None:
    """WeasyPrint alone: one layout against two halves and their merge (see the docstring)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from evalsoc.pipeline import run_framework
    from evalsoc.report.writers import pdf_file, pdf_split

    def cpu(call: object, *args: object) -> tuple[float, object]:
        start = time.process_time()
        value = call(*args)  # type: ignore[operator]
        return time.process_time() - start, value

    def single_wall(pool: ProcessPoolExecutor, page: str, path: str) -> float:
        start = time.perf_counter()
        pool.submit(pdf_file.html_to_pdf, page, path).result()
        return time.perf_counter() - start

    def split_wall(pools: list[ProcessPoolExecutor], page: str, path: str) -> float:
        start = time.perf_counter()
        parts = pdf_split.halves(page)
        first = pools[0].submit(pdf_split.lay_out, parts.first)
        second = pools[1].submit(pdf_split.lay_out, parts.second)
        pools[0].submit(pdf_split.merge, parts, first.result(), second.result(), path).result()
        return time.perf_counter() - start

    spawn = multiprocessing.get_context("spawn")
    pools = [ProcessPoolExecutor(max_workers=1, mp_context=spawn) for _ in range(2)]
    for warm in [pool.submit(pdf_file.warm_up) for pool in pools]:
        warm.result()
    pdf_file.warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "demo (chantier-insertion)": ROOT / "frameworks" / "chantier-insertion.yaml",
            "generated, 200 indicators × 4 sites": generated_framework(Path(tmp)),
        }
        print(
            "| framework | single: render + write_pdf CPU | halves CPU (first, second) | merge CPU "
            "| single wall, 1 worker | split wall, 2 workers | pages single / split | load |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for case, framework in cases.items():
            page = pdf_file.print_html(run_framework(framework, write=False))
            parts = pdf_split.halves(page, split_from=0)
            assert parts is not None, case
            rows: dict[str, list[float]] = {}
            load = os.getloadavg()[0]
            for i in range(runs):
                for variant in ("single", "split") if i % 2 == 0 else ("split", "single"):
                    if variant == "single":
                        from weasyprint import HTML

                        render, document = cpu(HTML(string=page).render)
                        write, _ = cpu(document.write_pdf)  # type: ignore[attr-defined]
                        rows.setdefault("single", []).append(render + write)
                        rows.setdefault("single wall", []).append(
                            single_wall(pools[0], page, f"{tmp}/single.pdf")
                        )
                        pages = len(document.pages)  # type: ignore[attr-defined]
                    else:
                        first_cpu, first = cpu(pdf_split.lay_out, parts.first)
                        second_cpu, second = cpu(pdf_split.lay_out, parts.second)
                        merge_cpu, _ = cpu(pdf_split.merge, parts, first, second, f"{tmp}/s.pdf")
                        rows.setdefault("first", []).append(first_cpu)
                        rows.setdefault("second", []).append(second_cpu)
                        rows.setdefault("merge", []).append(merge_cpu)
                        rows.setdefault("split wall", []).append(
                            split_wall(pools, page, f"{tmp}/split.pdf")
                        )
                        split_pages = len(first.pages) + len(second.pages)  # type: ignore[attr-defined]

            def med(key: str, rows: dict[str, list[float]] = rows) -> str:
                return f"{statistics.median(rows[key]):.2f}"

            print(
                f"| {case} | {med('single')} | {med('first')}, {med('second')} | {med('merge')} "
                f"| {med('single wall')} | **{med('split wall')}** | {pages} / {split_pages} "
                f"| {load:.1f} |",
                flush=True,
            )
    for pool in pools:
        pool.shutdown()
    print(f"median of {runs} runs, seconds")


if __name__ == "__main__":
    if "--pdf" in sys.argv:
        import argparse

        parser = argparse.ArgumentParser()
        parser.add_argument("--pdf", action="store_true")
        parser.add_argument("--runs", type=int, default=3)
        sys.exit(pdf_main(parser.parse_args().runs))
    if "--cli" in sys.argv:
        import argparse

        parser = argparse.ArgumentParser()
        parser.add_argument("--cli", action="store_true")
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--base-src")
        args = parser.parse_args()
        sys.exit(cli_main(args.runs, args.base_src))
    sys.exit(main())
