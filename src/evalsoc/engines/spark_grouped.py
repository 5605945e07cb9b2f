"""Many indicators' statistics and audit counts from one Spark aggregation per (source, where, by).

Why: each Spark job has a fixed cost (planning, scheduling, a shuffle), so an indicator per job
made 30 indicators 30+ jobs, and the per-row group codes the audit needed went back to the
driver. Here the indicators that share a source, a `where` and a `by` are answered by **one**
`groupBy(by...).agg(...)` holding, for each of them, its sufficient statistics (engines/base.py)
and, for the disclosure audit, per group the number of rows behind each figure and two 64-bit
XOR signatures of their identities (`xxhash64` of the row's position, and of the position with a
salt), as engines/duckdb_audit.py counts them in DuckDB. Nothing per row leaves Spark.

Kinds apart from that one aggregation: a share (one `groupBy(by..., category)`: the table of
counts and its audit cells), a median (its group sizes come from the aggregation, then one
ranking job for all the medians of the aggregation collects only the order statistics the
medians and their intervals need, never an approximate quantile). Group keys are few: they are
ordered in Python as pandas orders them (engines/spark_groups.py `ordered_groups`), so codes,
tables and statistics follow the pandas order.

Why one module: the one aggregation, the medians' ranking job and the shares' counting job of a
batch share its `Batch` (keys and `by` names), its `Terms` (the indicators' Spark columns) and
the group codes read back from the keys; a module for the medians or the shares would import
those back from here while this one calls it, an import circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from evalsoc.engines.audit_figures import AuditCell
from evalsoc.engines.base import Statistics

if TYPE_CHECKING:
    from evalsoc.engines.spark import SparkEngine

ADDITIVE = ("mean", "sum", "proportion", "count", "rate")
GROUPED = (*ADDITIVE, "share", "median")
UNSIGNED = (1 << 64) - 1


@dataclass
class Answer:
    """One indicator's statistics and its audit cells, (group, category) → AuditCell (category −1
    for every kind but share); `trait`: whether its figures count a trait (proportion, count
    of a condition, share of values); `categories`: a share's raw values per audit position."""

    stats: Statistics
    cells: dict[tuple[int, int], AuditCell]
    trait: Any = None  # Spark Column (never NULL) of the rows with the trait, or None
    valid: Any = None  # Spark Column (never NULL) of the rows behind n
    categories: list[list[Any]] = field(default_factory=list)


@dataclass
class Batch:
    """The groups of one (source, where, by) and the answers of the indicators planned on it."""

    names: list[str]  # the Spark columns of `by`
    keys: list[tuple[Any, ...]]  # raw Spark values of each group, in code order
    table: Any  # the pandas table of groups (engines/base.py `groups`)
    answers: dict[str, Answer]


def fingerprint(spec: Any) -> str:
    """What identifies an indicator's computation (two specs with equal text compute alike)."""
    return str(spec.model_dump_json())


