"""The pair audit of published populations on hand-made masks."""

import numpy as np

from evalsoc.privacy.audit import _BITS, PopulationAudit


def test_nested_populations_name_the_narrower_once():
    everybody = np.ones(324, dtype=bool)
    outside = everybody.copy()
    outside[-3:] = False  # the 3 people of one site
    nord = np.zeros(324, dtype=bool)
    nord[:200] = True
    audit = PopulationAudit(10)
    audit.add("all", "s", everybody)
    audit.add("all again", "s", everybody.copy())  # an identical mask is kept once
    audit.add("outside", "s", outside)
    audit.add("nord", "s", nord)
    audit.add("other source", "t", outside)  # another source: never compared with "s"
    assert len(audit) == 4
    leaks = audit.leaks()
    assert len(leaks) == 1
    narrow, wide = leaks[0]
    assert narrow.figures == ["outside"] and wide.figures == ["all", "all again"]


def test_equal_sizes_far_apart_do_not_leak_and_small_differences_do():
    a = np.zeros(40, dtype=bool)
    a[:20] = True
    b = ~a  # same size, 40 people apart
    c = a.copy()
    c[20:24] = True  # 4 more people than a
    audit = PopulationAudit(5)
    for key, mask in (("a", a), ("b", b), ("c", c)):
        audit.add(key, "s", mask)
    assert [(n.figures, w.figures) for n, w in audit.leaks()] == [(["a"], ["c"])]


def test_byte_table_counts_bits():
    assert [int(_BITS[v]) for v in (0, 1, 3, 255)] == [0, 1, 2, 8]
