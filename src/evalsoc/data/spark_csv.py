"""Spark intake of a CSV source: read, converted and validated by Spark itself, its clean rows
left there (engines/spark_sources.py), never a pandas DataFrame on the driver (issue 16).

The result is the pandas intake's: the file read as pyarrow reads it (data/spark_csv_read.py),
each column converted as data/convert.py converts it (data/spark_csv_columns.py), the checks
of data/validate.py (data/spark_checks.py), and the quarantine and report built by the pandas
intake's own functions (settle_failures, quarantine_table), so their bytes are the same.

Scans: (1) rows per block, rows of missing cells only, rows of the wrong length, cells
holding a quote, and how pyarrow would type the columns it infers, in one aggregation;
(2) only when a column has cells that are not plain, their distinct spellings, in one
aggregation for all such columns; (3) the checks (data/spark_checks.py), then only the
failing rows collected. Whatever this cannot reproduce exactly sends the source to the pandas
intake with the reason in both languages.

The file is parsed once: Spark's CSV parser is the costliest step (round 8: every scan parsed
the text again), so the text cells are left in Spark's cache (memory and disk) by the first
scan, and the converted rows by the checks' scan; the engine's queries read the converted
rows' cache (the clean rows are a projection of it), and the text cells' cache is dropped
once the checks are settled.
"""

from __future__ import annotations

from typing import Any

from evalsoc.data.spark_csv_columns import MAX_DISTINCT, READ_AS_TEXT, CsvPlan
from evalsoc.data.spark_csv_read import BLOCK, CORRUPT, PANDAS_WORDS_IT
from evalsoc.data.spark_intake import Reason, _reason

FILE_ROW = "_file_row"


def is_csv(source: Any) -> bool:
    """The source is a CSV file (read here; a Parquet file: data/spark_intake.py)."""
    from evalsoc.data.duckdb_intake import _suffix_format

    return (source.format or _suffix_format(source.file)) == "csv"


def _names(source: Any, names: list[str]) -> list[str] | Reason:
    """The file's columns renamed as declared, or why the pandas intake reads the file."""
    from evalsoc.data.csv_file import _UNNAMED
    from evalsoc.data.readers.surveys import detect_tool
    from evalsoc.data.spark_intake import renamed_columns

    if any(not n or _UNNAMED.match(n) for n in names) or len(set(names)) != len(names):
        return _reason(
            "un en-tête vide, sans nom ou répété", "a header cell is empty, unnamed or repeated"
        )
    if detect_tool(names):
        return _reason("un export d'outil d'enquête", "a survey tool's export")
    return renamed_columns(source, names)


def _inferred(spec: Any) -> bool:
    """pyarrow types the column (the pandas reader reads the others as text)."""
    return spec is None or spec.type not in READ_AS_TEXT


def _first_scan(raw: Any, renamed: list[str], source: Any, found: Any) -> dict[str, Any]:
    """Per block: rows, first id; rows of missing cells only, of the wrong length, cells with
    a quote, and pyarrow's typing counts. Summed over the blocks (blocks: their list)."""
    from pyspark.sql import functions as F

    from evalsoc.data.spark_csv_columns import infer_counts
    from evalsoc.data.spark_csv_read import block_counts

    columns = [F.col(f"r{j}") for j in range(len(renamed))]
    empty = F.lit(bool(columns))
    for x in columns:
        empty = empty & x.isNull()
    counts = [*block_counts(), F.count(F.when(empty, 1)).alias("empty")]
    counts.append(F.count(F.when(F.col(CORRUPT), 1)).alias("corrupt"))
    for j, (name, x) in enumerate(zip(renamed, columns, strict=True)):
        counts.append(F.count(x).alias(f"present{j}"))
        if found.quotes:
            counts.append(F.count(F.when(x.contains('"'), 1)).alias(f"quote{j}"))
        if _inferred(source.columns.get(name)):
            counts.extend(infer_counts(j, x, found.info.decimal or "."))
    rows = raw.groupBy(BLOCK).agg(*counts).collect()
    blocks = [(int(r[BLOCK]), int(r["_rows"]), int(r["_first"])) for r in rows]
    summed: dict[str, Any] = {}
    for r in rows:
        for key, value in r.asDict().items():
            if key not in (BLOCK, "_first"):
                summed[key] = summed.get(key, 0) + int(value)
    summed.setdefault("_rows", 0)
    summed.setdefault("empty", 0)
    summed["blocks"] = blocks
    return summed