def compute_batch(
    engine: SparkEngine,
    source: str,
    where: Any,
    by: list[str],
    specs: list[Any],
    alone: bool = False,
) -> Batch:
    """One aggregation over the rows `where` selects, grouped by `by`, for every additive spec
    and the group sizes of medians; then one job per share and per median. A planned spec that
    cannot be computed (a text column's mean, an unknown column) is left out, to be asked
    `alone`, where its error is raised as the pandas engine raises it."""
    from pyspark.sql import functions as F

    from evalsoc.engines.spark_groups import ordered_groups
    from evalsoc.sections.indicators.compute import IndicatorError
    from evalsoc.sections.indicators.reads import columns_used

    present = set(engine.frames[source].columns)
    if not alone:
        specs = [s for s in specs if set(columns_used(s)) <= present]

    selected = engine._selected(source, where)
    names = [engine.spark_column(source, c).name for c in by]
    h1 = F.xxhash64(F.col("_row"))
    h2 = F.xxhash64(F.col("_row"), F.lit("evalsoc-audit"))
    aggregates = [F.count(F.lit(1)).alias("_rows")]
    parts: dict[str, tuple[Any, Any, dict[str, Any]]] = {}
    for k, spec in enumerate(specs):
        if spec.kind not in ADDITIVE and spec.kind != "median":
            continue
        try:
            valid, trait, stats = _expressions(engine, source, selected, spec)
        except IndicatorError:
            if alone:
                raise
            continue  # asked alone later, where its own error is raised and located
        parts[fingerprint(spec)] = (valid, trait, stats)
        aggregates += [c.alias(f"i{k}_{name}") for name, c in stats.items()]
        aggregates += _audit_aggregates(f"i{k}", valid, trait, h1, h2)
    grouped = selected.groupBy(*names).agg(*aggregates).toPandas()
    keys = [tuple(_raw(v) for v in row) for row in grouped[names].itertuples(index=False)]
    table, order = ordered_groups(engine.frames[source], list(by), keys, engine)
    if not by:
        order = [0]
    ngroups = len(order)
    position = np.empty(ngroups, dtype=np.int64)
    position[order] = np.arange(ngroups)  # row of `grouped` → group code
    batch = Batch(names, [keys[i] for i in order], table, {})
    medians: list[tuple[Any, np.ndarray, Answer]] = []
    for k, spec in enumerate(specs):
        key = fingerprint(spec)
        if key not in parts:
            continue
        valid, trait, stats = parts[key]
        got = {n: _by_code(grouped[f"i{k}_{n}"], position, ngroups) for n in stats}
        cells = _cells(grouped, f"i{k}", position, trait is not None)
        answer = Answer(_finish(spec, got), cells, trait, valid)
        if spec.kind in ("mean", "sum") and answer.stats["scale"] != 1.0:
            answer.stats = _scaled_mean(engine, source, selected, spec, batch)
        if spec.kind == "median":
            medians.append((spec, got["n"], answer))
        batch.answers[key] = answer
    ranked = _medians(engine, source, selected, batch, [(spec, n) for spec, n, _ in medians])
    for (_, _, answer), stats in zip(medians, ranked):
        answer.stats = stats
    shares = [spec for spec in specs if spec.kind == "share"]
    for spec, counts in zip(shares, _share_counts(engine, source, selected, batch, shares)):
        batch.answers[fingerprint(spec)] = _share(engine, source, spec, batch, counts)
    return batch


