"""A spy on every way the DuckDB engine hands rows to Python (`DuckDBEngine.rows`,
`DuckDBTable.to_pandas`), for the tests proving an effect answered in the engine collects none:
`spy_on_collects(monkeypatch)` returns the list each collect appends to ("rows [columns]",
"to_pandas [columns]")."""

from __future__ import annotations

from typing import Any

import pytest


def spy_on_collects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from evalsoc.engines.duckdb import DuckDBEngine
    from evalsoc.engines.duckdb_table import DuckDBTable

    collected: list[str] = []
    original_rows, original_to_pandas = DuckDBEngine.rows, DuckDBTable.to_pandas

    def rows(self: Any, source: str, columns: Any, where: Any) -> Any:
        collected.append(f"rows {columns}")
        return original_rows(self, source, columns, where)

    def to_pandas(self: Any, columns: Any = None, *args: Any, **kwargs: Any) -> Any:
        collected.append(f"to_pandas {columns}")
        return original_to_pandas(self, columns, *args, **kwargs)

    monkeypatch.setattr(DuckDBEngine, "rows", rows)
    monkeypatch.setattr(DuckDBTable, "to_pandas", to_pandas)
    return collected
