"""Imports go one way: a module imports only from its own layer or lower ones, and the
packages of one layer do not import each other round a cycle (ARCHITECTURE's layer map).

A short AST walk rather than import-linter: the layers span app.py and pages/, which are
not packages, src/ is only `duzhan` once installed (package-dir), and the planted-import
test below feeds module text straight in instead of writing files into the package.
"""
from __future__ import annotations

import ast
from pathlib import Path

# Unit (a package or module) → layer, low → high. A unit covers its submodules.
LAYERS: dict[str, int] = {
    "duzhan.clock": 0, "duzhan.paths": 0, "duzhan.privacy": 0, "duzhan.i18n": 0,
    "duzhan.contract": 1, "duzhan.presentation": 1,
    "duzhan.metrics": 2,
    "duzhan.store": 3,
    "duzhan.ledgers": 4, "duzhan.auth": 4,
    "duzhan.charts": 5, "duzhan.geo": 5,
    "duzhan.viewmodels": 6,
    "duzhan.exports": 7, "duzhan.demo": 7,
    "duzhan.cli": 8, "duzhan.views": 8, "duzhan.serve": 8,
    "app": 9, "pages": 9,
}
ROOT = "duzhan"  # src/__init__.py: belongs to no layer, so it must import nothing of ours

# Accepted violations, each with its reason. Empty since issue 8; the test fails when an
# entry no longer occurs, so this set can only shrink.
KNOWN_VIOLATIONS: set[str] = set()

REPO = Path(__file__).resolve().parents[1]


def tree_sources(repo: Path = REPO) -> dict[str, str]:
    """Module name → source text for src/ (as `duzhan.*`), app.py and pages/."""
    files: dict[str, Path] = {}
    for path in sorted((repo / "src").rglob("*.py")):
        parts = list(path.relative_to(repo / "src").with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        files[".".join([ROOT, *parts])] = path
    files["app"] = repo / "app.py"
    for path in sorted((repo / "pages").glob("*.py")):
        files[f"pages.{path.stem}"] = path
    return {name: path.read_text(encoding="utf-8") for name, path in files.items()}


def unit_of(module: str) -> str | None:
    for unit in sorted(LAYERS, key=len, reverse=True):
        if module == unit or module.startswith(unit + "."):
            return unit
    return None


def imported_modules(module: str, source: str, is_package: bool, known: set[str]) -> set[str]:
    """Every `duzhan.*` module `module` imports, anywhere in its body (lazy imports too)."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for alias in node.names:
                sub = f"{origin}.{alias.name}"
                found.add(sub if sub in known else origin)
    return {name for name in found if name == ROOT or name.startswith(ROOT + ".")}


def violations(sources: dict[str, str]) -> set[str]:
    """'importer -> imported' for every import up a layer, 'unmapped: …' for modules outside
    the table, 'cycle: a <-> b' for packages of one layer importing each other."""
    known = set(sources)
    packages = {name for name in sources if _is_package(name, sources)}
    found: set[str] = set()
    edges: dict[str, set[str]] = {}
    for module, source in sources.items():
        src_unit = unit_of(module)
        if src_unit is None and module != ROOT:
            found.add(f"unmapped: {module}")
            continue
        for target in imported_modules(module, source, module in packages, known):
            dst_unit = unit_of(target)
            if module == ROOT or dst_unit is None:
                found.add(f"{module} -> {target}")
            elif LAYERS[dst_unit] > LAYERS[src_unit]:
                found.add(f"{module} -> {target}")
            elif LAYERS[dst_unit] == LAYERS[src_unit] and dst_unit != src_unit:
                edges.setdefault(src_unit, set()).add(dst_unit)
    for a, b in _cycle_pairs(edges):
        found.add(f"cycle: {a} <-> {b}")
    return found


def _is_package(name: str, sources: dict[str, str]) -> bool:
    """A package is a name other modules live under (or the root)."""
    return name == ROOT or any(other.startswith(name + ".") for other in sources)


def _cycle_pairs(edges: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Pairs (a, b), a < b, of units that reach each other along same-layer edges."""
    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    reachable = {unit: reach(unit) for unit in edges}
    return {(a, b) for a in reachable for b in reachable[a]
            if a < b and a in reachable.get(b, set())}


def test_the_tree_keeps_imports_one_way():
    found = violations(tree_sources())
    new = sorted(found - KNOWN_VIOLATIONS)
    gone = sorted(KNOWN_VIOLATIONS - found)
    assert not new, "imports against the layer map (LAYERS above):\n" + "\n".join(new)
    assert not gone, "fixed — remove from KNOWN_VIOLATIONS:\n" + "\n".join(gone)


def test_a_planted_backward_import_is_reported():
    sources = tree_sources()
    sources["duzhan.metrics.planted"] = "from duzhan.views import shell\n"
    sources["duzhan.presentation.planted"] = "def f():\n    from ..store import read\n"
    found = violations(sources)
    assert "duzhan.metrics.planted -> duzhan.views.shell" in found
    assert "duzhan.presentation.planted -> duzhan.store.read" in found


def test_a_planted_same_layer_cycle_is_reported():
    sources = {
        "duzhan.charts": "", "duzhan.charts.a": "from duzhan.geo import b\n",
        "duzhan.geo": "", "duzhan.geo.b": "import duzhan.charts.a\n",
        "duzhan.metrics": "", "duzhan.metrics.c": "from duzhan.clock import today\n",
        "duzhan.clock": "",
    }
    assert violations(sources) == {"cycle: duzhan.charts <-> duzhan.geo"}


def test_a_module_outside_the_table_is_reported():
    sources = {"duzhan.newpkg": "", "duzhan.newpkg.mod": "", "duzhan.clock": ""}
    assert violations(sources) == {"unmapped: duzhan.newpkg", "unmapped: duzhan.newpkg.mod"}
