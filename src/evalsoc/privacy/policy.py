"""The privacy rule and the one switch that turns suppression off (a funder edition).

The rule: no published figure lets a reader count between 1 and `min_cell` − 1 people, directly
or by subtraction. Every section receives the threshold from one `PrivacyPolicy`; an edition
that must show small counts (the funder edition, read under a confidentiality agreement)
changes `threshold` to 1 here, and since every check is `0 < n < threshold`, nothing anywhere
is hidden any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PUBLIC = "public"
UNSUPPRESSED_EDITIONS = frozenset({"funder"})


@dataclass(frozen=True)
class PrivacyPolicy:
    min_cell: int = 10
    edition: str = PUBLIC

    @property
    def suppresses(self) -> bool:
        """False for an edition that shows small counts: every check then passes."""
        return self.edition not in UNSUPPRESSED_EDITIONS

    @property
    def threshold(self) -> int:
        """The smallest count that may be published (1: any count may)."""
        return max(int(self.min_cell), 1) if self.suppresses else 1

    def is_small(self, n: Any) -> bool:
        """Whether a count of people may not be published: 1 to threshold − 1."""
        return n is not None and 0 < float(n) < self.threshold

    @classmethod
    def of(cls, framework: Any, edition: str | None = None) -> PrivacyPolicy:
        privacy = getattr(framework, "privacy", None)
        min_cell = int(getattr(privacy, "min_cell", 10) or 1)
        chosen = edition or getattr(privacy, "edition", None) or PUBLIC
        return cls(min_cell=min_cell, edition=str(chosen))


def as_policy(policy: PrivacyPolicy | int) -> PrivacyPolicy:
    """A policy from a policy or a bare `min_cell` (the older calling convention)."""
    return policy if isinstance(policy, PrivacyPolicy) else PrivacyPolicy(min_cell=int(policy))
