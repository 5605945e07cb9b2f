"""Seeded data generators of the `evalsoc init` templates: one module per template.

Each module exposes `SEED` (its default seed) and `generate(seed) -> dict[str, bytes]`: the data
files the template's framework reads and `truth.json`, the parameters it simulated (true
effects, true proportions) so that a run can be checked against them. Files are returned as
bytes (nothing is written here): `evalsoc init` checks that none would overwrite a file before
writing any, and the same seed gives the same bytes.
"""
