"""Every named query parses on both backends, without a Neo4j server.

Neo4j side: Neo4j's own parser and semantic analysis (npm ``@neo4j-cypher/language-support``,
pinned in tools/cypher-lint; install with ``npm ci --prefix tools/cypher-lint``) checks each
query's Neo4j text (``NamedQuery.text_for("neo4j")``: the ``.neo4j.cypher`` variant where there
is one) and every statement ``orgnet push`` and the Neo4j store send, against the labels,
relationship types and properties of graphmodel/storage.py, for Cypher 5 and Cypher 25.

LadybugDB side: ``EXPLAIN`` of each query's LadybugDB text on the tiny city after the diagnosis
has written its derived properties (LadybugDB binds property names against its tables).

Query files are found at run time, so files added under queries/cypher are checked too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graphmodel.storage import NODE_TABLES, REL_TABLES
from queries.diagnose import diagnose
from queries.library import list_queries
from stores.ladybug import LadybugStore, write_ladybug
from stores.neo4j.push import clear_statements, node_statements, rel_statements, schema_statements
from stores.neo4j.store import (
    create_rels_statement,
    set_properties_statement,
    set_rel_properties_statement,
)

ROOT = Path(__file__).resolve().parents[2]
LINT_DIR = ROOT / "tools" / "cypher-lint"
PACKAGE = "@neo4j-cypher/language-support"
PINNED = "2.0.0-next.38"
VERSIONS = ["CYPHER 5", "CYPHER 25"]
_NOT_PRESENT = " is not present in the database."


def _query_names() -> list[str]:
    try:
        return [q.name for q in list_queries()]
    except Exception:  # a malformed file: test_library_loads reports it
        return []


QUERY_NAMES = _query_names()


def _schema_properties() -> set[str]:
    return ({p for t in NODE_TABLES for p, _ in t.properties}
            | {p for r in REL_TABLES for p, _ in r.properties})


def _lint_schema() -> dict:
    return {
        "labels": [t.label for t in NODE_TABLES],
        "relationshipTypes": [r.name for r in REL_TABLES],
        "propertyKeys": sorted(_schema_properties()),
        "graphSchema": [{"from": s, "to": t, "relType": r.name}
                        for r in REL_TABLES for s, t in r.pairs],
    }


def _store_statements() -> dict[str, tuple[str, list[str]]]:
    """Statements the Neo4j store writes derived properties with (one example each)."""
    return {
        "store/set_properties": (set_properties_statement("Unit", "id", ["score"]), ["rows"]),
        "store/set_rel_properties": (set_rel_properties_statement("TIE", "rid", ["score"]),
                                     ["rows"]),
        "store/create_rels": (create_rels_statement("HANDLED_BY", "Task", "Organization", []),
                              ["rows"]),
    }


def _rel_representatives() -> dict[tuple[str, str, str], str]:
    """The statement of the first label pair of each relationship type: the others differ
    only in the two labels (test_rel_statements_differ_only_in_labels), so linting one per
    type checks them all at a tenth of the cost (Neo4j's analysis takes ~80 ms a statement).
    """
    out: dict[tuple[str, str, str], str] = {}
    for (rel, src, dst), text in rel_statements().items():
        if not any(key[0] == rel for key in out):
            out[(rel, src, dst)] = text
    return out


def _push_statements() -> dict[str, tuple[str, list[str]]]:
    out: dict[str, tuple[str, list[str]]] = {}
    for i, text in enumerate(schema_statements()):
        out[f"push/schema/{i}"] = (text, [])
    for label, text in node_statements().items():
        out[f"push/node/{label}"] = (text, ["rows"])
    for (rel, src, dst), text in _rel_representatives().items():
        out[f"push/rel/{rel}/{src}/{dst}"] = (text, ["rows"])
    for label, text in clear_statements().items():
        out[f"push/clear/{label}"] = (text, ["limit"])
    from stores.neo4j.push import META_STATEMENT

    out["push/record"] = (META_STATEMENT, ["rows"])
    return {**out, **_store_statements()}


PUSH_NAMES = sorted(_push_statements())


def _linter() -> Path:
    """The lint script, or skip with the reason and the install command."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the Neo4j syntax check needs Node.js 20+")
    if not (LINT_DIR / "node_modules" / PACKAGE).is_dir():
        pytest.skip(f"{PACKAGE} is not installed: run `npm ci --prefix tools/cypher-lint`")
    return LINT_DIR / "lint.mjs"


def run_linter(queries: list[dict]) -> dict:
    """Run tools/cypher-lint/lint.mjs on ``[{name, text, params}]``; its JSON output."""
    script = _linter()
    payload = {"schema": _lint_schema(), "versions": VERSIONS, "queries": queries}
    done = subprocess.run(["node", str(script)], input=json.dumps(payload), text=True,
                          capture_output=True, cwd=LINT_DIR, timeout=300, check=False)
    assert done.returncode == 0, f"lint.mjs failed:\n{done.stderr}"
    return json.loads(done.stdout)


def problems(diagnostics: list[dict], properties: set[str]) -> list[str]:
    """The diagnostics that are real problems: every error, unknown labels and relationship
    types, patterns the graph schema rules out, deprecations, and properties that neither the
    schema nor the diagnosis writes."""
    out = []
    for d in diagnostics:
        message = d["message"]
        if (d["severity"] == "warning" and _NOT_PRESENT in message
                and not message.startswith(("Label ", "Relationship type "))
                and d["excerpt"] in properties):
            continue  # a property some code writes (derived by the diagnosis)
        out.append(f"{d['severity']} at line {d['line']} col {d['column']}: {message}"
                   + (f" [{d['excerpt']}]" if d["excerpt"] else ""))
    return out