def _plans(
    renamed: list[str], source: Any, counts: dict[str, Any], decimal: str
) -> list[CsvPlan] | Reason:
    """Each column's plan from the first scan's counts, or why the pandas intake reads it."""
    from evalsoc.data.spark_csv_columns import inferred_kind, set_dtype

    plans = []
    for j, name in enumerate(renamed):
        spec = source.columns.get(name)
        if counts.get(f"quote{j}"):
            return _reason(
                f"colonne {name!r} : des cellules contenant un guillemet",
                f"column {name!r}: cells holding a quote",
            )
        read = "text"
        if _inferred(spec):
            defaults = {f"{k}{j}": 0 for k in ("present", "int", "num", "text")}
            kind = inferred_kind({**defaults, **counts}, j, counts["_rows"])
            if kind is None:
                return _reason(
                    f"colonne {name!r} : typage de pyarrow non reproduit",
                    f"column {name!r}: pyarrow's typing not reproduced",
                )
            read = kind
        plan = CsvPlan(name, f"r{j}", spec, read, decimal)
        set_dtype(plan)
        plans.append(plan)
    return plans


def _mappings(session: Any, raw: Any, plans: list[CsvPlan]) -> Reason | None:
    """The distinct non-plain spellings of every column that has some, in one aggregation,
    converted on the driver and broadcast back as each plan's `mapping`."""
    from pyspark.sql import functions as F

    from evalsoc.data.spark_csv_columns import mapping_frame, spark_type
    from evalsoc.data.spark_spellings import distinct_spellings

    tested = [p for p in plans if p.spec is not None and p.plain != ""]
    if not tested:
        return None
    found = distinct_spellings(
        raw, [F.when(~p.plain_test(F.col(p.raw)), F.col(p.raw)) for p in tested]
    )
    if found is None:
        return _reason(
            f"plus de {MAX_DISTINCT} écritures distinctes à convertir par pandas dans une colonne",
            f"more than {MAX_DISTINCT} distinct spellings needing pandas' conversion in a column",
        )
    for plan, spellings in zip(tested, found, strict=True):
        if not spellings:
            continue
        frame = mapping_frame(plan, spellings)
        if isinstance(frame, str):
            return _reason(
                f"colonne {plan.name!r} : des textes entourés d'espaces",
                f"column {plan.name!r}: texts with spaces around them",
            )
        schema = f"x string, v {spark_type(plan)}, bad boolean, shown string"
        plan.mapping = F.broadcast(session.createDataFrame(frame, schema=schema))
    return None


def _converted(raw: Any, plans: list[CsvPlan], position: Any) -> Any:
    """`_file_row`, each column's value c{j}, and for a column that can fail, f{j} (failed)
    and o{j} (the cell as the pandas intake shows it in a failure)."""
    from pyspark.sql import functions as F

    from evalsoc.data.spark_csv_columns import cast, cast_bad

    data = raw.select(position.alias(FILE_ROW), *[F.col(p.raw) for p in plans])
    for j, plan in enumerate(plans):
        if plan.mapping is not None:
            m = plan.mapping.select(
                *[F.col(c).alias(f"m{j}_{c}") for c in ("x", "v", "bad", "shown")]
            )
            data = data.join(m, data[plan.raw] == m[f"m{j}_x"], "left")
    selected = [F.col(FILE_ROW)]
    for j, plan in enumerate(plans):
        x = F.col(plan.raw)
        if plan.spec is None and plan.read == "text":
            selected.append(x.alias(f"c{j}"))
            continue
        value, bad = cast(plan, x), cast_bad(plan, x)
        shown: Any = x
        if plan.read != "text" and plan.decimal == ",":
            shown = F.regexp_replace(x, ",", ".")
        if plan.mapping is not None:
            plain = plan.plain_test(x)
            value = F.when(plain, value).otherwise(F.col(f"m{j}_v"))
            bad = F.when(plain, bad).otherwise(F.col(f"m{j}_bad"))
            shown = F.when(plain, x).otherwise(F.col(f"m{j}_shown"))
        selected.append(F.when(x.isNull(), F.lit(None)).otherwise(value).alias(f"c{j}"))
        if plan.can_fail:
            selected.append(F.coalesce(x.isNotNull() & bad, F.lit(False)).alias(f"f{j}"))
            selected.append(shown.alias(f"o{j}"))
    return data.select(*selected)


