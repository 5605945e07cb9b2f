"""The clean rows a Spark intake leaves in Spark (data/spark_intake.py for Parquet,
data/spark_csv.py for CSV): the converted rows without the quarantined ones, each numbered by
its position among the rows kept, as the engine's masks count them."""

from __future__ import annotations

from typing import Any


def rows_frame(session: Any, rows: list[int]) -> Any:
    """A one-column Spark DataFrame (`_bad`) of row numbers, through Arrow."""
    import pandas as pd

    frame = pd.DataFrame({"_bad": pd.Series(rows, dtype="int64")})
    return session.createDataFrame(frame, schema="_bad long")


BLOCK = 4096  # rows of the file per block of the position lookup


def clean_rows(session: Any, converted: Any, bad: list[int], removed: list[int], count: int) -> Any:
    """The clean rows: `converted` without the quarantined rows, with `_row`, each row's
    position among the rows kept: its row in the file less the rows removed before it (empty
    or quarantined), as the engine's masks count them.

    Without a Python worker (a cluster's executors may lack pyarrow): the file's rows are cut
    in blocks of BLOCK rows; a small broadcast table gives each block the rows removed before
    it and the removed rows inside it, and Spark counts the latter below each row."""
    import numpy as np
    import pandas as pd
    from pyspark.sql import functions as F

    kept = converted
    if bad:
        wanted = rows_frame(session, bad)
        kept = kept.join(wanted, kept["_file_row"] == wanted["_bad"], "left_anti")
    columns = [F.col(f"c{j}") for j in range(count)]
    if not removed:
        return kept.select(F.col("_file_row").alias("_row"), F.col("_file_row"), *columns)
    gone = np.asarray(removed, dtype=np.int64)
    blocks = np.arange(int(gone[-1]) // BLOCK + 1, dtype=np.int64)
    starts = np.searchsorted(gone, blocks * BLOCK, side="left")
    ends = np.searchsorted(gone, (blocks + 1) * BLOCK, side="left")
    lookup = pd.DataFrame(
        {
            "_block": blocks,
            "_before": starts.astype(np.int64),
            "_inside": [gone[a:b].tolist() for a, b in zip(starts, ends, strict=True)],
        }
    )
    table = session.createDataFrame(lookup, schema="_block long, _before long, _inside array<long>")
    block = F.floor(F.col("_file_row") / F.lit(BLOCK)).cast("long")
    # Rows past the last removed row have no block: every removed row is before them.
    joined = kept.join(F.broadcast(table), block == table["_block"], "left")
    file_row = F.col("_file_row")
    below = F.size(F.filter(F.col("_inside"), lambda x: x < file_row))
    row = F.when(F.col("_block").isNull(), file_row - F.lit(len(gone))).otherwise(
        file_row - F.col("_before") - below
    )
    return joined.select(row.alias("_row"), file_row, *columns)


def settled_table(
    session: Any,
    name: str,
    info: Any,
    plans: list[Any],
    source: Any,
    converted: Any,
    originals: Any,
    empty_rows: list[int],
    kinds: list[str],
) -> tuple[Any, Any, Any]:
    """Both Spark intakes' last step: the checked failures settled into the report and the
    quarantine (data/spark_checks.settled), then the clean rows left in Spark as the engine's
    table (column c{j} of kind kinds[j]). Returns (table, report, quarantine)."""
    from evalsoc.data.spark_checks import settled
    from evalsoc.engines.spark_columns import SparkColumn
    from evalsoc.engines.spark_sources import SparkTable

    report, quarantine, bad = settled(name, info, plans, source, converted, originals)
    clean = clean_rows(session, converted, bad, sorted({*bad, *empty_rows}), len(plans))
    table = SparkTable(
        clean,
        {
            p.name: SparkColumn(f"c{j}", kind)
            for j, (p, kind) in enumerate(zip(plans, kinds, strict=True))
        },
        {p.name: p.dtype for p in plans},
        report.rows_used,
    )
    return table, report, quarantine
