"""The coded problem behind a data-check name ("max 80", "missing value (not nullable)").

results.json keeps the check names as the keys of `failures` (stable for the programs that
read them); the report reads each name back into its catalogue code and parameters, so the
French wording comes from `evalsoc.problems`, not from translating English text.
"""

from __future__ import annotations

import re

from evalsoc.problems import problem

# (pattern of a check name, catalogue code). Most specific first; named groups are parameters.
_CHECKS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), code)
    for p, code in [
        (r"missing value \(not nullable\)", "check_missing"),
        (r"duplicate value \(unique\)", "check_duplicate"),
        (r"duplicate key \((?P<key>.+)\)", "check_duplicate_key"),
        (r"min (?P<limit>.+)", "check_min"),
        (r"max (?P<limit>.+)", "check_max"),
        (r"one of (?P<values>.+)", "check_one_of"),
        (r"likert answer in 1\.\.(?P<levels>\d+)", "check_likert"),
        (r"type: boolean \(oui/non, vrai/faux, yes/no, 1/0\)", "check_type_boolean"),
        (r"type: number", "check_type_number"),
        (r"type: integer", "check_type_integer"),
        (r"type: date \(YYYY-MM-DD or DD/MM/YYYY\)", "check_type_date_default"),
        (r"type: date \((?P<format>.+)\)", "check_type_date_format"),
        (r"type: (?P<kind>.+)", "check_type_other"),
        (r"no row of (?P<table>\S+) with this key", "check_join_unmatched"),
        (r"several rows of (?P<table>\S+) with this key", "check_join_ambiguous"),
        (r"key repeated in (?P<table>\S+) \(one_to_one\)", "check_join_repeated"),
    ]
]


def check_problem(check: str) -> dict[str, str] | None:
    """`{code, fr, en}` for a check name (the part after "column: "), or None if not coded."""
    for pattern, code in _CHECKS:
        match = pattern.fullmatch(check)
        if match:
            return problem(code, **match.groupdict())
    return None
