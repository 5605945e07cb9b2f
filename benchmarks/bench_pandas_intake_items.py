"""Each change of round 8's pandas intake (issue 16), old and new way side by side in one process.

On a loaded shared machine, whole runs move by ±0.3 s of CPU between rounds; each item here is
timed alone, old and new interleaved, and the smallest of `--repeat` CPU times is kept, on
bench_scale.py's 10^6-row CSV (the "ind" framework's source). The old ways are written out
here as the starting tree ran them.

    cd benchmarks && PYTHONPATH=../src python bench_pandas_intake_items.py --repeat 7
"""

from __future__ import annotations

import argparse
import codecs
import time
from collections.abc import Callable
from typing import Any

import bench_scale as b
import numpy as np


def best(function: Callable[[], Any], repeat: int) -> float:
    spent = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        spent.append(time.process_time() - start)
    return min(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    import pandas as pd

    from evalsoc.data import csv_file, validate
    from evalsoc.data.convert import by_distinct, convert_column, to_integer, to_likert
    from evalsoc.data.prepare import prepare
    from evalsoc.data.read import read_table
    from evalsoc.framework.expressions import parse_expression
    from evalsoc.framework.load import load_framework
    from evalsoc.sections.indicators.compute import group_codes

    csv = b.DATA / f"scale_{args.rows}.csv"
    framework_file = b.DATA / f"scale_{args.rows}_csv_ind_pandas.yaml"
    framework_file.write_text(b.framework_yaml(csv, "pandas", False), encoding="utf-8")
    framework = load_framework(str(framework_file))
    source = framework.data["d"]
    raw, info = read_table(source, framework.base_dir)
    prepared = prepare(source, raw, info)
    clean, _, _ = validate.validate_source("d", source, prepared.frame, info, prepared)
    data = csv.read_bytes()

    def utf8_old() -> None:
        decoder = codecs.getincrementaldecoder("utf-8")()
        for start in range(0, len(data), 1 << 20):
            decoder.decode(data[start : start + (1 << 20)])

    def utf8_new() -> None:
        view = memoryview(data)
        for start in range(0, len(data), 1 << 20):
            csv_file.is_utf8(view[start : start + (1 << 20)])

    wave = raw["wave"]
    q0_floats = raw["q0"].astype("float64")
    spec = source.columns["wave"]
    programme = parse_expression("group == 'programme'")
    plain_group = clean[["group"]].copy()
    plain_group["group"] = pd.array(clean["group"].tolist(), dtype="str")  # no codes
    bad_rows = np.arange(0, len(raw), 997)  # ≈ 1000 rows quarantined, as in the file

    def codes_copied() -> None:
        codes, _ = group_codes(clean, ["site", "group"])
        codes.astype(np.int64)  # the copy the old code made of each array of codes

    items = [
        ("UTF-8 check of the file (scan)", utf8_old, utf8_new),
        (
            "wave: integer column of plain digits",
            lambda: by_distinct(to_integer, wave),
            lambda: convert_column(wave, spec),
        ),
        (
            # the general path the column took before (its floats: one conversion fewer)
            "likert q0 read as whole numbers",
            lambda: to_likert(q0_floats, 4 + 1),
            lambda: to_likert(raw["q0"], 4 + 1),
        ),
        (
            "where `group == 'programme'`",
            lambda: programme.evaluate(plain_group),
            lambda: programme.evaluate(clean),
        ),
        (
            "empty rows of the CSV",
            lambda: raw.isna().all(axis=1),
            lambda: csv_file._all_missing_rows(raw),
        ),
        (
            "mask of the kept rows",
            lambda: ~raw.index.isin(bad_rows),
            lambda: validate._kept(raw.index, bad_rows),
        ),
        ("group codes, site × group", codes_copied, lambda: group_codes(clean, ["site", "group"])),
    ]
    print(f"| item (CPU ms, best of {args.repeat}) | old | new | new − old |")
    print("|---|---:|---:|---:|")
    total = 0.0
    for name, old, new in items:
        before, after = best(old, args.repeat), best(new, args.repeat)
        total += after - before
        print(
            f"| {name} | {before * 1e3:.1f} | {after * 1e3:.1f} | {(after - before) * 1e3:+.1f} |"
        )
    print(f"| total | | | {total * 1e3:+.1f} |")


if __name__ == "__main__":
    main()
