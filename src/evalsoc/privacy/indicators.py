"""The disclosure audit of the quantitative indicators, before anything is written.

Each published figure of an indicator (overall value, `by` cells, the people with the trait a
proportion counts, a share's categories, and the union of the shown `by` cells, which a reader
gets by addition) is registered with its rows in the source. Pairs of populations whose
difference holds 1 to `min_cell` − 1 people (`audit.PopulationAudit`) have the narrower one's
figures withheld; the indicator is then published again (its tables re-protected around the
withheld figure) and the audit runs again, until no pair leaks.

An entry's rows are either arrays (positions, support, group codes: the pandas engine) or an
engine's description of them (`rows`, engines/duckdb_audit.py: sizes and signatures counted in
the engine, nothing per row in memory). A source is audited one way: when one of its entries
has no description, every entry of that source gives its arrays (`arrays()`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evalsoc.privacy.audit import Packed, PopulationAudit, crowded, digest, pack, popcount
from evalsoc.privacy.cells import reason
from evalsoc.privacy.policy import PrivacyPolicy

MAX_ROUNDS = 50


@dataclass
class Entry:
    """One computed indicator: what it needs to be published again and audited."""

    spec: Any
    raw: dict[str, Any]
    source: str
    positions: np.ndarray | None = None  # positions in the source of the rows the indicator read
    source_rows: int = 0
    support: dict[str, np.ndarray] = field(default_factory=dict)
    codes: np.ndarray | None = None  # group code per row read (zeros without `by`)
    rows: Any = None  # the engine's description of the rows (engines/duckdb_audit.py)
    arrays: Callable[[Entry], None] | None = None  # fills positions, support, codes
    forced_groups: set[int] = field(default_factory=set)
    forced_categories: set[tuple[int, int]] = field(default_factory=set)
    hide_overall: bool = False


def _on_source(entry: Entry, rows: np.ndarray) -> np.ndarray:
    assert entry.positions is not None
    if len(entry.positions) == entry.source_rows:  # every row of the source, in order
        return rows
    mask = np.zeros(entry.source_rows, dtype=bool)
    mask[entry.positions[rows]] = True
    return mask


def _digest(array: np.ndarray) -> bytes:
    """An array's identity in a recipe; a boolean one hashed packed (8× fewer bytes: 0.3 ms
    instead of 1.9 ms for 10^6 rows), with its length, since packing pads to whole bytes; by
    SHA-256 (audit.digest)."""
    if array.dtype == bool:
        if array.all():  # every row (most indicators' rows with a value): no pass to hash
            return b"all rows" + len(array).to_bytes(8, "little")
        packed = np.packbits(array)
        return digest(packed) + len(array).to_bytes(8, "little")
    found = digest(np.ascontiguousarray(array))
    return found + array.dtype.str.encode() + len(array).to_bytes(8, "little")


def _narrow(codes: np.ndarray) -> np.ndarray:
    """Group codes (or a `where`'s positions) in the smallest integer type that holds them:
    comparing 10^6 int16 codes with a group takes 0.17 ms, int64 ones 1.1 ms (one comparison
    per published cell), and hashing them costs their bytes (8 MB of int64 codes: ≈ 10 ms)."""
    largest = int(codes.max()) if len(codes) else 0
    if largest < 1 << 7:
        return codes.astype(np.int8)
    if largest < 1 << 15:
        return codes.astype(np.int16)
    if largest < 1 << 31:
        return codes.astype(np.int32)
    return codes


class _Once:
    """Digests and narrowed codes of the arrays the entries share (the engine's `by` codes,
    a `where`'s positions, a column's rows with a value), computed once per audit instead of
    once per entry and round: an array is held beside its value, so its id stays its own."""

    def __init__(self) -> None:
        self._done: dict[tuple[str, int], tuple[np.ndarray, Any]] = {}

    def __call__(self, what: str, array: np.ndarray, compute: Callable[[np.ndarray], Any]) -> Any:
        slot = (what, id(array))
        if slot not in self._done:
            self._done[slot] = (array, compute(array))
        return self._done[slot][1]


class Rows:
    """A figure's rows: `size()` counts them among the rows the indicator read, `rows()` places
    them on the source's rows. The audit places (and packs) only the populations that another
    comes near by size (audit.crowded); counting costs one pass over a boolean mask.

    With `bits` (an indicator that read every row of its source, few groups), the rows come
    packed: AND, OR and NOT of the packed masks of its parts (`_Parts`), each part packed once
    per audit. Packing commutes with these operations (the padding bits stay 0 after an AND
    with a padded mask), so the bits, their count and their digest are those of `pack(rows())`."""

    __slots__ = ("_entry", "_local", "_bits")

    def __init__(
        self,
        entry: Entry,
        local: Callable[[], np.ndarray],
        bits: Callable[[], np.ndarray] | None = None,
    ) -> None:
        self._entry = entry
        self._local = local
        self._bits = bits

    def size(self) -> int:
        if self._bits is not None:
            return popcount(self._bits())
        return int(np.count_nonzero(self._local()))

    def __call__(self) -> np.ndarray:
        return _on_source(self._entry, self._local())

    def packed(self, source: str, size: int) -> Packed:
        """`pack(source, self())`; `size` is `self.size()`, counted before."""
        if self._bits is None:
            return pack(source, self())
        bits = self._bits()
        return (source, digest(bits) + self._entry.source_rows.to_bytes(8, "little")), size, bits


class _Parts:
    """The packed masks an indicator's populations are made of (its rows with a value, with the
    trait, in category j, in group g), each packed once per audit (`_Once`)."""

    def __init__(self, once: _Once, valid: np.ndarray, codes: np.ndarray, every: bool) -> None:
        self.once = once
        self.valid = valid  # the rows with a value
        self.codes = codes  # narrowed group codes, 0 .. ngroups − 1
        self.every = every  # every row has a value: a group's rows need no AND

    def packed(self, what: str, array: np.ndarray) -> np.ndarray:
        found: np.ndarray = self.once("packed " + what, array, np.packbits)
        return found

    def equal(self, what: str, array: np.ndarray, value: int) -> np.ndarray:
        found: np.ndarray = self.once(
            f"packed {what} {value}", array, lambda a: np.packbits(a == value)
        )
        return found

    def rows_of(self, g: int | None) -> np.ndarray:
        if g is None:
            return self.packed("valid", self.valid)
        group = self.equal("group", self.codes, g)
        return group if self.every else self.packed("valid", self.valid) & group

    def union(self, hidden: list[int]) -> np.ndarray:
        """The rows with a value outside the `hidden` groups (codes are 0 .. ngroups − 1)."""
        rows = self.packed("valid", self.valid).copy()
        for h in hidden:
            rows &= ~self.equal("group", self.codes, h)
        return rows


PACKED_GROUPS = 64  # at most this many groups packed apart (64 × n / 8 bytes: an int64 column)


Figure = tuple[tuple[str, Any], tuple[Any, ...], Rows]


def figures(entry: Entry, result: dict[str, Any], once: _Once | None = None) -> Iterator[Figure]:
    """(figure key, recipe, rows) of every published figure of one indicator.

    The rows come as an object called only for a recipe not met before: the recipe names what
    the rows are drawn from (source, `where` positions, the rows with a value, the `by` codes,
    the trait or category), so that indicators sharing a population (30 means by site over the
    same rows) count, build and pack it once (`audit_indicators`)."""
    once = once or _Once()
    valid, trait = entry.support["valid"], entry.support.get("trait")
    category = entry.support.get("category")
    assert entry.codes is not None and entry.positions is not None
    rows_all = entry.positions if len(entry.positions) != entry.source_rows else None
    base: tuple[Any, ...] = (entry.source, entry.source_rows)
    if rows_all is not None:
        rows_all = once("narrow", rows_all, _narrow)
    base += (None if rows_all is None else once("digest", rows_all, _digest),)
    base += (once("digest", valid, _digest),)
    every = once("all", valid, lambda a: bool(a.all()))  # every row has a value: no `valid &`
    trait_key = once("digest", trait, _digest) if trait is not None else None
    category_key = None
    if category is not None:
        category = once("narrow", category, _narrow)
        category_key = once("digest", category, _digest)
    ngroups = len(result.get("by") or [])
    parts = [("overall", None, result)] + [
        ("group", g, cell) for g, cell in enumerate(result.get("by") or [])
    ]

    codes = once("narrow", entry.codes, _narrow) if ngroups else entry.codes
    parts_of = None  # packed parts: the whole source read, few groups (Rows)
    if rows_all is None and ngroups <= PACKED_GROUPS:
        parts_of = _Parts(once, valid, codes, every)

    def rows_of(g: int | None) -> np.ndarray:
        if g is None:
            return valid
        return codes == g if every else valid & (codes == g)

    def packed(make: Callable[[_Parts], np.ndarray]) -> Callable[[], np.ndarray] | None:
        return None if parts_of is None else lambda: make(parts_of)

    for part, g, cell in parts:
        if cell.get("suppressed"):
            continue
        group = base if g is None else (*base, id(entry.codes), g)  # codes kept alive: entries
        yield (
            (part, g),
            group,
            Rows(entry, lambda g=g: rows_of(g), packed(lambda p, g=g: p.rows_of(g))),
        )
        if trait is not None and cell.get("count") is not None:
            yield (
                (part + "_trait", g),
                (*group, "trait", trait_key),
                Rows(
                    entry,
                    lambda g=g: rows_of(g) & trait,
                    packed(lambda p, g=g: p.rows_of(g) & p.packed("trait", trait)),
                ),
            )
        if category is not None:
            i = ngroups if g is None else g
            for j, cat in enumerate(cell.get("categories") or []):
                if not cat.get("suppressed"):
                    yield (
                        ("category", (i, j)),
                        (*group, "category", category_key, j),
                        Rows(
                            entry,
                            lambda g=g, j=j: rows_of(g) & (category == j),
                            packed(
                                lambda p, g=g, j=j: p.rows_of(g) & p.equal("category", category, j)
                            ),
                        ),
                    )
    shown = [g for g, c in enumerate(result.get("by") or []) if not c.get("suppressed")]
    if len(shown) >= 2:
        union = (*base, id(entry.codes), "union", tuple(shown))
        hidden = sorted(set(range(ngroups)) - set(shown))

        def union_rows() -> np.ndarray:
            """The shown groups' rows: `valid` less each hidden group (a comparison per hidden
            group is cheaper than a lookup per row while they are few), or a lookup."""
            if len(hidden) > 4:
                chosen = np.zeros(ngroups, dtype=bool)
                chosen[shown] = True
                return valid & chosen[codes]
            rows = valid.copy()
            for h in hidden:
                rows &= codes != h
            return rows

        yield ("union", None), union, Rows(entry, union_rows, packed(lambda p: p.union(hidden)))
        if trait is not None and all(result["by"][g].get("count") is not None for g in shown):
            yield (
                ("union_trait", None),
                (*union, "trait", trait_key),
                Rows(
                    entry,
                    lambda: union_rows() & trait,
                    packed(lambda p: p.union(hidden) & p.packed("trait", trait)),
                ),
            )


def _withhold(entry: Entry, part: str, where: Any, result: dict[str, Any]) -> None:
    if part in ("overall", "overall_trait"):
        entry.hide_overall = True
    elif part in ("group", "group_trait"):
        entry.forced_groups.add(where)
    elif part == "category":
        entry.forced_categories.add(where)
    else:  # a union of the shown cells: withhold the smallest of them
        shown = [
            (c.get("n") or 0, g) for g, c in enumerate(result["by"]) if not c.get("suppressed")
        ]
        entry.forced_groups.add(min(shown)[1])


def _describe(entry: Entry, part: str, where: Any, result: dict[str, Any]) -> dict[str, Any]:
    """What was withheld, named without its numbers (for results.json and the report)."""
    out: dict[str, Any] = {"section": "indicators", "id": entry.spec.id, "figure": part}
    if part.startswith("group"):
        out["group"] = result["by"][where]["group"]
    if part == "category":
        i, j = where
        cell = result if i == len(result.get("by") or []) else result["by"][i]
        out["category"] = cell["categories"][j]["value"]
        if "group" in cell:
            out["group"] = cell["group"]
    return out


def audit_indicators(
    entries: dict[str, Entry], results: dict[str, Any], policy: PrivacyPolicy
) -> list[dict[str, Any]]:
    """Withhold, in `results`, the indicator figures the pair audit names; return what was
    withheld (without its numbers)."""
    from evalsoc.sections.indicators.compute import publish_quantitative

    withheld: list[dict[str, Any]] = []
    if not policy.suppresses or policy.threshold <= 1:
        return withheld
    counted = _counted_sources(entries)
    packed: dict[tuple[Any, ...], Packed] = {}  # recipe → population, across rounds
    once = _Once()  # digests and narrowed codes, across entries and rounds
    sizes: dict[Hashable, tuple[str, int]] = {}  # recipe → (source, rows), across rounds
    for _ in range(MAX_ROUNDS):
        audit = PopulationAudit(policy.threshold, _count_apart(entries, counted))
        listed: list[tuple[tuple[Any, ...], str, Hashable, Rows]] = []
        for ind_id, entry in entries.items():
            if entry.source in counted:
                for (part, where), pop in entry.rows.figures(results[ind_id]):
                    key = (ind_id, part, where)
                    audit.add_counted(key, entry.source, pop.size, pop.signature, pop)
                continue
            for (part, where), recipe, rows in figures(entry, results[ind_id], once):
                if recipe not in sizes:
                    sizes[recipe] = (entry.source, rows.size())
                listed.append(((ind_id, part, where), entry.source, recipe, rows))
        # Only populations near another by size are built, packed and compared (audit.crowded);
        # the figures are added in the same order either way.
        near = crowded({recipe: sizes[recipe] for _, _, recipe, _ in listed}, policy.threshold)
        for key, source, recipe, rows in listed:
            if recipe in near:
                if recipe not in packed:
                    packed[recipe] = rows.packed(source, sizes[recipe][1])
                audit.add_packed(key, packed[recipe])
            else:
                audit.add_alone(key, source, sizes[recipe][1], recipe)
        leaks = audit.leaks()
        if not leaks:
            return withheld
        changed = set()
        for narrow, _wide in leaks:
            for ind_id, part, where in narrow.figures:
                entry = entries[ind_id]
                withheld.append(
                    {
                        **_describe(entry, part, where, results[ind_id]),
                        "reason": reason("nested_population", policy.min_cell),
                    }
                )
                _withhold(entry, part, where, results[ind_id])
                changed.add(ind_id)
        for ind_id in sorted(changed):
            entry = entries[ind_id]
            results[ind_id] = publish_quantitative(
                entry.spec,
                entry.raw,
                policy,
                forced_groups=entry.forced_groups,
                hide_overall=entry.hide_overall,
                forced_categories=entry.forced_categories,
            )
    raise RuntimeError("the disclosure audit did not settle")  # a bug: loud, exit 3


def _counted_sources(entries: dict[str, Entry]) -> set[str]:
    """Sources whose every entry is described by its engine; the others' get their arrays."""
    sources = {e.source for e in entries.values()}
    counted = {
        s for s in sources if all(e.rows is not None for e in entries.values() if e.source == s)
    }
    for entry in entries.values():
        if entry.source not in counted and entry.positions is None:
            if entry.arrays is None:
                raise RuntimeError(f"indicator {entry.spec.id!r} has no rows to audit")  # a bug
            entry.arrays(entry)
    return counted


def _count_apart(entries: dict[str, Entry], counted: set[str]) -> Any:
    """The engine's pair counter for counted sources (one engine per run)."""
    if not counted:
        return None
    return next(e.rows.count_apart for e in entries.values() if e.source in counted)
