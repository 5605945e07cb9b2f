"""Persons collapsed into cells of identical deprivation profiles, design position and group
labels: every estimate and standard error is then computed on the cells, exactly as on persons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from evalsoc.sections.capabilities.identification import _codes, _combine, _int_codes, profile_codes


@dataclass(frozen=True)
class Cells:
    """Persons grouped by identical profile, design position and labels."""

    profiles: np.ndarray  # (R, d) bool
    profile_code: np.ndarray  # (R,) int
    score: np.ndarray  # (R,) int64 score in weight units
    weight: np.ndarray  # (R,) summed sampling weights
    weight_sq: np.ndarray  # (R,) summed squared sampling weights
    count: np.ndarray  # (R,) persons
    omega: np.ndarray  # (R,) weight of one variance unit of the cell (bootstrap)
    unit: np.ndarray  # (R,) variance unit (PSU, or the cell's identical persons)
    labels: dict[str, np.ndarray]  # name → (R,) code
    person_cell: np.ndarray  # (n,) cell of each person


@dataclass(frozen=True)
class Design:
    """Variance units (PSUs, or persons when there are no clusters) and their strata."""

    unit_stratum: np.ndarray  # (U,) stratum code of each unit
    unit_mult: np.ndarray  # (U,) persons a unit stands for (1 for a PSU)
    n_strata: int
    n_psu: int | None  # number of PSUs when clustered
    lonely_strata: int  # strata with a single unit (no variance contribution)
    clustered: bool = False


def collapse(
    deprived: np.ndarray,
    units: np.ndarray,
    *,
    sample_weight: np.ndarray | None = None,
    strata: np.ndarray | None = None,
    cluster: np.ndarray | None = None,
    labels: Mapping[str, np.ndarray] | None = None,
    split_weights: bool = False,
    frequency: np.ndarray | None = None,
    weight_sq: np.ndarray | None = None,
) -> tuple[Cells, Design]:
    """Group persons into cells; labels/strata/cluster are integer codes (any ints for cluster).

    Without clusters, persons with different sampling weights may share a cell (the linearised
    variance only needs Σs and Σs² per cell); `split_weights` keeps them apart, as the bootstrap
    needs identical persons within a cell.

    `frequency`: each row is a group of that many identical persons (same profile, design
    position and labels); `sample_weight` and `weight_sq` then hold each group's sums (None:
    unweighted), and the cells are the same as the persons' would be.
    """
    if frequency is not None and split_weights and sample_weight is not None and cluster is None:
        raise ValueError("groups of persons cannot be split by each person's weight")
    deprived = np.asarray(deprived, dtype=bool)
    n = deprived.shape[0]
    labels = dict(labels or {})
    code, n_profiles = profile_codes(deprived)
    columns: list[np.ndarray] = [code]
    cards: list[int] = [n_profiles]
    stratum = np.zeros(n, dtype=np.int64) if strata is None else np.asarray(strata, np.int64)
    n_strata = int(stratum.max()) + 1 if n else 1
    columns.append(stratum)
    cards.append(n_strata)
    psu_of_person: np.ndarray | None = None
    if cluster is not None:
        psu_of_person = _combine([stratum, _int_codes(np.asarray(cluster))], [n_strata, n], n)
        columns.append(psu_of_person)
        cards.append(int(psu_of_person.max()) + 1 if n else 1)
    elif sample_weight is not None and split_weights:
        weight_code, weight_values = _codes(np.asarray(sample_weight, dtype=np.float64))
        columns.append(weight_code)
        cards.append(len(weight_values))
    for values in labels.values():
        values = np.asarray(values, dtype=np.int64)
        columns.append(values)
        cards.append(int(values.max()) + 1 if n else 1)
    person_cell = _combine(columns, cards, n)
    n_cells = int(person_cell.max()) + 1 if n else 0
    representative = np.empty(n_cells, dtype=np.int64)
    representative[person_cell] = np.arange(n)  # any member will do: members share everything
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    if frequency is None:
        s_sq = s * s
        count = np.bincount(person_cell, minlength=n_cells).astype(np.int64)
    else:
        persons = np.asarray(frequency, dtype=np.int64)
        if sample_weight is None:  # unweighted: each person weighs 1, exactly
            s = s_sq = persons.astype(np.float64)
        else:
            s_sq = np.asarray(weight_sq, dtype=np.float64)
        count = np.zeros(n_cells, dtype=np.int64)
        np.add.at(count, person_cell, persons)
    weight = np.bincount(person_cell, weights=s, minlength=n_cells)
    weight_sq = np.bincount(person_cell, weights=s_sq, minlength=n_cells)
    profiles = deprived[representative]
    score = profiles.astype(np.int64) @ units.astype(np.int64)
    cell_stratum = stratum[representative]
    if psu_of_person is not None:
        unit_code = _int_codes(psu_of_person[representative])
        n_units = int(unit_code.max()) + 1 if n_cells else 0
        unit_stratum = np.zeros(n_units, dtype=np.int64)
        unit_stratum[unit_code] = cell_stratum
        unit_mult = np.ones(n_units, dtype=np.int64)
        omega = weight
        n_psu: int | None = n_units
    else:
        unit_code = np.arange(n_cells, dtype=np.int64)
        unit_stratum = cell_stratum
        unit_mult = count
        omega = weight / np.maximum(count, 1)
        n_psu = None
    units_per_stratum = np.bincount(unit_stratum, weights=unit_mult, minlength=n_strata)
    lonely = int(np.sum(units_per_stratum == 1))
    cells = Cells(
        profiles=profiles,
        profile_code=code[representative],
        score=score,
        weight=weight,
        weight_sq=weight_sq,
        count=count,
        omega=omega,
        unit=unit_code,
        labels={name: np.asarray(v, np.int64)[representative] for name, v in labels.items()},
        person_cell=person_cell,
    )
    design = Design(unit_stratum, unit_mult, n_strata, n_psu, lonely, psu_of_person is not None)
    return cells, design
