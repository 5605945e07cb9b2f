"""The long fuzzing run recorded in docs/testing.md (not part of the test suite).

    PYTHONPATH=src python tests/fuzz/long_run.py --where 50000 --text 50000 --framework 10000

Plain `random` drives it (hypothesis' bookkeeping costs more than the inputs themselves at
this volume); the properties are those of tests/fuzz/: `where` trees agree with the row-by-row
reference, random text raises only ExpressionError, mutated frameworks (the shipped ones, edited
at random) raise only FrameworkError. Prints the figures; exits 1 at the first failure, with it.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzz.strategies import CATEGORIES, COMPARATORS, NUMERIC, Node, frame, reference, rows  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = [ROOT / "frameworks" / "chantier-insertion.yaml"] + sorted(
    (ROOT / "tests" / "data").glob("*/*.yaml")
)
TOKENS = list("nisb ()[],'\"`=!<>-.0123456789eE") + [
    "and", "or", "not", "in", "null", "et", "ou", "non", "é", "\x00", "`column with space`",
]  # fmt: skip
PUNCTUATION = list(":[]{}-&*!|>'\"#%@`,? \n\t") + ["\x00", "é", "\u2028", "\ufeff"]


def random_tree(rng: random.Random, depth: int = 0) -> Node:
    if depth < 3 and rng.random() < 0.45:
        if rng.random() < 0.3:
            return Node("not", (random_tree(rng, depth + 1),))
        kind = rng.choice(["and", "or"])
        return Node(kind, tuple(random_tree(rng, depth + 1) for _ in range(rng.randint(2, 3))))
    pick = rng.randrange(6)
    if pick == 0:
        column = rng.choice(NUMERIC + ["column with space"])
        value = rng.choice([rng.randint(-3, 11), 0.5, -0.5, 1.5, 2.0, 1e3, -1e-3, 10.0])
        return Node("compare", (column, rng.choice(COMPARATORS), value))
    if pick == 1:
        return Node("compare", ("s", rng.choice(["==", "!="]), rng.choice(CATEGORIES + ["x"])))
    if pick == 2:
        value = rng.choice([True, False, "oui", "non", "vrai", "faux"])
        return Node("compare", ("b", rng.choice(["==", "!="]), value))
    if pick == 3:
        values = tuple(rng.choice(CATEGORIES + [1, 2, 3, None]) for _ in range(rng.randint(1, 3)))
        return Node("in", (rng.choice(["s", "i"]), values, rng.random() < 0.5))
    if pick == 4:
        return Node(rng.choice(["isnull", "notnull"]), (rng.choice(["n", "i", "b", "s"]),))
    return Node("truthy", (rng.choice(["b", "n", "i"]),))


def write(rng: random.Random, node: Node) -> str:
    space = rng.choice([" ", "  ", "\u00a0"]) if rng.random() < 0.2 else " "
    quote = rng.choice(["'", '"'])

    def literal(v: object) -> str:
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        return f"{quote}{v}{quote}" if isinstance(v, str) else repr(v)

    def out(n: Node) -> str:
        if n.kind == "compare":
            c, op, v = n.args
            name = f"`{c}`" if " " in c else c
            return f"{name}{space}{op}{space}{literal(v)}"
        if n.kind == "in":
            c, values, negate = n.args
            return f"{c} {'not in' if negate else 'in'} [{', '.join(map(literal, values))}]"
        if n.kind in ("isnull", "notnull"):
            return f"{n.args[0]} {'==' if n.kind == 'isnull' else '!='} null"
        if n.kind == "truthy":
            return n.args[0]
        if n.kind == "not":
            return f"{rng.choice(['not', 'non'])} ({out(n.args[0])})"
        word = rng.choice({"and": ["and", "et"], "or": ["or", "ou"]}[n.kind])
        return f" {word} ".join(f"({out(a)})" for a in n.args)

    return out(node)


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(max(len(text), 1))
        op = rng.randrange(6)
        if op == 0:
            text = text[:at] + text[at + rng.randint(1, 8) :]
        elif op == 1:
            text = text[:at] + rng.choice(PUNCTUATION) + text[at:]
        elif op == 2:
            lines = text.splitlines(True) or [""]
            i = at % len(lines)
            text = "".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :])
        elif op == 3:
            text = text[:at] + " " * rng.randint(1, 3) + text[at:]
        elif op == 4:
            text = text[:at]
        else:  # a value swapped for a hostile one
            hostile = rng.choice(["1e309", ".nan", "-1", "true", "~", "[]", "{}", "'\\ud800'"])
            text = text[:at] + hostile + text[at:]
    return text


def main() -> int:
    from evalsoc.errors import FrameworkError
    from evalsoc.framework.expressions import ExpressionError, parse_expression
    from evalsoc.framework.load import load_framework

    parser = argparse.ArgumentParser()
    parser.add_argument("--where", type=int, default=50_000)
    parser.add_argument("--text", type=int, default=50_000)
    parser.add_argument("--framework", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    table, table_rows = frame(), None
    table_rows = rows(table)
    figures: dict[str, dict[str, float]] = {}

    def fail(kind: str, text: str) -> int:
        print(f"FAILURE in {kind} on input {text!r}")
        traceback.print_exc()
        return 1

    start = time.perf_counter()
    for _ in range(args.where):
        tree = random_tree(rng)
        text = write(rng, tree)
        try:
            mask = parse_expression(text).evaluate(table).tolist()
            assert mask == [reference(tree, row) for row in table_rows], "wrong rows"
        except Exception:  # noqa: BLE001 - the fuzzer reports any failure
            return fail("where", text)
    figures["where (vs reference)"] = {"inputs": args.where, "seconds": time.perf_counter() - start}

    start, refused = time.perf_counter(), 0
    for _ in range(args.text):
        text = "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 30)))
        try:
            mask = parse_expression(text).evaluate(table)
            assert mask.dtype == bool and len(mask) == len(table)
        except ExpressionError:
            refused += 1
        except Exception:  # noqa: BLE001
            return fail("text", text)
    figures["where (random text)"] = {
        "inputs": args.text,
        "seconds": time.perf_counter() - start,
        "refused": refused,
    }

    start, refused = time.perf_counter(), 0
    sources = [p.read_text(encoding="utf-8") for p in FRAMEWORKS]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "framework.yaml"
        for _ in range(args.framework):
            text = mutate(rng, rng.choice(sources))
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            try:
                load_framework(path)
            except FrameworkError:
                refused += 1
            except Exception:  # noqa: BLE001
                return fail("framework", text)
    figures["framework loader (mutated)"] = {
        "inputs": args.framework,
        "seconds": time.perf_counter() - start,
        "refused": refused,
    }
    total = sum(f["inputs"] for f in figures.values())
    for name, f in figures.items():
        extra = f", refused {int(f['refused'])}" if "refused" in f else ""
        print(f"{name}: {int(f['inputs'])} inputs in {f['seconds']:.0f} s{extra}")
    print(f"total: {total} inputs, tracebacks: 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
