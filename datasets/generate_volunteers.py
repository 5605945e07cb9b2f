"""The demo's register of volunteers (datasets/aci/benevoles.csv) and its truth.

Reads benevolat.csv in --out and writes benevoles.csv and benevoles_truth.json there. The
algorithm (seed 20250102, truth computed with plain Python apart from evalsoc) lives in the
package, `evalsoc.generators.volunteer_register`, shared with `evalsoc init --template aci`.

    python datasets/generate_volunteers.py [--out datasets/aci]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from evalsoc.generators.volunteer_register import SEED, register


def generate(out: Path) -> dict:
    content, truth = register((out / "benevolat.csv").read_bytes(), SEED)
    (out / "benevoles.csv").write_bytes(content)
    (out / "benevoles_truth.json").write_text(
        json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return truth


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "aci")
    args = parser.parse_args()
    print(json.dumps(generate(args.out), indent=2, ensure_ascii=False))