def _raw(value: Any) -> Any:
    """A group value read back from Spark through pandas: missing as None, numpy scalars as
    Python ones (so that keys of two Spark results compare equal)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _by_code(column: Any, position: np.ndarray, ngroups: int) -> np.ndarray:
    out = np.zeros(ngroups)
    out[position] = column.to_numpy(dtype=np.float64, na_value=0.0)  # an empty sum is 0
    return out


def _audit_aggregates(prefix: str, valid: Any, trait: Any, h1: Any, h2: Any) -> list[Any]:
    from pyspark.sql import functions as F

    out = [
        F.count(F.when(valid, 1)).alias(f"{prefix}_a_n"),
        _xor(F.when(valid, h1)).alias(f"{prefix}_a_h1"),
        _xor(F.when(valid, h2)).alias(f"{prefix}_a_h2"),
    ]
    if trait is not None:
        out += [
            F.count(F.when(trait, 1)).alias(f"{prefix}_t_n"),
            _xor(F.when(trait, h1)).alias(f"{prefix}_t_h1"),
            _xor(F.when(trait, h2)).alias(f"{prefix}_t_h2"),
        ]
    return out


def _xor(hashes: Any) -> Any:
    """XOR of 64-bit hashes, 0 over no row: never NULL, so that pandas keeps the column as
    int64 (a NULL would turn it into float64 and lose the signature's low bits)."""
    from pyspark.sql import functions as F

    return F.coalesce(F.bit_xor(hashes), F.lit(0).cast("long"))


def _cells(
    grouped: Any, prefix: str, position: np.ndarray, trait: bool
) -> dict[tuple[int, int], AuditCell]:
    def ints(name: str) -> list[int]:
        return [int(v) & UNSIGNED for v in grouped[name].to_numpy(dtype=object, na_value=0)]

    n, a1, a2 = (ints(f"{prefix}_a_{x}") for x in ("n", "h1", "h2"))
    if trait:
        tn, t1, t2 = (ints(f"{prefix}_t_{x}") for x in ("n", "h1", "h2"))
    else:
        tn = t1 = t2 = [0] * len(n)
    return {
        (int(position[i]), -1): AuditCell(n[i], a1[i], a2[i], tn[i], t1[i], t2[i])
        for i in range(len(n))
    }


def _expressions(
    engine: SparkEngine, source: str, selected: Any, spec: Any
) -> tuple[Any, Any, dict[str, Any]]:
    """(rows behind n, rows with the trait or None, named aggregates) of one additive spec (or
    a median's group sizes), as sections/indicators/compute.py `row_support` and each kind's
    `stats` count them."""
    from pyspark.sql import functions as F

    terms = Terms(engine, source, selected)
    kind = spec.kind
    zero = F.lit(0.0)
    if kind in ("mean", "sum", "median"):
        x = terms.number(spec.args)
        valid = x.isNotNull()
        if kind == "median":
            return valid, None, {"n": F.count(x)}
        stats = {"n": F.count(x), "sum": F.sum(x), "sumsq": F.sum(x * x)}
        return valid, None, {**stats, "largest": F.max(F.abs(x))}
    if kind == "proportion":
        values, valid = terms.condition(spec.proportion)
        count = F.sum(F.when(valid, values).otherwise(zero))
        trait = valid & (values > 0)
        return valid, trait, {"n": F.sum(valid.cast("double")), "count": count}
    if kind == "count":
        if spec.count is True or spec.count in (None, "", "rows"):
            return F.lit(True), None, {"n": F.count(F.lit(1))}
        values, known = terms.condition(str(spec.count))
        count = F.sum(F.when(known, values).otherwise(zero))
        return F.lit(True), known & (values > 0), {"n": F.count(F.lit(1)), "count": count}
    num, den = spec.rate  # rate
    y, x = terms.number(num), terms.number(den)
    ok = y.isNotNull() & x.isNotNull()

    def both(value: Any) -> Any:
        return F.sum(F.when(ok, value).otherwise(zero))

    return (
        ok,
        None,
        {
            "n": F.sum(ok.cast("double")),
            "sy": both(y),
            "sx": both(x),
            "syy": both(y * y),
            "sxx": both(x * x),
            "sxy": both(x * y),
        },
    )


def _finish(spec: Any, got: dict[str, np.ndarray]) -> Statistics:
    from evalsoc.sections.indicators.compute import _power_of_two_scale

    if spec.kind in ("mean", "sum"):
        scale = _power_of_two_scale(np.nan_to_num(got.pop("largest"), nan=0.0))
        return {**got, "scale": scale}
    if spec.kind == "count" and "count" not in got:
        return {"n": got["n"], "count": got["n"].copy()}
    return got


class Terms:
    """A source's columns as Spark Columns, read as the pandas reductions read them."""

    def __init__(self, engine: SparkEngine, source: str, selected: Any):
        self.engine, self.source, self.selected = engine, source, selected

    def column(self, name: str) -> Any:
        from pyspark.sql import functions as F

        return F.col(self.engine.spark_column(self.source, name).name)

    def number(self, name: str) -> Any:
        """A numeric (or boolean) column as doubles; text is refused as pandas refuses it."""
        import pandas as pd

        from evalsoc.sections.indicators.compute import IndicatorError

        dtype = self.engine.frames[self.source][name].dtype
        if not (pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype)):
            raise IndicatorError(
                f"column {name!r} is not numeric (declare it as number, integer or likert)"
            )
        return self.column(name).cast("double")

    def condition(self, text: str) -> tuple[Any, Any]:
        """(0/1 values, rows where they can be decided: never NULL) as the pandas `_condition`
        reads a proportion's or a count's argument: a boolean column, or an expression."""
        from pyspark.sql import functions as F

        from evalsoc.framework.expressions import ExpressionError
        from evalsoc.sections.indicators.compute import IndicatorError

        frame = self.engine.frames[self.source]
        if text in frame.columns:
            column = self.column(text)
            kind = self.engine.spark_column(self.source, text).kind
            if kind != "boolean":
                outside = column.isNotNull()
                if kind == "number":
                    outside = outside & ~column.isin([0, 1])
                if self.selected.filter(outside).limit(1).count():
                    raise IndicatorError(
                        f"column {text!r} is not boolean: write a condition such as "
                        f"`{text} == 'value'`"
                    )
            values = F.coalesce(column.cast("double"), F.lit(0.0))
            return values, column.isNotNull()
        try:
            condition, names = self.engine.condition(self.source, text)
        except ExpressionError as exc:
            raise IndicatorError(str(exc)) from None
        valid = F.lit(True)
        for name in names:
            valid = valid & self.column(name).isNotNull()
        return condition.cast("double"), valid