@pytest.fixture(scope="module")
def diagnosed_store(tiny_model, tmp_path_factory):
    """The tiny city in LadybugDB after a diagnosis (derived properties written)."""
    path = write_ladybug(tiny_model, tmp_path_factory.mktemp("syntax") / "tiny.lbdb")
    store = LadybugStore(path, writable=True)
    diagnose(tiny_model, store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def known_properties(diagnosed_store) -> set[str]:
    """Properties of the storage schema plus those the diagnosis adds."""
    props = set(_schema_properties())
    for table in [*(t.label for t in NODE_TABLES), *(r.name for r in REL_TABLES)]:
        info = diagnosed_store.run(f"CALL table_info('{table}') RETURN *")
        props.update(info["name"])
    return props


@pytest.fixture(scope="module")
def neo4j_lint() -> dict[str, dict[str, list[dict]]]:
    """name -> Cypher version -> diagnostics, for every named query and push statement."""
    queries = [{"name": q.name, "text": q.text_for("neo4j"), "params": list(q.params)}
               for q in list_queries()]
    queries += [{"name": name, "text": text, "params": params}
                for name, (text, params) in _push_statements().items()]
    out: dict[str, dict[str, list[dict]]] = {}
    for result in run_linter(queries)["results"]:
        out.setdefault(result["name"], {})[result["version"]] = result["diagnostics"]
    return out


def test_linter_is_pinned() -> None:
    package = json.loads((LINT_DIR / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"][PACKAGE] == PINNED
    lock = json.loads((LINT_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][f"node_modules/{PACKAGE}"]["version"] == PINNED


def test_linter_reports_dialect_and_syntax_errors() -> None:
    """The linter is alive: LadybugDB-only Cypher and broken text are reported."""
    result = run_linter([
        {"name": "label", "text": "MATCH ()-[r:TIE]->() RETURN label(r) AS t", "params": []},
        {"name": "cast", "text": "MATCH (t:Territory) RETURN CAST(t.level AS INT64)",
         "params": []},
        {"name": "broken", "text": "MATCH (t:Territory RETURN t", "params": []},
        {"name": "param", "text": "MATCH (t:Territory) WHERE t.kind = $kind RETURN t",
         "params": []},
        {"name": "typo", "text": "MATCH (t:Teritory) RETURN t.id", "params": []},
        {"name": "types", "text": "MATCH p = (:Territory)-[:PART_OF]->(:Territory) "
                                  "RETURN type(nodes(p)) AS x", "params": []},
        {"name": "fine", "text": "MATCH (o:Organization)-[r:COVERS]->(t:Territory) "
                                 "WHERE t.kind IN $kinds RETURN type(r) AS x, t.id",
         "params": ["kinds"]},
    ])
    assert result["package"] == f"{PACKAGE}@{PINNED}"
    found = {r["name"]: problems(r["diagnostics"], set()) for r in result["results"]}
    assert any("Function label" in p for p in found["label"])
    assert found["cast"]
    assert any("Invalid input" in p for p in found["broken"])
    assert any("Parameter $kind is not defined" in p for p in found["param"])
    assert any("Label Teritory" in p for p in found["typo"])
    assert any("Type mismatch" in p for p in found["types"])
    assert found["fine"] == []


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_named_query_parses_on_neo4j(name: str, neo4j_lint, known_properties) -> None:
    report = [f"{version}: {p}" for version, diags in neo4j_lint[name].items()
              for p in problems(diags, known_properties)]
    assert not report, f"{name} (Neo4j text) does not pass Neo4j's parser:\n" + "\n".join(report)


@pytest.mark.parametrize("name", PUSH_NAMES)
def test_push_statement_parses_on_neo4j(name: str, neo4j_lint) -> None:
    report = [f"{version}: {p}" for version, diags in neo4j_lint[name].items()
              for p in problems(diags, _schema_properties() | {"src", "dst"})]
    text = _push_statements()[name][0]
    assert not report, f"{name} does not pass Neo4j's parser:\n{text}\n" + "\n".join(report)


def test_rel_statements_differ_only_in_labels() -> None:
    representatives = {rel: (src, dst, text)
                       for (rel, src, dst), text in _rel_representatives().items()}
    labels = {t.label for t in NODE_TABLES}
    for (rel, src, dst), text in rel_statements().items():
        src0, dst0, text0 = representatives[rel]
        assert {src, dst} <= labels
        expected = (text0.replace(f"MATCH (a:{src0} {{", f"MATCH (a:{src} {{")
                    .replace(f"MATCH (b:{dst0} {{", f"MATCH (b:{dst} {{"))
        assert text == expected, (rel, src, dst)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_named_query_parses_on_ladybug(name: str, diagnosed_store) -> None:
    query = next(q for q in list_queries() if q.name == name)
    diagnosed_store.run("EXPLAIN " + query.text_for("ladybug"), {}, name=name)


def test_every_query_file_is_checked() -> None:
    """Each .cypher file under queries/cypher is a named query or a variant of one."""
    root = ROOT / "queries" / "cypher"
    names = set(QUERY_NAMES)
    assert names, "no named query loaded"
    for path in root.rglob("*.cypher"):
        stem = path.relative_to(root).as_posix()[: -len(".cypher")]
        base = stem.rsplit(".", 1)[0] if "." in stem.rsplit("/", 1)[-1] else stem
        assert base in names, f"{path} is not loaded as a named query"
