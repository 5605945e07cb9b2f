"""Spark intake: a Parquet source read, converted and validated by Spark itself, its clean rows
left there (engines/spark_sources.py), never a pandas DataFrame on the driver (issue 16). A CSV
source is read by data/spark_csv.py (data/intake.py chooses).

Only Parquet columns that need no text conversion are read this way: text columns declared as
text (string, text, category, ordinal) or undeclared, integers declared integer or number or
undeclared, doubles declared number or undeclared, booleans declared boolean, dates declared
date. Each is kept as stored, with the pandas intake's values: NaN is missing, an infinite
number in a `number` column is a conversion failure, a date is a timestamp. One conversion is
made: text declared boolean (`oui`/`non`, a register exported with its answers as words), as
the CSV intake converts it: its distinct spellings (at most MAX_DISTINCT) converted on the
driver by data/convert.py and joined back from a small broadcast table (one more scan). The checks are
those of data/validate.py (data/spark_checks.py): counted in one aggregation, then only the
failing rows collected. The quarantine and the report are built by the pandas intake's own
functions (settle_failures, quarantine_table), so their bytes are the same.

Whatever this module cannot reproduce exactly (another format or type, a text with spaces
around it that the pandas intake strips, a declared code or label, a source `where`...) sends
the source to the pandas intake, with the reason in both languages (`why_not`, or the reason
returned by `read_source`); the run's progress line says which source and why.

Two scans of the file: one counts what decides the columns' pandas types and the rows made
only of missing cells (skipped, as the pandas reader skips them), the other the checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evalsoc.data.parquet_pandas_meta import pandas_restores
from evalsoc.data.spark_clean_rows import rows_frame, settled_table

# Nullable booleans print as plain ones (True/False) in the quarantine: allowed.
BOOLEANS_PRINT_PLAIN = frozenset({"bool", "boolean"})

TEXT_TYPES = ("string", "text", "category", "ordinal")
HANDLED = (*TEXT_TYPES, "integer", "number", "likert", "boolean", "date")
TWO_53 = 9007199254740992
NANOS_PER_DAY = 86_400 * 10**9
# Python's str.strip removes these (str.isspace): a cell starting or ending with one, or
# empty, is changed by the pandas intake's `_text` (Java's \s is only the ASCII six).
_SPACE = r"[\s\x1c-\x1f\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
NEEDS_STRIP = f"^$|^{_SPACE}|{_SPACE}$"

Reason = dict[str, str]  # {"fr": ..., "en": ...}


def _reason(fr: str, en: str) -> Reason:
    return {"fr": fr, "en": en}


@dataclass
class Plan:
    """One column of the file: how it is stored, declared, and held by the pandas intake."""

    name: str  # after renaming (the declared id)
    header: str  # as in the file
    stored: str  # text, int, float, bool or date
    spec: Any  # the declaration, None for an undeclared column
    dtype: Any = None  # the pandas intake's dtype, once known
    nulls: bool = False  # the file's column holds a missing value (int columns)
    restored_int: bool = False  # pandas metadata restores it as a nullable integer
    raw: str = ""  # its column in the raw frame (r0, r1...)
    mapping: Any = None  # text declared boolean: the broadcast table of its spellings

    @property
    def mapped(self) -> bool:
        """Text declared boolean: converted through its distinct spellings."""
        return self.stored == "text" and self.spec is not None and self.spec.type == "boolean"

    @property
    def check(self) -> str:
        """The wording of a conversion failure (data/convert.py's)."""
        if self.mapped:
            return "type: boolean (oui/non, vrai/faux, yes/no, 1/0)"
        if self.spec.type == "likert":
            return f"likert answer in 1..{self.spec.levels}"
        return "type: number"

    @property
    def can_fail(self) -> bool:
        """An infinite `number`; a likert answer outside 1..levels or not whole."""
        if self.spec is None:
            return False
        if self.mapped:  # a spelling that is no boolean
            return True
        return self.spec.type == "likert" or (self.spec.type == "number" and self.stored == "float")

    @property
    def read_dtype(self) -> str:
        """The dtype pd.read_parquet gives the column (its cells' text in the quarantine)."""
        if self.stored == "int":
            return "Int64" if self.restored_int else "float64" if self.nulls else "int64"
        if self.stored == "text":
            return "str"
        return "float64"


def why_not(source: Any, read_by_derived: bool) -> Reason | None:
    """Why the declarations of a source need the pandas intake (None: Spark reads it)."""
    from evalsoc.data.duckdb_intake import _suffix_format

    if read_by_derived:
        return _reason(
            "lue par une source dérivée (join, stack, wide_to_long)",
            "read by a derived source (join, stack, wide_to_long)",
        )
    fmt = source.format or _suffix_format(source.file)
    if fmt not in ("parquet", "csv"):
        shown = fmt or "unknown"
        return _reason(
            f"format {shown} (Spark ne lit lui-même que les fichiers CSV et Parquet)",
            f"{shown} format (Spark reads only CSV and Parquet files itself)",
        )
    if source.where:
        return _reason("un filtre `where` de source", "a source `where` filter")
    if source.missing_values:
        return _reason("des codes de valeur manquante", "codes declared as missing values")
    for column, spec in source.columns.items():
        which = repr(column)
        if spec.type not in HANDLED:
            return _reason(
                f"colonne {which} de type {spec.type}", f"column {which} of type {spec.type}"
            )
        if spec.type == "likert" and (not isinstance(spec.levels, int) or spec.values):
            return _reason(
                f"colonne {which} : échelle de likert à libellés ou valeurs listées",
                f"column {which}: a likert scale with labelled levels or listed values",
            )
        if spec.missing_values:
            return _reason(
                f"colonne {which} : codes de valeur manquante",
                f"column {which} declares missing-value codes",
            )
        if spec.labels:
            return _reason(
                f"colonne {which} : libellés de valeurs", f"column {which} has value labels"
            )
        if spec.unit:
            return _reason(f"colonne {which} : pourcentage", f"column {which} is a percentage")
        bounded = spec.min is not None or spec.max is not None
        if (bounded or spec.values is not None or spec.unique) and spec.type in ("boolean", "date"):
            return _reason(
                f"colonne {which} : contrôle de valeurs sur un type {spec.type}",
                f"column {which}: a value check on a {spec.type}",
            )
        if bounded and spec.type not in ("integer", "number"):
            return _reason(
                f"colonne {which} : bornes sur un type {spec.type}",
                f"column {which} has bounds on a {spec.type}",
            )
    return None


_STORED = {
    "string": "text",
    "large_string": "text",
    "int64": "int",
    "double": "float",
    "bool": "bool",
    "date32[day]": "date",
}
# What each stored kind may be declared as (None: undeclared) to be kept as stored.
_DECLARED = {
    "text": (None, *TEXT_TYPES, "boolean"),
    "int": (None, "integer", "number", "likert"),
    "float": (None, "number", "likert"),
    "bool": ("boolean",),
    "date": ("date",),
}


def renamed_columns(source: Any, names: list[str]) -> list[str] | Reason:
    """The file's columns renamed as declared (data/info.header_renames), or why the pandas
    intake reads the file: two columns get one name, or a declared column is missing."""
    from evalsoc.data.info import header_renames

    renames = header_renames(source, names)
    renamed = [renames.get(n, n) for n in names]
    if len(set(renamed)) != len(renamed):
        return _reason("deux colonnes prennent le même nom", "two columns get the same name")
    if any(c not in renamed for c in [*source.columns, *source.key]):
        return _reason(
            "une colonne déclarée manque (l'intake pandas dit laquelle)",
            "a declared column is missing (the pandas intake says which)",
        )
    return renamed


def _plans(source: Any, path: Any) -> list[Plan] | Reason:
    """The file's columns from its footer (no row read), or why the pandas intake reads it."""
    import pyarrow.parquet as pq

    from evalsoc.data.csv_file import _UNNAMED
    from evalsoc.data.readers.surveys import detect_tool

    try:
        schema = pq.read_schema(path)
    except Exception:  # pyarrow's many errors: the pandas reader words them
        return _reason(
            "le lecteur pandas décrit l'erreur de ce fichier",
            "the pandas reader words this file's error",
        )
    headers = [str(n).strip() for n in schema.names]
    if any(not n or _UNNAMED.match(n) for n in headers) or len(set(headers)) != len(headers):
        return _reason(
            "un en-tête vide, sans nom ou répété", "a header cell is empty, unnamed or repeated"
        )
    if len({n.casefold() for n in headers}) != len(headers) or "_metadata" in headers:
        return _reason(
            "des noms de colonnes que Spark confondrait",
            "column names Spark would not tell apart",
        )
    if detect_tool(headers):
        return _reason("un export d'outil d'enquête", "a survey tool's export")
    restored = pandas_restores(path, BOOLEANS_PRINT_PLAIN)
    if isinstance(restored, str):
        return _reason(f"métadonnées pandas : {restored}", f"pandas metadata: {restored}")
    renamed = renamed_columns(source, headers)
    if isinstance(renamed, dict):
        return renamed
    plans = []
    for header, name, field in zip(headers, renamed, schema, strict=True):
        stored = _STORED.get(str(field.type))
        spec = source.columns.get(name)
        declared_as = spec.type if spec is not None else None
        if stored is None or declared_as not in _DECLARED[stored]:
            shown = declared_as or "non déclarée"
            return _reason(
                f"colonne {name!r} : type Parquet {field.type} déclaré {shown}",
                f"column {name!r}: Parquet type {field.type} declared {declared_as or 'undeclared'}",
            )
        plans.append(Plan(name, header, stored, spec, restored_int=str(field.name) in restored))
    return plans


def _dtypes(plans: list[Plan]) -> None:
    """Each column's dtype as the pandas intake holds it after conversion (data/convert.py on
    what pd.read_parquet gives)."""
    import datetime

    import pandas as pd

    from evalsoc.data.convert import to_date

    for plan in plans:
        declared = plan.spec.type if plan.spec is not None else None
        if plan.mapped:
            plan.dtype = pd.BooleanDtype()
        elif plan.stored == "text":
            plan.dtype = pd.Series([], dtype="str").dtype
        elif plan.stored == "int" and declared == "integer":
            plan.dtype = pd.Int64Dtype()
        elif plan.stored == "int" and declared is None:
            read = "Int64" if plan.restored_int else "float64" if plan.nulls else "int64"
            plan.dtype = pd.Series([], dtype=read).dtype
        elif plan.stored in ("int", "float"):  # number, likert: floats
            plan.dtype = pd.Series([], dtype="float64").dtype
        elif plan.stored == "bool":
            plan.dtype = pd.BooleanDtype()
        else:  # a date column read as datetime.date objects, then to_date
            sample = pd.Series([datetime.date(2000, 1, 1), None], dtype=object)
            plan.dtype = to_date(sample, None)[0].dtype


def _spark_kind(plan: Plan) -> str:
    from evalsoc.engines.spark_columns import BOOLEAN, DATETIME, NUMBER, TEXT

    if plan.mapped:
        return BOOLEAN
    return {"text": TEXT, "bool": BOOLEAN, "date": DATETIME}.get(plan.stored, NUMBER)


def _value(plan: Plan, raw: Any) -> Any:
    """The Spark column of `plan` as the engine holds it (engines/spark.py's spark_table):
    missing as NULL (NaN too), numbers as long or double after the pandas dtype, dates as
    nanoseconds since 1970."""
    import pandas as pd
    from pyspark.sql import functions as F

    if plan.mapped:  # the spelling's value from the broadcast table (NULL: missing or failed)
        return F.when(raw.isNull(), F.lit(None)).otherwise(F.col(f"{plan.raw}_v"))
    if plan.stored == "float":
        gone = F.isnan(raw)
        if plan.can_fail:
            gone = gone | _failed(plan, raw)
        return F.when(gone, F.lit(None)).otherwise(raw)
    if plan.can_fail:  # a likert answer stored as an integer
        return F.when(_failed(plan, raw), F.lit(None)).otherwise(raw.cast("double"))
    if plan.stored == "int":
        return raw.cast("double") if plan.dtype == pd.Series([], dtype="float64").dtype else raw
    if plan.stored == "date":
        return F.unix_date(raw).cast("long") * F.lit(NANOS_PER_DAY)
    return raw


def _failed(plan: Plan, raw: Any) -> Any:
    """Whether a present cell fails its conversion (data/convert.py): an infinite number; a
    likert answer outside 1..levels or not whole (never NULL: a missing answer is no failure)."""
    from pyspark.sql import functions as F

    if plan.mapped:
        return F.coalesce(raw.isNotNull() & F.col(f"{plan.raw}_bad"), F.lit(False))
    value = raw.cast("double")
    if plan.spec.type == "likert":
        top = float(plan.spec.levels)
        whole = F.floor(value) == value
        outside = (value < F.lit(1.0)) | (value > F.lit(top)) | ~whole
        if plan.stored == "float":
            outside = outside & ~F.isnan(value)
    else:
        outside = F.abs(value) == F.lit(float("inf"))
    return F.coalesce(outside, F.lit(False))


def read_source(
    session: Any, name: str, source: Any, base_dir: str | None
) -> tuple[Any, Any, Any] | Reason:
    """(SparkTable, SourceReport, quarantine) for a Parquet source (a CSV source: data/
    spark_csv.py), or why the pandas intake must read it."""
    from pyspark.sql import functions as F

    from evalsoc.data.info import ReadInfo, resolve_path, sha256_file

    path = resolve_path(base_dir, source.file)
    if not path.is_file():
        return _reason("fichier introuvable", "file not found")
    plans = _plans(source, path)
    if isinstance(plans, dict):
        return plans
    raw_names = [f"r{j}" for j in range(len(plans))]
    for plan, raw_name in zip(plans, raw_names, strict=True):
        plan.raw = raw_name
    file_row = "_file_row"
    data = session.read.parquet(str(path))
    raw = data.select("*", F.col("_metadata.row_index")).toDF(*raw_names, file_row)

    # First scan: rows made only of missing cells (the pandas reader skips them), gaps in
    # integer columns (they decide pandas' dtype), texts the pandas intake would strip,
    # integers a gap made pandas hold as floats beyond 2^53 (it quarantines them).
    column = {p.name: F.col(r) for p, r in zip(plans, raw_names, strict=True)}
    empty = F.lit(bool(plans))  # a file without columns has no empty row (csv_file.py)
    for plan in plans:
        missing = column[plan.name].isNull()
        if plan.stored == "float":
            missing = missing | F.isnan(column[plan.name])
        empty = empty & missing
    counts = [F.count(F.lit(1)).alias("total"), F.count(F.when(empty, 1)).alias("empty")]
    for j, plan in enumerate(plans):
        value = column[plan.name]
        if plan.stored == "int":
            counts.append(F.count(F.when(value.isNull(), 1)).alias(f"gaps{j}"))
            counts.append(F.count(F.when(F.abs(value) > TWO_53, 1)).alias(f"big{j}"))
        if plan.stored == "text" and plan.spec is not None:
            counts.append(F.count(F.when(value.rlike(NEEDS_STRIP), 1)).alias(f"strip{j}"))
    found = raw.agg(*counts).collect()[0].asDict()
    for j, plan in enumerate(plans):
        if found.get(f"strip{j}"):
            return _reason(
                f"colonne {plan.name!r} : des textes vides ou entourés d'espaces",
                f"column {plan.name!r}: texts empty or with spaces around them",
            )
        plan.nulls = bool(found.get(f"gaps{j}"))
        integer = plan.spec is not None and plan.spec.type == "integer"
        if found.get(f"big{j}") and plan.nulls and integer and not plan.restored_int:
            return _reason(
                f"colonne {plan.name!r} : des entiers au-delà de 2^53 avec des trous",
                f"column {plan.name!r}: integers beyond 2^53 with gaps",
            )
    _dtypes(plans)
    from evalsoc.data.spark_spellings import boolean_spellings

    if not boolean_spellings(session, raw, plans, raw_names):
        from evalsoc.data.duckdb_columns import MAX_DISTINCT

        return _reason(
            f"plus de {MAX_DISTINCT} écritures distinctes d'un booléen dans une colonne",
            f"more than {MAX_DISTINCT} distinct spellings of a boolean in a column",
        )

    info = ReadInfo(str(path), "parquet", sha256_file(path))
    skipped = int(found["empty"])
    empty_rows: list[int] = []
    if skipped:
        info.notes.append(
            {
                "fr": f"{skipped} ligne(s) vide(s) (seulement des séparateurs) ignorée(s)",
                "en": f"{skipped} empty row(s) (only delimiters) skipped",
            }
        )
        empty_rows = [int(r[0]) for r in raw.filter(empty).select(file_row).collect()]
        raw = raw.filter(~empty)
    info.rows_read = int(found["total"]) - skipped

    looked_up = raw  # each mapped column's value and failure joined from its spellings
    for plan, name in zip(plans, raw_names, strict=True):
        if plan.mapping is not None:
            looked_up = looked_up.join(plan.mapping, raw[name] == plan.mapping[f"{name}_x"], "left")
    selected = [F.col(file_row)]
    for j, (plan, name) in enumerate(zip(plans, raw_names, strict=True)):
        selected.append(_value(plan, F.col(name)).alias(f"c{j}"))
        if plan.can_fail:  # the failure, and the cell as read (its `_value`)
            selected.append(_failed(plan, F.col(name)).alias(f"f{j}"))
            selected.append(F.col(name).alias(f"o{j}"))
    converted = looked_up.select(*selected)
    if looked_up is not raw:
        # Booleans stored as words: every query over the clean rows would read their text and
        # join their spellings again; the checks' scan leaves the converted rows in Spark's
        # cache (memory and disk), as the CSV intake does, and the engine reads that.
        converted = converted.cache()

    return settled_table(
        session,
        name,
        info,
        plans,
        source,
        converted,
        lambda rows: _originals(session, raw, plans, raw_names, rows),
        empty_rows,
        [_spark_kind(p) for p in plans],
    )


def _originals(
    session: Any, raw: Any, plans: list[Plan], raw_names: list[str], rows: list[int]
) -> Any:
    """The failing rows' cells as pd.read_parquet gives them (labelled by their row in the
    file, columns renamed as declared): only those rows are collected, then read back by
    pandas' own Parquet reader from an in-memory file."""
    import io

    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    wanted = rows_frame(session, rows)
    found = raw.join(wanted, raw["_file_row"] == wanted["_bad"], "left_semi")
    arrow = found.orderBy("_file_row").toArrow()
    columns, names = [], []
    for plan, name in zip(plans, raw_names, strict=True):
        values = arrow.column(name)
        if plan.stored == "int" and plan.nulls and not plan.restored_int:
            values = values.cast(pa.float64())  # the whole column has a gap: pandas floats
        columns.append(values)
        names.append(plan.header)
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(columns, names=names), buffer)
    buffer.seek(0)
    frame = pd.read_parquet(buffer)
    for plan in plans:
        if plan.restored_int:  # what the file's pandas metadata restores
            frame[plan.header] = frame[plan.header].astype("Int64")
    frame.columns = [p.name for p in plans]
    frame.index = arrow.column("_file_row").to_numpy()
    return frame
