"""The disclosure audit's populations counted in Spark: no row, mask or group code leaves it.

The same contract as engines/duckdb_audit.py (privacy/indicators.py reads `figures`,
`count_apart`, `group_table`): every published figure of an indicator is a union of its
(group, category) cells, whose sizes and 64-bit XOR signatures were counted in the indicator's
aggregation (engines/spark_grouped.py); equal (size, 128-bit signature) is one population, as
the pandas audit takes an equal 128-bit digest of the mask. The symmetric difference of a pair
of nearly equal populations comes from the cells' counts when both are figures of one
indicator, by addition when they are on disjoint groups of the same `by` columns, and otherwise
from one `count(when(a <> b))` scan of the source (256 pairs per Spark job). The rows behind each figure mirror sections/indicators/compute.py
`row_support`; so the withheld figures are the pandas engine's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from evalsoc.engines.audit_figures import apart_within, published_figures, union_of_cells
from evalsoc.engines.spark_grouped import Answer, Batch

if TYPE_CHECKING:
    from evalsoc.engines.spark import SparkEngine

PAIRS_PER_JOB = 256


@dataclass
class Population:
    """One published figure's rows: size and signature, and what they are made of (the
    indicator, its (group, category) cells, with or without the trait); its Spark condition
    is built only when a scan needs it."""

    size: int
    signature: bytes
    owner: SparkRows
    groups: tuple[int, ...]
    category: int | None
    trait: bool
    cells: frozenset[tuple[int, int]]

    def condition(self) -> Any:
        return self.owner._condition(list(self.groups), self.category, self.trait)

    def disjoint(self, other: Population) -> bool:
        """Whether the two are restricted to different values of the same `by` columns (a row
        has one value: no row in both), whatever their `where`."""
        a, b = self._restriction(), other._restriction()
        return a is not None and b is not None and a[0] == b[0] and not a[1] & b[1]

    def _restriction(self) -> tuple[tuple[str, ...], set[tuple[Any, ...]]] | None:
        batch = self.owner.batch
        if not batch.names or len(self.groups) == len(batch.keys):
            return None  # every group: not restricted
        return tuple(self.owner.spec.by), {batch.keys[g] for g in self.groups}


@dataclass
class SparkRows:
    """The rows behind one indicator's figures, described on its source in Spark."""

    engine: SparkEngine
    source: str
    spec: Any
    select: Any  # the `where` as a Column (True without)
    batch: Batch
    answer: Answer
    # Each population's Column, built once: a pair scan names a population in many pairs, and
    # every Column operation is a round trip to the JVM.
    _conditions: dict[tuple[tuple[int, ...], int | None, bool], Any] = field(
        default_factory=dict, repr=False
    )

    def group_table(self) -> Any:
        return self.batch.table

    def figures(self, result: dict[str, Any]) -> Iterator[tuple[tuple[str, Any], Population]]:
        """(figure key, population) of every published figure, in the keys and order of
        privacy/indicators.py `figures`."""
        return published_figures(
            result,
            self.spec.kind,
            list(range(len(self.batch.keys))),
            self.answer.trait is not None,
            self._population,
        )

    def count_apart(self, source: str, pairs: list[tuple[Population, Population]]) -> list[int]:
        """Rows in exactly one population of each pair: two figures of one indicator from its
        cells' counts, figures on disjoint groups by addition, the others by scans of the
        source (one Spark job per 256 pairs)."""

        def known(a: Population, b: Population) -> int | None:
            if a.owner is b.owner:
                return apart_within(a.owner.answer.cells, a, b)
            return a.size + b.size if a.disjoint(b) else None

        answers = [known(a, b) for a, b in pairs]
        across = [pair for pair, n in zip(pairs, answers) if n is None]
        scanned = iter(self._scan(source, across))
        return [next(scanned) if n is None else n for n in answers]

    def _scan(self, source: str, pairs: list[tuple[Population, Population]]) -> list[int]:
        from pyspark.sql import functions as F

        data = self.engine._table(source)[0]
        out: list[int] = []
        for start in range(0, len(pairs), PAIRS_PER_JOB):
            chunk = pairs[start : start + PAIRS_PER_JOB]
            apart = [
                F.count(F.when(a.condition() != b.condition(), 1)).alias(f"p{i}")
                for i, (a, b) in enumerate(chunk)
            ]
            (row,) = data.agg(*apart).collect()
            out += [int(row[f"p{i}"]) for i in range(len(chunk))]
        return out

    def _population(self, groups: list[int], category: int | None, trait: bool) -> Population:
        total, chosen = union_of_cells(self.answer.cells, groups, category, trait)
        return Population(
            total.size, total.signature(), self, tuple(groups), category, trait, chosen
        )

    def _condition(self, groups: list[int], category: int | None, trait: bool) -> Any:
        """The population's rows as a Spark Column, never NULL (built once)."""
        key = (tuple(groups), category, trait)
        if key not in self._conditions:
            self._conditions[key] = self._build_condition(groups, category, trait)
        return self._conditions[key]

    def _build_condition(self, groups: list[int], category: int | None, trait: bool) -> Any:
        from pyspark.sql import functions as F

        condition = self.select & self.answer.valid
        if trait:
            condition = condition & self.answer.trait
        if self.batch.names and len(groups) < len(self.batch.keys):
            inside = F.lit(False)
            for g in groups:
                inside = inside | self._group(g)
            condition = condition & inside
        if category is not None:
            column = F.col(self.engine.spark_column(self.source, self.spec.share).name)
            condition = condition & column.isin(self.answer.categories[category])
        return F.coalesce(condition, F.lit(False))

    def _group(self, g: int) -> Any:
        from pyspark.sql import functions as F

        test = F.lit(True)
        for name, value in zip(self.batch.names, self.batch.keys[g]):
            test = test & F.col(name).eqNullSafe(F.lit(value))
        return test
