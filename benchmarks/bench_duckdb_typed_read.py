"""How much of the DuckDB CSV intake's copy a typed read would save (issue 16, the 10^6 CSV
target): DuckDB's `read_csv` into a table with every column as text (what
data/duckdb_files.py does, so that each cell is typed by evalsoc's rules), against the
declared types given to the reader, with and without its reject table (`store_rejects`: each
cell the reader cannot type, by line and column, instead of an error).

No evalsoc code runs: this measures the reader alone, to size the change that round 10's
closing note leaves for the next round. Alternated, medians of `--repeat` runs, each in this
process on a fresh in-memory connection.

    python benchmarks/bench_duckdb_typed_read.py --file DATA/scale_1000000.csv --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

TEXT_COLUMNS = ("employed", "housed", "trained", "site", "group", "sexe")
INTEGER_COLUMNS = ("id", "wave")
NULLS = "['', 'NA', 'n/a']"


def column_types(names: list[str], typed: bool) -> str:
    """DuckDB's `columns` struct: every column VARCHAR, or bench_scale's declared types."""

    def kind(name: str) -> str:
        if not typed or name in TEXT_COLUMNS:
            return "VARCHAR"
        return "BIGINT" if name in INTEGER_COLUMNS else "DOUBLE"

    return "{" + ", ".join(f"'{n}': '{kind(n)}'" for n in names) + "}"


def read_once(path: Path, mode: str, threads: int) -> tuple[float, float, int]:
    """(wall s, CPU s, rejected cells) of one CREATE TABLE … AS SELECT * FROM read_csv."""
    import duckdb

    connection = duckdb.connect()
    connection.execute(f"SET threads = {threads}")
    names = path.open(encoding="utf-8").readline().strip().split(";")
    columns = column_types(names, mode != "text")
    rejects = ", store_rejects = true" if mode == "typed_rejects" else ""
    query = (
        "CREATE TABLE raw AS SELECT * FROM read_csv($path, delim = ';', header = true, "
        f"columns = {columns}, auto_detect = false, nullstr = {NULLS}{rejects})"
    )
    wall, cpu = time.perf_counter(), time.process_time()
    connection.execute(query, {"path": str(path)})
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rejected = 0
    if rejects:
        (rejected,) = connection.execute("SELECT count(*) FROM reject_errors").fetchone()
    connection.close()
    return wall, cpu, rejected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, required=True, help="bench_scale.py's CSV")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    modes = ("text", "typed", "typed_rejects")
    runs: dict[str, list[tuple[float, float, int]]] = {m: [] for m in modes}
    for i in range(args.repeat):
        for mode in modes[i % 3 :] + modes[: i % 3]:
            runs[mode].append(read_once(args.file, mode, args.threads))
    print("| read | wall s (median) | CPU s (median) | / text CPU | rejected cells |")
    print("|---|---:|---:|---:|---:|")
    base = statistics.median(r[1] for r in runs["text"])
    for mode in modes:
        wall = statistics.median(r[0] for r in runs[mode])
        cpu = statistics.median(r[1] for r in runs[mode])
        print(f"| {mode} | {wall:.2f} | {cpu:.2f} | {cpu / base:.2f} | {runs[mode][0][2]} |")


if __name__ == "__main__":
    main()
