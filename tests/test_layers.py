"""Dependencies point one way: graphmodel <- stores <- loaders, queries; graphmodel <- synthetic,
visualizations; all <- orgnet.

The graph stores (one module or package per database backend, and the registry choosing one
from a target) sit between the model and the layers that use a database: loaders may write a
model into a store; queries run on a store only through the protocol of graphmodel.store, so
they import no backend (nor the registry) at all.
Visualizations receive the model and the findings, never a store.

The synthetic generator is a data source (it writes input files), so it sits on the loaders'
layer, not in the model: it may use the schema, and only the command line and tests use it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
OURS = {"graphmodel", "stores", "synthetic", "loaders", "queries", "visualizations", "orgnet",
        "bench", "tools", "tests"}
ALLOWED = {
    "graphmodel": {"graphmodel"},
    "stores": {"graphmodel", "stores"},
    "synthetic": {"graphmodel", "synthetic"},
    "loaders": {"graphmodel", "stores", "loaders"},
    "queries": {"graphmodel", "queries"},  # stores only through graphmodel.store's protocol
    "visualizations": {"graphmodel", "visualizations"},
    "orgnet": {"graphmodel", "stores", "synthetic", "loaders", "queries", "visualizations",
               "orgnet"},
}


def imported_packages(path: Path) -> set[str]:
    """Our top-level packages that a module imports (anywhere in it, lazily or not)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {n.split(".")[0] for n in names if n.split(".")[0] in OURS}
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_one_way(package):
    wrong = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        extra = imported_packages(path) - ALLOWED[package]
        if extra:
            wrong[str(path.relative_to(ROOT))] = sorted(extra)
    assert wrong == {}, f"{package} may import only {sorted(ALLOWED[package])}: {wrong}"
