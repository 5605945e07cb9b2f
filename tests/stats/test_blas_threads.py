"""Capabilities' linear algebra on one BLAS thread: the limit holds inside the block and the
previous one is restored after (stats/blas_threads.py)."""

import numpy as np
from threadpoolctl import threadpool_info

from evalsoc.stats.blas_threads import one_blas_thread


def _blas_threads() -> list[int]:
    return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]


def test_one_thread_inside_and_restored_after() -> None:
    np.ones(2) @ np.ones(2)  # numpy's BLAS is loaded
    before = _blas_threads()
    assert before, "numpy's BLAS not found by threadpoolctl"
    with one_blas_thread():
        assert set(_blas_threads()) == {1}
        rng = np.random.default_rng(7)
        w, a = rng.random(50_000), rng.random(50_000)
        inside = float(w @ a)
    assert _blas_threads() == before
    # A sum of 50,000 products on one thread: equal to numpy's pairwise sum within rounding.
    assert abs(inside - float(np.sum(w * a))) <= 1e-12 * abs(inside)
