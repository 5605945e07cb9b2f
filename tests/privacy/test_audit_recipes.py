"""The indicator audit builds each population once: figures with the same recipe (source,
`where` rows, rows with a value, `by` codes, group) share one mask, and the masks it builds are
the rows each figure counts, placed on the source's rows."""

from types import SimpleNamespace

import numpy as np

from evalsoc.privacy.indicators import Entry, figures


def entry(positions, valid, codes, source_rows=8, trait=None):
    support = {"valid": np.asarray(valid, bool)}
    if trait is not None:
        support["trait"] = np.asarray(trait, bool)
    return Entry(
        spec=SimpleNamespace(id="x"),
        raw={},
        source="s",
        positions=np.asarray(positions),
        source_rows=source_rows,
        support=support,
        codes=np.asarray(codes, dtype=np.int64),
    )


RESULT = {"by": [{"n": 4}, {"n": 4}]}  # two shown groups: overall, 2 groups, their union


def listed(e, result=RESULT):
    return [(key, recipe, rows()) for key, recipe, rows in figures(e, result)]


def test_masks_are_the_counted_rows_on_the_source():
    codes = np.array([0, 0, 1, 1, 0, 1])
    e = entry([0, 1, 3, 4, 6, 7], [1, 1, 1, 0, 1, 1], codes)  # a `where` kept 6 of 8 rows
    got = {key: mask for key, _, mask in listed(e)}
    assert got[("overall", None)].tolist() == [1, 1, 0, 1, 0, 0, 1, 1]
    assert got[("group", 0)].tolist() == [1, 1, 0, 0, 0, 0, 1, 0]
    assert got[("group", 1)].tolist() == [0, 0, 0, 1, 0, 0, 0, 1]
    assert got[("union", None)].tolist() == [1, 1, 0, 1, 0, 0, 1, 1]


def test_same_population_same_recipe_other_rows_other_recipe():
    codes = np.array([0, 0, 1, 1, 0, 1, 0, 1])
    a = entry(np.arange(8), [1] * 8, codes)
    b = entry(np.arange(8), [1] * 8, codes)  # another indicator, same rows and `by`
    c = entry(np.arange(8), [1] * 7 + [0], codes)  # one value missing
    d = entry([0, 1, 2, 3, 4, 5, 6], [1] * 7, codes[:7])  # a `where` drops the last row
    ra, rb, rc = ([r for _, r, _ in listed(e)] for e in (a, b, c))
    rd = [r for _, r, _ in listed(d)]
    assert ra == rb
    assert not set(ra) & set(rc)
    assert not set(ra) & set(rd)
    # The shared recipe is an honest one: the masks behind it are equal.
    for (_, _, ma), (_, _, mb) in zip(listed(a), listed(b)):
        assert np.array_equal(ma, mb)


def test_whole_source_rows_are_not_copied():
    valid = np.ones(8, bool)
    e = entry(np.arange(8), valid, np.zeros(8))
    (_, _, mask), *_ = listed(e, {"by": []})
    assert mask is valid  # no scatter onto a fresh array for an indicator over every row
