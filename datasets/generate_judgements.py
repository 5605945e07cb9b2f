"""Seeded rubric judgements from several stakeholder groups, for the example frameworks.

Each criterion has a latent quality; each role a leniency (bias) and each rater their own; a
judgement is the latent sum plus noise cut into the four rubric levels. Some raters say the
evidence is insufficient. The true median level of each criterion is therefore known. The
algorithm lives in the package (`evalsoc.generators.common.judgements`), shared with the
`evalsoc init` templates.
"""

from __future__ import annotations

from evalsoc.generators.common import CUTS, INSUFFICIENT, LEVELS
from evalsoc.generators.common import judgements as generate_judgements

__all__ = ["CUTS", "INSUFFICIENT", "LEVELS", "generate_judgements"]
