"""The shared machinery of the effect designs, by concern (kept as one import for the designs).

- ols.py: OLS with named SE types, cluster checks, t inference, rank checks;
- wild_bootstrap.py: the wild cluster bootstrap;
- inference.py: the reported term and the standard result dict;
- linear.py and absorb.py: covariates, weights and absorbed fixed effects;
- balance.py, outcome_privacy.py: balance tables and the privacy of 0/1 outcomes;
- sizes.py: effect sizes, ICC, minimum detectable effect.

Conventions are in docs/effects.md. Designs import from here or from the module itself.
"""

from __future__ import annotations

from evalsoc.sections.effects.absorb import (  # noqa: F401
    Absorbed,
    absorb_setup,
    demean,
    drop_singletons,
)
from evalsoc.sections.effects.balance import (  # noqa: F401
    GROUP_KEYS,
    _reference_counts,
    _weighted_mean_var,
    balance_table,
    suppress_balance,
)
from evalsoc.sections.effects.inference import (  # noqa: F401
    _classical_t,
    coefficient_inference,
    result_dict,
    result_from_fit,
)
from evalsoc.sections.effects.linear import (  # noqa: F401
    MAX_DUMMY_CELLS,
    _dummy_cells,
    _linear_term_rows,
    _partial_design,
    fit_declared_term,
    linear_term,
    row_weights,
)
from evalsoc.sections.effects.ols import (  # noqa: F401
    MIN_CLUSTERS,
    MIN_CLUSTERS_PER_ARM,
    RESULT_NUMBERS,
    SE_FLOOR,
    SE_WORDS,
    STANDARD_KEYS,
    OlsFit,
    _cluster_sums,
    check_clusters,
    check_full_rank,
    check_se,
    cluster_codes,
    covariate_matrix,
    is_binary,
    ols,
    t_inference,
)
from evalsoc.sections.effects.outcome_privacy import (  # noqa: F401
    _cell_place,
    outcome_counts,
    reveals_count,
    suppress_outcome_shares,
)
from evalsoc.sections.effects.sizes import (  # noqa: F401
    effect_sizes,
    icc_oneway,
    minimum_detectable_effect,
)
from evalsoc.sections.effects.wild_bootstrap import (  # noqa: F401
    _bootstrap_weights,
    _wild_t,
    wild_cluster_bootstrap,
)
