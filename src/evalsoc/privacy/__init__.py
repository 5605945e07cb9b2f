"""Privacy: the rule (policy), the shape of a suppressed figure (cells), the one suppression
algorithm for figures linked by published totals (linear, tables) and the audit of every
published population (audit). See docs/privacy.md."""

from evalsoc.privacy.cells import reason, reason_text, suppressed, suppressed_cell
from evalsoc.privacy.policy import PrivacyPolicy

__all__ = ["PrivacyPolicy", "reason", "reason_text", "suppressed", "suppressed_cell"]