def read_source(
    session: Any, name: str, source: Any, base_dir: str | None
) -> tuple[Any, Any, Any] | Reason:
    """(SparkTable, SourceReport, quarantine) for a CSV source, or why the pandas intake must
    read it."""

    from evalsoc.data.info import resolve_path
    from evalsoc.data.spark_csv_read import detect, raw_frame

    if source.lines_above_header:
        return _reason("des lignes de titre au-dessus de l'en-tête", "title lines above the header")
    path = resolve_path(base_dir, source.file)
    if not path.is_file():
        return _reason("fichier introuvable", "file not found")
    found = detect(path, source)
    if isinstance(found, dict):
        return found
    renamed = _names(source, found.names)
    if isinstance(renamed, dict):
        return renamed
    # Parsed once, by the first scan: the later scans read the cached text cells.
    raw = raw_frame(session, path, found).cache()
    try:
        return _read_parsed(session, name, source, found, renamed, raw)
    finally:
        # Dropped once settled: the converted rows' cache, filled by the checks' scan, is kept
        # (Spark keeps a dependent cache already filled; one not yet filled reads the file).
        raw.unpersist()


def _read_parsed(
    session: Any, name: str, source: Any, found: Any, renamed: list[str], raw: Any
) -> tuple[Any, Any, Any] | Reason:
    """read_source's work once the file's text cells are a (cached) Spark DataFrame."""
    from pyspark.sql import functions as F

    from evalsoc.data.spark_csv_read import file_row

    counts = _first_scan(raw, renamed, source, found)
    if counts.get("corrupt"):
        return PANDAS_WORDS_IT  # a row of another length than the header: pyarrow refuses it
    decimal = found.info.decimal or "."
    plans = _plans(renamed, source, counts, decimal)
    if isinstance(plans, dict):
        return plans
    why = _mappings(session, raw, plans)
    if why is not None:
        return why

    info = found.info
    skipped = int(counts["empty"])
    position = file_row(counts["blocks"])
    columns = [F.col(p.raw) for p in plans]
    empty = F.lit(bool(plans))
    for x in columns:
        empty = empty & x.isNull()
    empty_rows: list[int] = []
    if skipped:
        info.notes.append(
            {
                "fr": f"{skipped} ligne(s) vide(s) (seulement des séparateurs) ignorée(s)",
                "en": f"{skipped} empty row(s) (only delimiters) skipped",
            }
        )
        empty_rows = sorted(int(r[0]) for r in raw.filter(empty).select(position).collect())
        raw = raw.filter(~empty)
    info.rows_read = int(counts["_rows"]) - skipped
    # Cached by the checks' scan: the failing rows and the engine's queries read it.
    converted = _converted(raw, plans, position).cache()

    from evalsoc.data.spark_clean_rows import settled_table

    # The engine's table is a projection of the cached converted rows (no second cache): each
    # of its queries reads columns there, not the CSV text parsed again.
    return settled_table(
        session,
        name,
        info,
        plans,
        source,
        converted,
        lambda rows: _originals(session, raw, plans, position, rows),
        empty_rows,
        [p.kind for p in plans],
    )


def _originals(session: Any, raw: Any, plans: list[CsvPlan], position: Any, rows: list[int]) -> Any:
    """The failing rows' cells as the pandas intake holds them before conversion (the text as
    prepared, or the number pyarrow typed), labelled by their row in the file."""
    import pandas as pd

    from evalsoc.data.duckdb_columns import pandas_dtype, prepared_text
    from evalsoc.data.spark_clean_rows import rows_frame

    wanted = rows_frame(session, rows)
    numbered = raw.select(position.alias(FILE_ROW), *[p.raw for p in plans])
    found = numbered.join(wanted, numbered[FILE_ROW] == wanted["_bad"], "left_semi")
    arrow = found.orderBy(FILE_ROW).toArrow()
    frame = pd.DataFrame(index=arrow.column(FILE_ROW).to_numpy())
    for plan in plans:
        cells = pd.Series(
            arrow.column(plan.raw).to_pandas().to_numpy(dtype=object), index=frame.index
        )
        text = cells.astype(pandas_dtype("str"))
        if plan.read == "text":
            frame[plan.name] = prepared_text(text, plan.spec)
        else:
            numbers = pd.to_numeric(text.str.replace(",", ".", regex=False))
            frame[plan.name] = numbers.astype("Int64" if plan.read == "int" else "float64")
    return frame
