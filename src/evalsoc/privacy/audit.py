"""The disclosure audit: pairs of published populations on the same source.

Every published figure is computed from a set of rows (people) of one source. Two figures
whose populations differ by 1 to `min_cell` − 1 people let a reader count that small group by
subtraction (n = 324 for everybody and n = 321 for everybody outside one site: 3 people), and
recover its mean from the two means. The audit finds such pairs and names the narrower
population's figures, which the sections then withhold.

Cost: a population is kept as a packed bit mask (n / 8 bytes: 125 kB for 10^6 rows). Identical
masks are grouped first (by a hash), then only pairs whose sizes differ by less than
`min_cell` are compared (a symmetric difference is at least the difference of the sizes), each
by one XOR and a bit count over the packed masks.

An engine that holds the rows elsewhere (engines/duckdb_audit.py) adds populations already
counted (`add_counted`: size, a 128-bit signature, an opaque description) and gives `count_apart`,
which sizes the symmetric differences of the candidate pairs in one pass; the pairs compared and
the populations named are the same.

A population that no other population of its source comes within `min_cell` − 1 people of
(by size) is never compared, nor identical to another: it is added by its size alone
(`add_alone`), and its rows are never built nor packed (about 4 in 10 of a benchmark's 267).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_BITS = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


def popcount(packed: np.ndarray) -> int:
    """Set bits of a packed mask (numpy ≥ 2 counts them natively; 1.26 by a byte table)."""
    if hasattr(np, "bitwise_count"):
        return int(np.bitwise_count(packed).sum())
    return int(_BITS[packed].sum())


def digest(array: np.ndarray) -> bytes:
    """128 bits of an array's bytes by SHA-256: 0.1 ms per 125 kB (a packed 10^6-row mask)
    where BLAKE2b took 0.25 ms (CPUs hash SHA-256 in hardware)."""
    return hashlib.sha256(array.data).digest()[:16]


Packed = tuple[tuple[str, bytes], int, np.ndarray]  # (identity, size, packed bits)


def pack(source: str, mask: np.ndarray) -> Packed:
    """A population of `source` as its identity (source, digest of the mask and its length),
    its size and its packed bits."""
    mask = np.asarray(mask, dtype=bool)
    bits = np.packbits(mask)
    ident = (source, digest(bits) + len(mask).to_bytes(8, "little"))
    return ident, int(np.count_nonzero(mask)), bits


@dataclass
class Population:
    source: str
    size: int
    bits: np.ndarray | None  # packed boolean mask over the source's rows (None: counted)
    figures: list[Hashable] = field(default_factory=list)  # keys of the figures drawn from it
    described: Any = None  # what `count_apart` reads for a counted population
    alone: bool = False  # no other population within min_cell of its size: never compared


CountApart = Callable[[str, list[tuple[Any, Any]]], list[int]]


class PopulationAudit:
    """Collects the populations of the published figures and finds the nested-filter leaks."""

    def __init__(self, min_cell: int, count_apart: CountApart | None = None) -> None:
        self.min_cell = min_cell
        self.count_apart = count_apart
        self._populations: dict[tuple[str, Hashable], Population] = {}

    def add(self, key: Hashable, source: str, mask: np.ndarray) -> None:
        """Record that figure `key` is computed from the rows of `source` where `mask` holds."""
        self.add_packed(key, pack(source, mask))

    def add_packed(self, key: Hashable, packed: Packed) -> None:
        """`add` with the population already packed (`pack`): several figures, or the same
        figure in several rounds, that share a population pack it once."""
        ident, size, bits = packed
        if ident not in self._populations:
            self._populations[ident] = Population(ident[0], size, bits)
        self._populations[ident].figures.append(key)

    def add_counted(
        self, key: Hashable, source: str, size: int, signature: bytes, described: Any
    ) -> None:
        """Record figure `key` on a population counted elsewhere (never mixed with masks on
        one source: its identity is its size and signature)."""
        ident = (source, b"counted" + signature + size.to_bytes(8, "little"))
        if ident not in self._populations:
            self._populations[ident] = Population(source, size, None, described=described)
        self._populations[ident].figures.append(key)

    def add_alone(self, key: Hashable, source: str, size: int, name: Hashable) -> None:
        """Record figure `key` on a population of `size` rows that the caller knows no other
        population of `source` comes within `min_cell` − 1 of (`crowded`): `leaks` never
        compares it, so its rows are not needed. `name` identifies it among such populations."""
        ident = (source, ("alone", name))
        if ident not in self._populations:
            self._populations[ident] = Population(source, size, None, alone=True)
        self._populations[ident].figures.append(key)

    def __len__(self) -> int:
        return len(self._populations)

    def leaks(self) -> list[tuple[Population, Population]]:
        """Pairs (narrower, wider) of populations whose symmetric difference holds 1 to
        `min_cell` − 1 people. Each population is named narrower at most once: once it is
        withheld, its other pairs no longer matter."""
        found: list[tuple[Population, Population]] = []
        withheld: set[int] = set()
        by_source: dict[str, list[Population]] = {}
        for pop in self._populations.values():
            if pop.size > 0:
                by_source.setdefault(pop.source, []).append(pop)
        for source, pops in by_source.items():
            pops.sort(key=lambda p: p.size)
            counted = self._counted_apart(source, pops)
            for i, narrow in enumerate(pops):
                for wide in pops[i + 1 :]:
                    if wide.size - narrow.size >= self.min_cell:
                        break
                    if id(narrow) in withheld or id(wide) in withheld:
                        continue
                    _check_not_alone(narrow, wide)
                    if narrow.bits is None or wide.bits is None:
                        apart = counted[(id(narrow), id(wide))]
                    else:
                        apart = popcount(np.bitwise_xor(narrow.bits, wide.bits))
                    if 0 < apart < self.min_cell:
                        found.append((narrow, wide))
                        withheld.add(id(narrow))
        return found

    def _counted_apart(self, source: str, pops: list[Population]) -> dict[tuple[int, int], int]:
        """Symmetric differences of every counted pair `leaks` may compare, asked at once."""
        pairs = []
        for i, narrow in enumerate(pops):
            for wide in pops[i + 1 :]:
                if wide.size - narrow.size >= self.min_cell:
                    break
                _check_not_alone(narrow, wide)
                if narrow.bits is None or wide.bits is None:
                    pairs.append((narrow, wide))
        if not pairs:
            return {}
        if self.count_apart is None:
            raise RuntimeError("counted populations need a count_apart")  # a bug: exit 3
        sizes = self.count_apart(source, [(a.described, b.described) for a, b in pairs])
        return {(id(a), id(b)): n for (a, b), n in zip(pairs, sizes)}


def _check_not_alone(narrow: Population, wide: Population) -> None:
    if narrow.alone or wide.alone:  # a bug in `crowded` or its caller: loud, exit 3
        raise RuntimeError("a population added alone is within min_cell of another")


def crowded(sizes: dict[Hashable, tuple[str, int]], min_cell: int) -> set[Hashable]:
    """The names whose population (source, size) has another one of the same source whose
    size differs by less than `min_cell` (equal sizes included): the populations `leaks` may
    compare or find identical. Empty populations are never compared."""
    found: set[Hashable] = set()
    by_source: dict[str, list[tuple[int, Hashable]]] = {}
    for name, (source, size) in sizes.items():
        if size > 0:
            by_source.setdefault(source, []).append((size, name))
    for listed in by_source.values():
        listed.sort(key=lambda item: item[0])
        for (size, name), (next_size, next_name) in zip(listed, listed[1:]):
            if next_size - size < min_cell:
                found.update((name, next_name))
    return found
