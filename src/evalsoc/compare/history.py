"""History store: each recorded run's results in one embedded database file.

DuckDB (optional extra `evalsoc[history]`) when installed: one file, no server, SQL over the
indicator table, fast columnar reads of long histories, and it can read the results JSON
directly for ad-hoc queries. SQLite from the standard library otherwise, so that recording
never needs an extra package. The backend follows the file's suffix (`.duckdb` or `.sqlite`);
both use the same two tables:

- runs(run_id, framework_id, period_start, period_end, recorded_at, framework_sha256,
  evalsoc_version, results_json)
- indicator_values(run_id, indicator_id, kind, value, ci_low, ci_high, n, status, suppressed,
  definition_sha256)

An indicator whose definition hash (its YAML mapping, label excepted) differs from the previous
period's is flagged `definition_changed`, never silently compared."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evalsoc.errors import FrameworkError

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS runs (
        run_id INTEGER PRIMARY KEY, framework_id VARCHAR NOT NULL, period_start VARCHAR,
        period_end VARCHAR, recorded_at VARCHAR NOT NULL, framework_sha256 VARCHAR,
        evalsoc_version VARCHAR, results_json VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS indicator_values (
        run_id INTEGER NOT NULL, indicator_id VARCHAR NOT NULL, kind VARCHAR, value DOUBLE,
        ci_low DOUBLE, ci_high DOUBLE, n BIGINT, status VARCHAR, suppressed BOOLEAN,
        definition_sha256 VARCHAR, PRIMARY KEY (run_id, indicator_id))""",
    "CREATE INDEX IF NOT EXISTS runs_framework ON runs (framework_id)",
]


def duckdb_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("duckdb") is not None


def default_store(framework_path: Path) -> Path:
    """Beside the framework: an existing store first, else DuckDB when installed."""
    base = framework_path.with_name(framework_path.stem + ".history")
    for suffix in (".duckdb", ".sqlite"):
        if base.with_suffix(suffix).exists():
            return base.with_suffix(suffix)
    return base.with_suffix(".duckdb" if duckdb_available() else ".sqlite")


def _connect(path: Path) -> Any:
    if path.suffix == ".duckdb":
        if not duckdb_available():
            raise FrameworkError("history_needs_duckdb", at=str(path))
        import duckdb

        try:
            return duckdb.connect(str(path))
        except duckdb.Error as exc:
            raise FrameworkError(
                "history_duckdb_unreadable", at=str(path), detail=str(exc)
            ) from None
    import sqlite3

    return sqlite3.connect(str(path))


@contextmanager
def open_store(path: Path, *, create: bool = True) -> Iterator[Any]:
    if not create and not path.exists():
        raise FrameworkError("history_not_found", at=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path)
    try:
        for statement in SCHEMA:
            con.execute(statement)
        yield con
        con.commit()
    except Exception as exc:
        if "sqlite3" in type(exc).__module__ or "duckdb" in type(exc).__module__:
            raise FrameworkError("history_unusable", at=str(path), detail=str(exc)) from None
        raise
    finally:
        con.close()


RUN_COLUMNS = [
    "run_id",
    "framework_id",
    "period_start",
    "period_end",
    "recorded_at",
    "framework_sha256",
    "evalsoc_version",
    "results_json",
]
VALUE_COLUMNS = [
    "run_id",
    "indicator_id",
    "kind",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "status",
    "suppressed",
    "definition_sha256",
]


def record(
    con: Any,
    results: dict[str, Any],
    definitions: dict[str, str],
    *,
    recorded_at: str | None = None,
) -> int:
    """Store one run; returns its run_id."""
    return record_many(con, [(results, definitions)], recorded_at=recorded_at)[0]


def record_many(
    con: Any,
    items: list[tuple[dict[str, Any], dict[str, str]]],
    *,
    recorded_at: str | None = None,
) -> list[int]:
    """Store several runs (results, definition hashes) in one go; returns their run_ids."""
    first = int(con.execute("SELECT COALESCE(MAX(run_id), 0) + 1 FROM runs").fetchall()[0][0])
    stamp = recorded_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    run_rows, value_rows = [], []
    for offset, (results, definitions) in enumerate(items):
        run_id = first + offset
        fw = results["framework"]
        period = fw.get("period") or {}
        provenance = results.get("provenance") or {}
        run_rows.append(
            [
                run_id,
                str(fw["id"]),
                str(period.get("start") or ""),
                str(period.get("end") or ""),
                stamp,
                provenance.get("framework_sha256"),
                (provenance.get("versions") or {}).get("evalsoc"),
                json.dumps(results, ensure_ascii=False, sort_keys=True),
            ]
        )
        for ind_id, body in sorted(results.get("indicators", {}).items()):
            n = body.get("n")
            value_rows.append(
                [
                    run_id,
                    ind_id,
                    body.get("kind"),
                    _float(body.get("value")),
                    _float(body.get("ci_low")),
                    _float(body.get("ci_high")),
                    n if isinstance(n, int) and not isinstance(n, bool) else None,
                    body.get("status"),
                    bool(body.get("suppressed")),
                    definitions.get(ind_id),
                ]
            )
    _insert(con, "runs", RUN_COLUMNS, run_rows)
    _insert(con, "indicator_values", VALUE_COLUMNS, value_rows)
    return [first + k for k in range(len(items))]