def _scaled_mean(
    engine: SparkEngine, source: str, selected: Any, spec: Any, batch: Batch
) -> Statistics:
    """Values near 1e308: sums of the values divided by a power of two, as pandas does."""
    from pyspark.sql import functions as F

    from evalsoc.sections.indicators.compute import _power_of_two_scale

    x = Terms(engine, source, selected).number(spec.args)
    first = _grouped(selected, batch, {"largest": F.max(F.abs(x))})
    scale = _power_of_two_scale(np.nan_to_num(first["largest"], nan=0.0))
    y = x / F.lit(scale)
    st = _grouped(selected, batch, {"n": F.count(y), "sum": F.sum(y), "sumsq": F.sum(y * y)})
    return {**st, "scale": scale}


def _grouped(selected: Any, batch: Batch, aggregates: dict[str, Any]) -> dict[str, np.ndarray]:
    """Named aggregates per group of `batch` (in code order), from one more aggregation."""
    frame = selected.groupBy(*batch.names).agg(*[c.alias(n) for n, c in aggregates.items()])
    frame = frame.toPandas()
    codes = _codes(frame, batch)
    out = {}
    for name in aggregates:
        values = np.zeros(len(batch.keys))
        values[codes] = frame[name].to_numpy(dtype=np.float64, na_value=0.0)
        out[name] = values
    return out


def _codes(frame: Any, batch: Batch) -> np.ndarray:
    """Each row's group code, read from its `by` values."""
    if not batch.names:
        return np.zeros(len(frame), dtype=np.int64)
    code_of = {key: c for c, key in enumerate(batch.keys)}
    rows = frame[batch.names].itertuples(index=False)
    return np.array([code_of[tuple(_raw(v) for v in row)] for row in rows], dtype=np.int64)


