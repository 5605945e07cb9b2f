"""Write a 10^8-row Parquet file as k copies of the seeded 10^7-row file, ids shifted.

Generating 10^8 seeded rows with numpy takes long on a shared 2-core machine; the copies keep
every column's distribution and the key's uniqueness (copy c has ids + c·n), which is what the
scale benchmark needs. Streams one row group at a time: memory stays at one group.

    python benchmarks/replicate_parquet.py SOURCE.parquet TARGET.parquet --copies 10
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def replicate(source: Path, target: Path, copies: int) -> int:
    """Write `copies` copies of `source` to `target` (a new file); return the rows written."""
    if target.exists():
        raise SystemExit(f"{target} exists: not overwritten")
    reader = pq.ParquetFile(source)
    n = reader.metadata.num_rows
    part = target.with_suffix(".parquet.part")
    rows = 0
    with pq.ParquetWriter(part, reader.schema_arrow, compression="snappy") as writer:
        for copy in range(copies):
            for group in range(reader.metadata.num_row_groups):
                table = reader.read_row_group(group)
                ids = pc.add(table.column("id"), pa.scalar(copy * n, pa.int64()))
                table = table.set_column(table.schema.get_field_index("id"), "id", ids)
                writer.write_table(table)
                rows += table.num_rows
    part.rename(target)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    print(replicate(args.source, args.target, args.copies), "rows written to", args.target)


if __name__ == "__main__":
    main()
