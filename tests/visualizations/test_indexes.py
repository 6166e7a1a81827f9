"""The lookups built once per model and per run give what scanning the model for each page
gave: same findings, metric rows, members, ties, homes and steps for every scope."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from graphmodel.model import OrgModel, Rel
from graphmodel.schema import Entity
from loaders import load_dataset
from tests.helpers import append, edit, run_diagnosis
from visualizations import _scope as scope_module
from visualizations import write_network, write_report
from visualizations._scope import FindingsIndex, model_index, natural_key, resolve_scope

RELS = (Rel.PART_OF, Rel.REPORTS_TO, Rel.COVERS, Rel.BELONGS_TO, Rel.LOCATED_IN,
        Rel.CONVENED_BY)


def _scopes(model: OrgModel) -> list:
    territories = sorted(model.nodes_of(Entity.TERRITORY), key=natural_key)
    return [resolve_scope(model, None)] + [resolve_scope(model, t) for t in territories]


def _slow_scope_nodes(model: OrgModel, root: str) -> frozenset[str]:
    """The nodes of a scope as the pages first found them: every node and tie scanned."""
    index = model_index(model)
    subtree = index.subtree(root)
    nodes = set(subtree)
    for n, data in model.G.nodes(data=True):
        if data.get("entity") != Entity.TERRITORY and model.territory_of(n) in subtree:
            nodes.add(n)
    homed = frozenset(nodes)
    for u, v, d in model.G.edges(data=True):
        if d.get("rel") != Rel.TIE:
            continue
        for a, b in ((u, v), (v, u)):
            if a in homed and model.node(b).get("entity") in (Entity.UNIT, Entity.PLATFORM):
                nodes.add(b)
    return frozenset(nodes)


def _check(model: OrgModel, result: dict) -> None:
    index = model_index(model)
    G = model.G
    every = list(result.get("findings") or [])
    metrics = dict(result.get("metrics") or {})
    run = FindingsIndex(index, every, metrics)
    members = model.frame("members")
    ties = sorted(((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
                   if d.get("rel") == Rel.TIE),
                  key=lambda e: (natural_key(e[0]), natural_key(e[1]), natural_key(e[2])))
    for sc in _scopes(model):
        assert run.findings(sc) == sc.findings(every), sc.root
        assert run.metrics(sc) == sc.metrics(metrics), sc.root
        nodes = set(sc.nodes)
        assert index.ties_within(nodes) == [e for e in ties if e[0] in nodes and e[1] in nodes]
        if sc.is_city:
            continue
        assert sc.nodes == _slow_scope_nodes(model, sc.root)
        residence = members["residence_id"]
        mask = residence.isin(sc.territories) | (residence.isna()
                                                  & members["org_id"].isin(sc.nodes))
        pd.testing.assert_frame_equal(sc.members(), members[mask])
        assert sc.counts()["members"] == int(mask.sum())
        tallies = index.member_tallies(index.member_positions(sc.territories, sc.nodes))
        assert tallies == (Counter(members[mask]["org_id"].dropna()),
                           Counter(members[mask]["residence_id"].dropna()))
    ids = [*G.nodes, *members["id"], *model.frame("tasks")["id"], "NOPE"]
    for i in ids:
        known = i in model.entity_of or i in G
        assert index.home(i) == (model.territory_of(i) if known else None), i
    for n in G.nodes:
        for rel in RELS:
            out = model._out(n, rel)
            assert index.out_of(n, rel) == out
            assert index.first_out(n, rel) == (out[0] if out else None)


def test_indexes_match_a_scan_of_the_model(two_streets, findings, diagnosed):
    _check(two_streets, findings)
    _check(two_streets, diagnosed)


def test_indexes_match_on_broken_data(tiny_dir: Path, tmp_path: Path):
    edit(tiny_dir, "territories", "T-P112,和谐苑,小区,T-G11", "T-P112,和谐苑,小区,T-P113")
    append(tiny_dir, "territories", "T-P113,环岛,小区,T-P112,10,是")
    edit(tiny_dir, "organizations", "O-G12,幸福社区第二网格党支部,网格党支部,O-C1,",
         "O-G12,幸福社区第二网格党支部,网格党支部,O-XX,")
    edit(tiny_dir, "organizations", "O-G12,T-P121,", "O-G12,T-NOPE,")
    model = load_dataset(tiny_dir)
    _check(model, run_diagnosis(tiny_dir, tmp_path))


def test_steps_are_grouped_once_in_route_order(two_streets, diagnosed):
    steps = model_index(two_streets).steps_by_task()
    frame = two_streets.frame("task_steps")
    for task, rows in steps.items():
        part = frame[frame["task_id"] == task].copy()
        part["_row"] = range(len(part))
        part = part.sort_values(["step", "at", "_row"], na_position="last", kind="mergesort")
        assert rows == [(str(s), "" if pd.isna(d) else str(d), str(a))
                        for s, d, a in zip(part["from_id"], part["to_id"], part["action"],
                                           strict=True)]
    tasks = {str(f["subject"]) for f in diagnosed["findings"]
             if two_streets.entity_of.get(f["subject"]) == Entity.TASK}
    assert tasks and tasks <= set(steps)


def test_a_report_indexes_its_findings_once(two_streets, diagnosed, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch):
    built = []
    init = scope_module.FindingsIndex.__init__

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        init(self, *args, **kwargs)

    monkeypatch.setattr(scope_module.FindingsIndex, "__init__", counting)
    write_report(two_streets, diagnosed, tmp_path / "r")
    assert len(built) == 1


def test_report_pages_equal_pages_written_alone(two_streets, diagnosed, tmp_path: Path):
    write_report(two_streets, diagnosed, tmp_path / "r")
    links = {"返回诊断报告": "../index.html", "返回示范市": "city.html"}
    alone = write_network(two_streets, diagnosed, tmp_path / "alone" / "T-ST2.html",
                          scope="T-ST2", drill_down=True, links=links, assets="folder")
    assert alone
    for page in alone:
        in_report = tmp_path / "r" / "network" / page.name
        assert in_report.read_text(encoding="utf-8") == page.read_text(encoding="utf-8")
