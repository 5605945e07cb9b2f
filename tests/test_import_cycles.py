"""No import circles between evalsoc's modules (issue 9).

At module level everywhere: such a circle makes the import order matter. Function-level
imports too (lazy imports, kept so `evalsoc --help` stays fast) in the packages split for
issue 9, where two modules importing each other meant one job spread over both
(data/read.py ↔ data/readers/ ↔ data/prepare.py before data/info.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "evalsoc").rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path], lazy: bool = False) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = _type_checking_only(tree)
    for node in ast.walk(tree) if lazy else tree.body:
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names if alias.name in modules}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base in modules:
                out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules}
    return out


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the imports under `if TYPE_CHECKING:` (never run: not an import circle)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden |= {id(inner) for stmt in node.body for inner in ast.walk(stmt)}
    return hidden


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of the graph (as a path back to its start), or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_find_cycle_sees_a_circle_and_a_clean_graph():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_module_level_import_circle():
    modules = _modules()
    assert "evalsoc.data.read" in modules and "evalsoc.data.readers" in modules
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert "evalsoc.data.info" in graph["evalsoc.data.readers"]  # the graph sees real imports
    assert find_cycle(graph) is None


SPLIT_PACKAGES = (
    "evalsoc.data",
    "evalsoc.sections.qualitative",
    "evalsoc.sections.criteria",
    "evalsoc.sections.sroi",
    "evalsoc.sections.capabilities",
    "evalsoc.sections.effects",
    "evalsoc.cli",
)


def test_no_import_circle_even_lazy_in_the_split_packages():
    modules = _modules()
    inside = {name for name in modules if name.startswith(SPLIT_PACKAGES)}
    graph = {name: _imports(name, modules[name], modules, lazy=True) & inside for name in inside}
    assert "evalsoc.data.readers" in graph["evalsoc.data.read"]  # read_table's lazy import
    assert find_cycle(graph) is None


# The one lazy import allowed to close a circle: `Expression.evaluate(frame)`, a convenience kept
# for the callers that hold a parsed `where` and a pandas frame; the pandas evaluator imports the
# expression tree's node classes. Evaluating is the engines' job; parsing knows no engine.
ALLOWED_LAZY_EDGES = {("evalsoc.framework.expressions", "evalsoc.engines.pandas_eval")}


def test_no_import_circle_even_lazy_anywhere():
    modules = _modules()
    graph = {name: _imports(name, path, modules, lazy=True) for name, path in modules.items()}
    assert "evalsoc.pipeline" in graph["evalsoc.compare.runs"]  # a lazy import is seen
    assert "evalsoc.engines.duckdb" not in graph["evalsoc.engines.duckdb_stats"]  # TYPE_CHECKING
    for source, target in ALLOWED_LAZY_EDGES:
        assert target in graph[source], "an allowed edge that no longer exists: remove it"
        graph[source].discard(target)
    assert find_cycle(graph) is None
