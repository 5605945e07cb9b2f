"""Write gov_transfers.csv: causaldata's gov_transfers plus `id` and a simulated `Takeup`.

`Takeup` (0/1) gives the fuzzy RD test a partial compliance the source lacks (there,
Participation is exactly Income_Centered < 0): eligible households (below the cutoff) take the
programme up with probability 0.8, the others with 0.15. Run once; the CSV is committed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from causaldata import gov_transfers

SEED = 20261129

if __name__ == "__main__":
    df = gov_transfers.load_pandas().data
    rng = np.random.default_rng(SEED)
    eligible = df.Income_Centered < 0
    take = np.where(eligible, rng.random(len(df)) < 0.8, rng.random(len(df)) < 0.15).astype(int)
    df = df.assign(id=np.arange(1, len(df) + 1), Takeup=take)
    columns = ["id", "Income_Centered", "Education", "Age", "Participation", "Support", "Takeup"]
    df[columns].to_csv(Path(__file__).with_name("gov_transfers.csv"), index=False)