def _medians(
    engine: SparkEngine,
    source: str,
    selected: Any,
    batch: Batch,
    asked: list[tuple[Any, np.ndarray]],
) -> list[Statistics]:
    """Exact order statistics of every median of a batch, from **one** Spark job: each
    median's values ranked by `row_number` within its groups (the medians' rows stacked by
    `union`, tagged `_k`), and only the ranks the medians and their distribution-free
    intervals need collected. One job per batch instead of one per median (each job on
    Spark local costs a fixed planning and scheduling time)."""
    from functools import reduce

    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from evalsoc.sections.indicators.compute import LEVEL
    from evalsoc.stats.intervals import median_order_ranks

    ngroups = len(batch.keys)
    wanted: list[dict[tuple[int, int], list[str]]] = []
    stacked = []
    for k, (spec, n) in enumerate(asked):
        roles: dict[tuple[int, int], list[str]] = {}
        for g in range(ngroups):
            size = int(n[g])
            if size == 0:
                continue
            for rank in sorted({(size - 1) // 2 + 1, size // 2 + 1}):
                roles.setdefault((g, rank), []).append("mid")
            ranks = median_order_ranks(size, LEVEL)
            if ranks is not None:
                roles.setdefault((g, int(ranks[0])), []).append("lo")
                roles.setdefault((g, int(ranks[1])), []).append("hi")
        wanted.append(roles)
        if roles:
            x = Terms(engine, source, selected).number(spec.args)
            stacked.append(selected.select(F.lit(k).alias("_k"), *batch.names, x.alias("_x")))
    frames: dict[int, Any] = {}
    if stacked:
        needed = sorted({rank for roles in wanted for _, rank in roles})
        window = Window.partitionBy("_k", *batch.names).orderBy("_x")
        ranked = (
            reduce(lambda a, b: a.union(b), stacked)
            .filter(F.col("_x").isNotNull())
            .withColumn("_rank", F.row_number().over(window))
            .filter(F.col("_rank").isin(needed))
            .toPandas()
        )
        frames = {int(k): part for k, part in ranked.groupby("_k", sort=False)}
    return [_median_of(frames.get(k), batch, n, wanted[k]) for k, (_, n) in enumerate(asked)]


def _median_of(
    ranked: Any, batch: Batch, n: np.ndarray, wanted: dict[tuple[int, int], list[str]]
) -> Statistics:
    """One median's statistics from its ranked values (None: no value in any group)."""
    ngroups = len(batch.keys)
    med, lo, hi = (np.full(ngroups, np.nan) for _ in range(3))
    if ranked is not None:
        codes = _codes(ranked, batch)
        middle: dict[int, list[float]] = {}
        for g, rank, value in zip(codes, ranked["_rank"], ranked["_x"]):
            for role in wanted.get((int(g), int(rank)), []):
                if role == "mid":
                    middle.setdefault(int(g), []).append(float(value))
                else:
                    (lo if role == "lo" else hi)[int(g)] = float(value)
        for g, values in middle.items():
            first, second = (values[0], values[0]) if len(values) == 1 else sorted(values)[:2]
            med[g] = float((first + second) / 2)
    return {"n": n, "median": med, "lo": lo, "hi": hi}


def _share_counts(
    engine: SparkEngine, source: str, selected: Any, batch: Batch, shares: list[Any]
) -> list[Any]:
    """Each share's rows counted and signed per (group, category): one
    `groupBy(_k, by..., category)` for all the shares whose category columns have one Spark
    type (their rows stacked by `union`, tagged `_k`), instead of one job per share."""
    from functools import reduce

    from pyspark.sql import functions as F

    h1 = F.xxhash64(F.col("_row"))
    h2 = F.xxhash64(F.col("_row"), F.lit("evalsoc-audit"))
    types = {f.name: f.dataType for f in selected.schema.fields}
    by_type: dict[str, list[int]] = {}
    for k, spec in enumerate(shares):
        name = engine.spark_column(source, spec.share).name
        by_type.setdefault(types[name].simpleString(), []).append(k)
    frames: dict[int, Any] = {}
    for ks in by_type.values():
        stacked = [
            selected.select(
                F.lit(k).alias("_k"),
                *batch.names,
                F.col(engine.spark_column(source, shares[k].share).name).alias("_v"),
                h1.alias("_h1"),
                h2.alias("_h2"),
            )
            for k in ks
        ]
        counted = (
            reduce(lambda a, b: a.union(b), stacked)
            .groupBy("_k", *batch.names, "_v")
            .agg(
                F.count(F.lit(1)).alias("k"),
                _xor(F.col("_h1")).alias("h1"),
                _xor(F.col("_h2")).alias("h2"),
            )
            .toPandas()
        )
        for k in ks:
            frames[k] = counted[counted["_k"] == k].reset_index(drop=True)
    return [frames[k] for k in range(len(shares))]


def _share(engine: SparkEngine, source: str, spec: Any, batch: Batch, frame: Any) -> Answer:
    """A share's table of counts (categories in factorize order, as pandas' `stats`) and its
    audit cells (categories in the order of their labels, as `row_support`), from its
    (group, category) counts (`_share_counts`)."""
    from pyspark.sql import functions as F

    from evalsoc.engines.spark_groups import as_pandas_values
    from evalsoc.sections.indicators.compute import (
        MISSING_GROUP,
        _category_text,
        _natural,
        factorize_column,
    )

    category = F.col(engine.spark_column(source, spec.share).name)
    codes = _codes(frame, batch)
    raw = [_raw(v) for v in frame["_v"].astype(object)]
    values = list(dict.fromkeys(raw))
    cat_codes, cat_values = factorize_column(
        as_pandas_values(values, engine.frames[source][spec.share])
    )
    code_of = {v: int(c) for v, c in zip(values, cat_codes)}
    missing = bool(cat_values) and cat_values[-1] == MISSING_GROUP
    labels = [_category_text(v) for v in cat_values]
    table = np.zeros((len(batch.keys), max(len(labels), 1)))
    for g, v, k in zip(codes, raw, frame["k"]):
        table[int(g), code_of[v]] += float(k)
    if missing:
        table, labels = table[:, :-1], labels[:-1]
    stats: Statistics = {"table": table, "labels": labels}
    # The audit's cells: one per (group, category), categories ordered by their labels.
    ordered = sorted(set(labels), key=_natural)
    position = {label: j for j, label in enumerate(ordered)}
    label_of = {v: labels[code_of[v]] for v in values if v is not None}
    chosen = {str(v) for v in (spec.values or [])}
    cells: dict[tuple[int, int], AuditCell] = {}
    for g, v, k, a, b in zip(codes, raw, frame["k"], frame["h1"], frame["h2"]):
        if v is None:
            continue  # not counted: the rows behind a share have a category
        cell = AuditCell(int(k), int(a) & UNSIGNED, int(b) & UNSIGNED)
        if label_of[v] in chosen:
            cell.trait_size, cell.trait_h1, cell.trait_h2 = cell.size, cell.h1, cell.h2
        cells[(int(g), position[label_of[v]])] = cell
    categories = [[v for v, lab in label_of.items() if lab == label] for label in ordered]
    picked = [v for v, lab in label_of.items() if lab in chosen]
    trait = category.isin(picked) & category.isNotNull() if chosen else None
    if trait is not None and not picked:
        trait = F.lit(False)
    return Answer(stats, cells, trait, category.isNotNull(), categories)
