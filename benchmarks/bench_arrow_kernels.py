"""Arrow's C++ kernels against the numpy passes of the pandas path, kernel by kernel, on
bench_scale.py's 10^6-row CSV (issue 16, round 10).

The question: would the pandas engine gain by handing its checks, row filters and grouped
sums to Arrow (pyarrow.compute, `pa.Table.group_by(...).aggregate(...)`, `Table.filter`),
which can use both cores on a table of several chunks, where evalsoc runs numpy on one? Each
pair computes the same thing on the same data, read once as evalsoc reads it (pyarrow's CSV
reader: a table of several chunks) and as the pandas engine holds it (numpy columns, int64
group codes):

- grouped sums: Σx and Σx² of the 8 numeric columns by the 20 sites (evalsoc: `np.bincount`
  with weights, sections/indicators/shared_sums.py) against Arrow's hash `sum`, on threads
  over the reader's chunks, and on the engine's arrays as one chunk each;
- kept rows: the 20 columns compressed by the kept-rows mask (data/keep_rows.py: numpy per
  column) against `Table.filter`;
- range checks: `min 0, max 1000` on the 8 numeric columns (numpy comparisons) against
  `pyarrow.compute` (`less`, `greater`, `or_`) on the chunked columns;
- text codes: the CSV parsed with its 7 text columns as strings then dictionary-encoded (one
  hash pass per column, evalsoc's data/text_codes.py) against the parse itself building each
  chunk's dictionary on Arrow's threads (`column_types` dictionary, `unify_dictionaries`, the
  strings taken back for the frame). Here "numpy" is evalsoc's way, "Arrow" the alternative.

Alternated runs in one process, median CPU (`time.process_time`, all threads) and wall
(`time.perf_counter`); whether the results are the same bits is printed beside (a change that
moves one bit of a published sum is not behaviour-preserving).

    cd benchmarks && python bench_arrow_kernels.py --repeat 7
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import bench_scale as b
import numpy as np


def timed(work: Callable[[], object]) -> tuple[float, float, object]:
    cpu, wall = time.process_time(), time.perf_counter()
    out = work()
    return time.process_time() - cpu, time.perf_counter() - wall, out


def main() -> None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    csv = b.DATA / f"scale_{args.rows}.csv"
    if not csv.exists():
        b.make_data(args.rows, csv, b.DATA / f"scale_{args.rows}.parquet")
    table = pacsv.read_csv(csv, parse_options=pacsv.ParseOptions(delimiter=";"))
    frame = table.to_pandas()
    codes = frame["site"].astype("category").cat.codes.to_numpy().astype(np.int64)
    ngroups = int(codes.max()) + 1
    numeric = {c: frame[c].to_numpy() for c in b.NUMERIC}
    keep = np.ones(len(frame), dtype=bool)
    keep[::1000] = False  # ≈ the benchmark's 0.1 % quarantined rows
    coded = table.append_column("g", pa.chunked_array(_chunks_like(table, codes)))

    def sums_numpy():
        return [
            (
                np.bincount(codes, weights=v, minlength=ngroups),
                np.bincount(codes, weights=v * v, minlength=ngroups),
            )
            for v in numeric.values()
        ]

    def sums_arrow():
        # Σx² needs the squares as a column: made inside the timed span, as numpy's are
        sq = coded.select(["g"])
        for c in b.NUMERIC:
            sq = sq.append_column(c + "_sq", pc.multiply(coded[c], coded[c]))
        first = coded.group_by("g").aggregate([(c, "sum") for c in b.NUMERIC]).sort_by("g")
        second = sq.group_by("g").aggregate([(c + "_sq", "sum") for c in b.NUMERIC]).sort_by("g")
        return [(first[c + "_sum"].to_numpy(), second[c + "_sq_sum"].to_numpy()) for c in b.NUMERIC]

    def sums_arrow_one_chunk():
        # the pandas engine's own arrays as one chunk each (no copy): Arrow's plan on one thread
        columns = {"g": codes} | {c: v for c, v in numeric.items()}
        columns |= {c + "_sq": v * v for c, v in numeric.items()}
        whole = pa.table(columns)
        names = [(c, "sum") for c in b.NUMERIC] + [(c + "_sq", "sum") for c in b.NUMERIC]
        found = whole.group_by("g").aggregate(names).sort_by("g")
        return [(found[c + "_sum"].to_numpy(), found[c + "_sq_sum"].to_numpy()) for c in b.NUMERIC]

    def kept_numpy():
        return [
            frame[c].to_numpy()[keep]
            if isinstance(frame[c].dtype, np.dtype)
            else frame[c].array[keep]
            for c in frame.columns
        ]

    mask = pa.array(keep)

    def kept_arrow():
        return table.filter(mask)

    def checks_numpy():
        return [(v < 0) | (v > 1000) for v in numeric.values()]

    def checks_arrow():
        return [pc.or_(pc.less(table[c], 0), pc.greater(table[c], 1000)) for c in b.NUMERIC]

    text = ["employed", "housed", "trained", "site", "group", "sexe", "wave"]

    def read(types: dict) -> pa.Table:
        return pacsv.read_csv(
            csv,
            parse_options=pacsv.ParseOptions(delimiter=";"),
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True),
        )

    def codes_after_parse():  # evalsoc: text parsed as strings, then one hash pass per column
        found = read({c: pa.string() for c in text})
        return [found[c].combine_chunks().dictionary_encode() for c in text]

    def codes_in_parse():  # Arrow's parse threads build each chunk's dictionary; unified
        found = read({c: pa.dictionary(pa.int32(), pa.string()) for c in text})
        found = found.unify_dictionaries()
        out = []
        for c in text:
            indices = pa.chunked_array([x.indices for x in found[c].chunks]).combine_chunks()
            dictionary = found[c].chunk(0).dictionary
            pc.take(dictionary, indices)  # the strings the frame holds
            out.append(pa.DictionaryArray.from_arrays(indices, dictionary))
        return out

    pairs = {
        "read + text codes (7 text columns)": (
            codes_after_parse,
            codes_in_parse,
            lambda a, c: "yes" if all(x.equals(y) for x, y in zip(a, c)) else "no",
        ),
        "grouped sums (8 columns × Σx, Σx², 20 groups)": (sums_numpy, sums_arrow, _same_sums),
        "the same, Arrow on one chunk per column": (sums_numpy, sums_arrow_one_chunk, _same_sums),
        "kept rows (20 columns)": (kept_numpy, kept_arrow, lambda a, c: "—"),
        "range checks (8 columns)": (checks_numpy, checks_arrow, _same_checks),
    }
    print(
        f"{args.rows:,} rows, {table.num_columns} columns in {table[0].num_chunks} chunks; "
        f"load {os.getloadavg()[0]:.1f}; Arrow threads {pa.cpu_count()}; median of {args.repeat}\n"
    )
    print(
        "| kernel | numpy: CPU ms · wall ms | Arrow: CPU ms · wall ms | Arrow / numpy, CPU · wall | same bits |"
    )
    print("|---|---:|---:|---:|---|")
    for name, (mine, theirs, same) in pairs.items():
        runs: dict[str, list[tuple[float, float]]] = {"numpy": [], "arrow": []}
        outs = {}
        for i in range(args.repeat + 1):
            order = [("numpy", mine), ("arrow", theirs)]
            for key, work in order if i % 2 else order[::-1]:
                cpu, wall, outs[key] = timed(work)
                if i:  # the first round warms up, not counted
                    runs[key].append((cpu, wall))
        med = {
            k: (statistics.median(c for c, _ in v), statistics.median(w for _, w in v))
            for k, v in runs.items()
        }
        n, a = med["numpy"], med["arrow"]
        print(
            f"| {name} | {n[0] * 1e3:.1f} · {n[1] * 1e3:.1f} | {a[0] * 1e3:.1f} · {a[1] * 1e3:.1f} "
            f"| {a[0] / n[0]:.2f} · {a[1] / n[1]:.2f} | {same(outs['numpy'], outs['arrow'])} |"
        )
    print(f"\nload at the end {os.getloadavg()[0]:.1f}")


def _chunks_like(table, values: np.ndarray) -> list:
    """`values` cut into the table's chunks (so Arrow's plan sees the same batches)."""
    import pyarrow as pa

    out, start = [], 0
    for chunk in table[0].chunks:
        out.append(pa.array(values[start : start + len(chunk)]))
        start += len(chunk)
    return out


def _same_sums(numpy_sums, arrow_sums) -> str:
    equal = all(
        np.array_equal(a[0], b_[0]) and np.array_equal(a[1], b_[1])
        for a, b_ in zip(numpy_sums, arrow_sums)
    )
    close = all(np.allclose(a[0], b_[0], rtol=1e-12) for a, b_ in zip(numpy_sums, arrow_sums))
    return "yes" if equal else ("no (within 1e-12)" if close else "no")


def _same_checks(numpy_checks, arrow_checks) -> str:
    return (
        "yes"
        if all(
            np.array_equal(a, c.to_numpy(zero_copy_only=False))
            for a, c in zip(numpy_checks, arrow_checks)
        )
        else "no"
    )


if __name__ == "__main__":
    main()
