"""Fixtures of the compare tests (helpers live in compare_fixtures.py)."""

from __future__ import annotations

from compare_fixtures import three_sites  # noqa: F401  (re-exported fixture)
