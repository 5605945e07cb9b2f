"""An indicator over every row of its source has its populations built from packed parts
(privacy/indicators.py `_Parts`): the bits, count and identity are those of packing the rows'
boolean mask (`audit.pack`), for groups, traits, categories and unions; and a hand-worked case."""

from types import SimpleNamespace

import numpy as np

from evalsoc.privacy.audit import pack
from evalsoc.privacy.indicators import PACKED_GROUPS, Entry, figures


def entry(n, valid, codes, trait=None, category=None, positions=None):
    support = {"valid": np.asarray(valid, bool)}
    if trait is not None:
        support["trait"] = np.asarray(trait, bool)
    if category is not None:
        support["category"] = np.asarray(category, dtype=np.int64)
    return Entry(
        spec=SimpleNamespace(id="x"),
        raw={},
        source="s",
        positions=np.arange(n) if positions is None else np.asarray(positions),
        source_rows=n,
        support=support,
        codes=np.asarray(codes, dtype=np.int64),
    )


def result(ngroups, hidden=(), categories=0):
    def cell(g=None):
        out = {"n": 1, "count": 1}
        if g in hidden:
            return {"suppressed": True}
        if categories:
            out["categories"] = [{"value": str(j)} for j in range(categories)]
        return out

    return {**cell(), "by": [cell(g) for g in range(ngroups)]}


def test_hand_worked_populations():
    # 11 rows (not a whole byte): groups 0 0 1 1 2 2 0 1 2 0 1, row 3 without a value,
    # the trait on rows 0, 2, 5, 9; group 2 hidden. Union = valid rows outside group 2.
    codes = [0, 0, 1, 1, 2, 2, 0, 1, 2, 0, 1]
    valid = [1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1]
    trait = [1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0]
    e = entry(11, valid, codes, trait)
    got = {key: rows for key, _, rows in figures(e, result(3, hidden=(2,)))}
    expected = {
        ("overall", None): [0, 1, 2, 4, 5, 6, 7, 8, 9, 10],
        ("group", 0): [0, 1, 6, 9],
        ("group_trait", 0): [0, 9],
        ("group", 1): [2, 7, 10],
        ("union", None): [0, 1, 2, 6, 7, 9, 10],
        ("union_trait", None): [0, 2, 9],
    }
    for key, rows_expected in expected.items():
        rows = got[key]
        size = rows.size()
        assert size == len(rows_expected), key
        ident, counted, bits = rows.packed("s", size)
        mask = np.zeros(11, bool)
        mask[rows_expected] = True
        assert bits.tobytes() == np.packbits(mask).tobytes(), key
        assert (ident, counted) == pack("s", mask)[:2], key


def test_packed_equals_pack_of_the_mask_on_random_data():
    rng = np.random.default_rng(20261130)
    n = 10_007
    for ngroups, every, hidden in ((5, True, ()), (7, False, (1, 3)), (12, False, range(6))):
        codes = rng.integers(0, ngroups, n)
        valid = np.ones(n, bool) if every else rng.random(n) < 0.9
        trait = valid & (rng.random(n) < 0.4)
        category = np.where(valid, rng.integers(0, 4, n), -1)
        e = entry(n, valid, codes, trait, category)
        listed = list(figures(e, result(ngroups, hidden=hidden, categories=4)))
        assert len(listed) >= 4 * (ngroups - len(hidden))  # cells, traits, categories
        for key, _, rows in listed:
            assert rows._bits is not None, key  # the packed route was taken
            size = rows.size()
            assert size == int(np.count_nonzero(rows())), key
            packed = rows.packed("s", size)
            expected = pack("s", rows())
            assert packed[:2] == expected[:2], key
            assert packed[2].tobytes() == expected[2].tobytes(), key


def test_where_rows_and_many_groups_keep_the_boolean_route():
    codes = np.arange(PACKED_GROUPS + 1) % (PACKED_GROUPS + 1)
    many = entry(len(codes), np.ones(len(codes), bool), codes)
    where = entry(8, [1] * 6, [0, 0, 1, 1, 0, 1], positions=[0, 1, 3, 4, 6, 7])
    for e, ngroups in ((many, PACKED_GROUPS + 1), (where, 2)):
        for key, _, rows in figures(e, result(ngroups)):
            assert rows._bits is None, key
            size = rows.size()
            assert rows.packed("s", size)[:2] == pack("s", rows())[:2]
