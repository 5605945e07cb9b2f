"""Seeded generator of the demo data: a chantier d'insertion (integration through work).

Writes datasets/aci/*.csv as a French spreadsheet exports them (`;`, decimal comma,
Windows-1252) and datasets/aci/truth.json with the true values used, so that tests can check
that evalsoc recovers them. A handful of deliberately invalid rows show the quarantine. The
algorithm lives in the package (`evalsoc.generators.aci`), shared with
`evalsoc init --template aci`, which writes the same bytes with the same seed.

    python datasets/generate.py            # writes datasets/aci/
    python datasets/generate.py --n 5000   # more people
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evalsoc.generators.aci import N_PEOPLE, SEED, generate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=N_PEOPLE, help="people (each at 2 waves)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "aci")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, content in generate(args.seed, args.n).items():
        (args.out / name).write_bytes(content)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