def _insert(con: Any, table: str, columns: list[str], rows: list[list[Any]]) -> None:
    if not rows:
        return
    if "duckdb" in type(con).__module__:
        # DuckDB binds parameters slowly (~1 ms per value); a registered data frame is
        # inserted in one columnar scan.
        import pandas as pd

        frame = pd.DataFrame(rows, columns=columns)
        if table == "indicator_values":
            frame = frame.astype(
                {"n": "Int64", "value": "float64", "ci_low": "float64", "ci_high": "float64"}
            )
        con.register("evalsoc_new_rows", frame)
        try:
            con.execute(f"INSERT INTO {table} SELECT * FROM evalsoc_new_rows")
        finally:
            con.unregister("evalsoc_new_rows")
    else:
        marks = ", ".join("?" * len(columns))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def _float(x: Any) -> float | None:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def list_runs(con: Any, framework_id: str) -> list[dict[str, Any]]:
    """The recorded runs of a framework, oldest period first, with the indicators whose
    definition changed since the previous run."""
    runs = con.execute(
        "SELECT run_id, period_start, period_end, recorded_at, framework_sha256, evalsoc_version "
        "FROM runs WHERE framework_id = ? ORDER BY period_start, recorded_at, run_id",
        [framework_id],
    ).fetchall()
    defs: dict[int, dict[str, str | None]] = {}
    for run_id, ind_id, sha in con.execute(
        "SELECT v.run_id, v.indicator_id, v.definition_sha256 FROM indicator_values v "
        "JOIN runs r USING (run_id) WHERE r.framework_id = ?",
        [framework_id],
    ).fetchall():
        defs.setdefault(int(run_id), {})[ind_id] = sha
    out = []
    previous: dict[str, str | None] = {}
    for run_id, start, end, recorded, sha, version in runs:
        current = defs.get(int(run_id), {})
        changed = sorted(
            i
            for i, h in current.items()
            if i in previous and h and previous[i] and h != previous[i]
        )
        out.append(
            {
                "run_id": int(run_id),
                "period": {"start": start, "end": end},
                "recorded_at": recorded,
                "framework_sha256": sha,
                "evalsoc_version": version,
                "indicators": len(current),
                "definition_changed": changed,
            }
        )
        previous = current
    return out


def indicator_history(con: Any, framework_id: str, indicator_id: str) -> list[dict[str, Any]]:
    """One indicator over the recorded periods, each point flagged when its definition differs
    from the previous point's (then its change must not be read as a trend)."""
    rows = con.execute(
        "SELECT r.run_id, r.period_start, r.period_end, v.value, v.ci_low, v.ci_high, v.n, "
        "v.status, v.suppressed, v.definition_sha256 FROM indicator_values v JOIN runs r "
        "USING (run_id) WHERE r.framework_id = ? AND v.indicator_id = ? "
        "ORDER BY r.period_start, r.recorded_at, r.run_id",
        [framework_id, indicator_id],
    ).fetchall()
    out, previous = [], None
    for run_id, start, end, value, lo, hi, n, status, suppressed, sha in rows:
        out.append(
            {
                "run_id": int(run_id),
                "period": {"start": start, "end": end},
                "value": value,
                "ci": [lo, hi],
                "n": n,
                "status": status,
                "suppressed": bool(suppressed),
                "definition_sha256": sha,
                "definition_changed": previous is not None and sha is not None and sha != previous,
            }
        )
        previous = sha if sha is not None else previous
    return out


def record_file(store: Path, results: Any, framework_path: Path) -> int:
    """Record a finished run (the CLI's `run --record`): a Results object or its JSON dict."""
    from evalsoc.compare.definitions import yaml_definitions

    if hasattr(results, "to_json"):
        results = json.loads(results.to_json())
    definitions, _weights, _labels = yaml_definitions(framework_path)
    with open_store(store) as con:
        return record(con, results, definitions)
