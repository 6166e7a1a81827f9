"""Same text, different answer: the traps of /work/shared/CYPHER.md that Neo4j's parser cannot
see, checked on the text each backend runs (``NamedQuery.text_for``), without a server.

- ``labels(n)`` (a string on LadybugDB, a list on Neo4j) and ``(n:A:B)`` (OR on LadybugDB,
  AND on Neo4j) are not used;
- no list indexing or slicing (1-based on LadybugDB, 0-based on Neo4j);
- no ``CAST(x AS INT...)`` / ``toInteger`` (rounds on LadybugDB, truncates on Neo4j);
- a variable-length pattern longer than one hop, where rows are counted or returned (outside
  ``EXISTS``), needs ``is_trail`` on LadybugDB (it repeats relationships, Neo4j does not);
- within one MATCH clause Neo4j never binds one relationship twice, LadybugDB does: two
  relationship patterns of a clause that can match the same relationship change the answer,
  unless the query excludes the reuse itself (:data:`REUSE_EXCLUDED`, with the reason).

Query files are found at run time, so new files are checked too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from queries.library import list_queries

QUERIES = {q.name: q for q in list_queries()}

REUSE_EXCLUDED: dict[str, str] = {}
"""Queries whose clauses repeat a relationship type on purpose, and why the answer is the
same on both backends anyway."""

_KEYWORD = re.compile(r"\b(OPTIONAL\s+MATCH|MATCH|WHERE|WITH|RETURN|UNWIND|ORDER\s+BY|CALL|"
                      r"UNION|CREATE|MERGE|SET|DELETE|DETACH)\b", re.IGNORECASE)
_REL = re.compile(r"<?-\[([^\]]*)\]->?|<?--+>?")
_REL_BODY = re.compile(r"^\s*(\w*)\s*(?::\s*([\w|]+))?\s*(\*\s*(\d*)\s*(?:\.\.\s*(\d*))?)?")


def _code(text: str) -> str:
    """The text with string literals blanked and comments removed (same length)."""
    text = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"",
                  lambda m: "'" + " " * (len(m.group()) - 2) + "'", text)
    return re.sub(r"//[^\n]*", lambda m: " " * len(m.group()), text)


def _exists_spans(code: str) -> list[tuple[int, int]]:
    """(start, end) of every ``EXISTS { ... }`` body."""
    spans = []
    for match in re.finditer(r"\bEXISTS\s*\{", code, re.IGNORECASE):
        depth, i = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(code[i], 0)
            i += 1
        spans.append((match.end(), i - 1))
    return spans


@dataclass(frozen=True)
class Rel:
    types: frozenset[str] | None  # None: any type
    lower: int
    upper: float  # math.inf when unbounded

    def overlaps(self, other: Rel) -> bool:
        if self.types is None or other.types is None:
            return True
        return bool(self.types & other.types)


@dataclass(frozen=True)
class Clause:
    pattern: str
    in_exists: bool
    rels: tuple[Rel, ...]


def match_clauses(text: str) -> list[Clause]:
    """Every MATCH / OPTIONAL MATCH clause's pattern (up to its WHERE or the next clause),
    with its relationship patterns and whether it sits inside an ``EXISTS { }``."""
    code = _code(text)
    spans = _exists_spans(code)
    out = []
    for match in re.finditer(r"\b(?:OPTIONAL\s+)?MATCH\b", code, re.IGNORECASE):
        i, depth = match.end(), 0
        while i < len(code):
            char = code[i]
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and _KEYWORD.match(code, i) and not code[i - 1].isalnum() \
                    and code[i - 1] != "_":
                break
            i += 1
        pattern = code[match.end():i]
        rels = []
        for rel in _REL.finditer(pattern):
            body = _REL_BODY.match(rel.group(1) or "")
            types = frozenset(body.group(2).split("|")) if body and body.group(2) else None
            if body and body.group(3):
                lower = int(body.group(4)) if body.group(4) else 1
                if ".." in body.group(3):
                    upper = float(body.group(5)) if body.group(5) else float("inf")
                else:  # *n is exactly n hops; a bare * is 1.. unbounded
                    upper = float(body.group(4)) if body.group(4) else float("inf")
            else:
                lower, upper = 1, 1.0
            rels.append(Rel(types, lower, upper))
        inside = any(start <= match.start() < end for start, end in spans)
        out.append(Clause(pattern.strip(), inside, tuple(rels)))
    return out


def traps(text: str, backend: str) -> list[str]:
    """The traps in ``text`` as run on ``backend`` (``ladybug`` or ``neo4j``)."""
    code = _code(text)
    found = []
    if re.search(r"\blabels\s*\(", code, re.IGNORECASE):
        found.append("labels(n): a string on LadybugDB, a list on Neo4j")
    if re.search(r"\(\s*\w*\s*:\s*\w+\s*:\s*\w+", code):
        found.append("(n:A:B): A OR B on LadybugDB, A AND B on Neo4j")
    if re.search(r"[\w)\]]\[", code):
        found.append("list index or slice: 1-based on LadybugDB, 0-based on Neo4j")
    if re.search(r"\bCAST\s*\([^)]*\bAS\s+(U?INT|SERIAL)", code, re.IGNORECASE) or \
            re.search(r"\btoInteger(OrNull)?\s*\(", code, re.IGNORECASE):
        found.append("integer conversion: CAST rounds on LadybugDB, toInteger truncates")
    for clause in match_clauses(text):
        if backend == "ladybug" and not clause.in_exists and \
                any(rel.upper > 1 for rel in clause.rels) and "is_trail" not in code:
            found.append(f"variable-length path without is_trail on LadybugDB: {clause.pattern}")
        if backend == "neo4j":
            rels = clause.rels
            if any(a.overlaps(b) for i, a in enumerate(rels) for b in rels[i + 1:]):
                found.append("one MATCH clause with two patterns for the same relationship "
                             f"(reused on LadybugDB, never on Neo4j): {clause.pattern}")
    return found


# -- the scanner itself ----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "backend", "expected"), [
    ("MATCH (n:Unit) RETURN labels(n) AS l", "neo4j", "labels(n)"),
    ("MATCH (n:Unit:Platform) RETURN n.id", "ladybug", "(n:A:B)"),
    ("MATCH (o:Organization) RETURN o.chain_path[0] AS first", "neo4j", "list index"),
    ("MATCH (o:Organization) RETURN collect(o.id)[1..] AS rest", "ladybug", "list index"),
    ("MATCH (t:Territory) RETURN CAST(t.households / 3 AS INT64) AS x", "ladybug",
     "integer conversion"),
    ("MATCH (t:Territory) RETURN toInteger(t.households / 3) AS x", "neo4j",
     "integer conversion"),
    ("MATCH p = (a:Territory)-[:PART_OF*1..6]-(b) RETURN count(p) AS n", "ladybug",
     "variable-length"),
    ("MATCH (a)-[:PART_OF*]->(b) RETURN a.id", "ladybug", "variable-length"),
    ("MATCH (a:Organization)-[:COVERS]->(t), (b:Organization)-[:COVERS]->(t) RETURN a.id",
     "neo4j", "same relationship"),
    ("MATCH (a)-[:TIE]-(b)-->(c) RETURN a.id", "neo4j", "same relationship"),
    ("MATCH (r:Resource)-[:PROVIDED_BY|RECEIVED_BY]->(x)\n"
     "WHERE EXISTS { MATCH (r)-[:RECEIVED_BY]->(y)<-[:RECEIVED_BY]-(s) } RETURN r.id",
     "neo4j", "same relationship"),
])
def test_each_trap_is_found(text: str, backend: str, expected: str) -> None:
    assert any(expected in t for t in traps(text, backend)), traps(text, backend)


@pytest.mark.parametrize(("text", "backend"), [
    ("MATCH (n:Unit|Platform) WHERE n.kind IN $kinds RETURN n.id", "neo4j"),
    ("MATCH (t:Territory) WHERE NOT EXISTS { MATCH (t)-[:PART_OF*1..8]->(p) } RETURN t.id",
     "ladybug"),
    ("MATCH (c)<-[:COVERS*0..1]-()-[t:TIE]-()-[:BELONGS_TO*0..1]->(u:Unit) RETURN c.id",
     "neo4j"),
    ("MATCH (a)-[:COVERS]->(t) MATCH (b)-[:COVERS]->(t) RETURN a.id", "neo4j"),
    ("MATCH (h {id: $id}) WITH h MATCH (h)-[:TIE]->(x) RETURN x.id", "neo4j"),
    ("MATCH (t:Task) WHERE t.title = 'a[1] (x:A:B) labels(' RETURN t.id", "neo4j"),
    ("MATCH p = (a)-[:PART_OF*1..6]-(b) WHERE is_trail(p) RETURN count(p) AS n", "ladybug"),
])
def test_portable_text_is_not_flagged(text: str, backend: str) -> None:
    assert traps(text, backend) == []


def test_clauses_end_at_their_subquery_and_keywords() -> None:
    text = ("MATCH (o:Organization)-[:REPORTS_TO]->(p), (o)-[:COVERS]->(t)\n"
            "WHERE NOT EXISTS { MATCH (t)-[:PART_OF*1..8]->(pt {id: $x}) }\n"
            "OPTIONAL MATCH (o)<-[:MEMBER_OF]-(m) RETURN o.id")
    clauses = match_clauses(text)
    assert [c.in_exists for c in clauses] == [False, True, False]
    assert [len(c.rels) for c in clauses] == [2, 1, 1]
    assert clauses[1].rels[0] == Rel(frozenset({"PART_OF"}), 1, 8.0)
    assert clauses[1].pattern == "(t)-[:PART_OF*1..8]->(pt {id: $x})"


# -- every named query -----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("backend", ["ladybug", "neo4j"])
def test_named_query_has_no_trap(name: str, backend: str) -> None:
    found = traps(QUERIES[name].text_for(backend), backend)
    if backend == "neo4j" and name in REUSE_EXCLUDED:
        found = [t for t in found if "same relationship" not in t]
    assert not found, f"{name} on {backend}:\n" + "\n".join(found)


def test_reuse_exclusions_are_still_needed() -> None:
    for name in REUSE_EXCLUDED:
        assert any("same relationship" in t
                   for t in traps(QUERIES[name].text_for("neo4j"), "neo4j")), name


def test_the_shared_text_of_org_territory_mismatch_is_a_trap() -> None:
    """Why coverage/org_territory_mismatch keeps a Neo4j variant."""
    query = QUERIES["coverage/org_territory_mismatch"]
    assert any("same relationship" in t for t in traps(query.text, "neo4j"))
    assert "neo4j" in query.variants


# -- the premise, measured on LadybugDB ------------------------------------------------------
def test_ladybug_reuses_a_relationship_within_a_clause(tiny_dir, tmp_path) -> None:
    """A grid branch reporting to itself: the shared text, without its exclusion of an
    organization that is its own superior, matches on LadybugDB by using the branch's one
    COVERS relationship for both ends (Neo4j would not). The named query excludes that case
    (DOMAIN.md rule 4: such a branch is org_unreachable only), and the Neo4j variant, run on
    LadybugDB, gives the same rows, so on Neo4j it gives LadybugDB's answer."""
    from loaders import load_dataset
    from queries.run import run_query
    from tests.conftest import store_for
    from tests.helpers import edit

    edit(tiny_dir, "organizations", "O-G11,幸福社区第一网格党支部,网格党支部,O-C1,",
         "O-G11,幸福社区第一网格党支部,网格党支部,O-G11,")
    model = load_dataset(tiny_dir)
    store = store_for(model, tmp_path)
    try:
        query = QUERIES["coverage/org_territory_mismatch"]
        unguarded = store.run(query.text.replace(" AND o.id <> p.id", ""), {})
        self_report = unguarded[unguarded["subject"] == "O-G11"]
        assert self_report[["territory_id", "superior_territory_id"]].values.tolist() == [
            ["T-G11", "T-G11"]], "one COVERS relationship bound twice"
        shared = store.run(query.text, {})
        variant = store.run(query.variants["neo4j"], {})
        key = ["subject", "territory_id", "superior_id", "superior_territory_id"]
        assert sorted(map(tuple, variant[key].values.tolist())) == sorted(
            map(tuple, shared[key].values.tolist()))
        assert "O-G11" not in run_query(store, "coverage/org_territory_mismatch")["subject"].tolist()
    finally:
        store.close()


def test_org_territory_mismatch_variant_only_splits_the_clause() -> None:
    """The Neo4j variant is the shared text with its comma-joined MATCH split into MATCH
    clauses, nothing else: an edit of the shared text must be made in the variant too."""
    query = QUERIES["coverage/org_territory_mismatch"]
    split = re.sub(r",\s*\n\s*\(", "\nMATCH (", query.text)

    def words(text: str) -> list[str]:
        return text.split()

    assert words(query.variants["neo4j"]) == words(split)
