"""Read a Parquet file as `pd.read_parquet` does, its category-like text columns as Arrow
dictionaries whose codes are kept (data/text_codes.py, issue 16).

A Parquet writer stores a column of few distinct texts dictionary-encoded already: reading it
as a dictionary is cheaper than building a million strings, and the codes spare boolean
conversion, category checks and `by` groups a hash pass each. The frame is the one
`pd.read_parquet` gives (tests/data/test_parquet_file.py compares them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_parquet(path: Path, dictionary_columns: list[str]) -> Any:
    """The file's frame; `dictionary_columns` that the file holds as text get their codes."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from evalsoc.data.text_codes import decode_dictionaries, register_frame

    schema = pq.read_schema(path)
    coded = [
        name
        for name in dictionary_columns
        if name in schema.names
        and schema.get_all_field_indices(name) == [schema.get_field_index(name)]
        and (
            pa.types.is_string(schema.field(name).type)
            or pa.types.is_large_string(schema.field(name).type)
        )
    ]
    if not coded:
        return pd.read_parquet(path)
    # What pd.read_parquet does (pandas/io/parquet.py), with `read_dictionary`.
    table = pq.read_table(path, use_pandas_metadata=True, read_dictionary=coded)
    attrs = (table.schema.metadata or {}).get(b"PANDAS_ATTRS")
    table, codes = decode_dictionaries(table, coded)
    frame = table.to_pandas()
    if attrs is not None:
        frame.attrs = json.loads(attrs)
    register_frame(frame, codes)
    return frame
