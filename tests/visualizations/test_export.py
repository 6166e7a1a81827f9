"""GraphML, GEXF and findings tables for other tools."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from queries.findings_table import FINDING_COLUMNS, findings_frame
from visualizations import ScopeError, resolve_scope
from visualizations.export import export_graph, write_graph, write_table

FINDINGS = [
    {"question": "weak_ties", "check": "weak_tie", "subject": "U-1->T-C1", "severity": "medium",
     "message": "弱关系 [red]x[/red]", "path": [], "detail": {"rid": "L2", "score": 0.1}},
    {"question": "coverage", "check": "territory_without_org", "subject": "T-P112",
     "severity": "high", "message": "小区院落“和谐苑”没有小区院落党小组", "path": [],
     "detail": {}},
    {"question": "backflow", "check": "ping_pong", "subject": "K-1", "severity": "low",
     "message": "m", "path": ["U-1", "O-C1"], "detail": {}},
]


@pytest.mark.parametrize("scope", ["city", "T-C1", "T-ST1"])
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_reads_back_with_the_scopes_counts(tiny_model, tmp_path, scope, fmt) -> None:
    chosen = resolve_scope(tiny_model, scope)
    expected = tiny_model.G.subgraph(chosen.nodes)
    path = write_graph(export_graph(tiny_model, FINDINGS, scope=scope), tmp_path / f"g.{fmt}",
                       fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == expected.number_of_nodes()
    assert back.number_of_edges() == expected.number_of_edges()
    assert set(back.nodes) == set(expected.nodes)


def test_attributes_chinese_labels_kinds_levels_flags(tiny_model, tmp_path) -> None:
    path = write_graph(export_graph(tiny_model, FINDINGS), tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    compound = back.nodes["T-P112"]
    assert compound["label"] == "和谐苑"
    assert compound["kind"] == "compound" and compound["kind_zh"] == "小区院落"
    assert compound["level"] == 5 and compound["level_zh"] == "小区院落"
    assert compound["findings"] == 1 and compound["checks"] == "territory_without_org"
    assert compound["flag_coverage"] is True and compound["flag_weak_ties"] is False
    assert compound["severity"] == "high"
    assert back.nodes["T-C1"]["findings"] == 0 and "checks" not in back.nodes["T-C1"]
    ties = {d["rid"]: d for _, _, d in back.edges(data=True) if d.get("rel") == "TIE"}
    assert ties["L2"]["weak"] is True and ties["L2"]["score"] == 0.1
    assert ties["L3"]["weak"] is False and ties["L3"]["findings"] == 0
    assert {d["rel"] for _, _, d in back.edges(data=True)} >= {"PART_OF", "REPORTS_TO", "TIE"}


def test_bad_scope_and_format(tiny_model, tmp_path) -> None:
    with pytest.raises(ScopeError):
        export_graph(tiny_model, [], scope="T-NOWHERE")
    with pytest.raises(ValueError, match="graphml, gexf"):
        write_graph(nx.MultiDiGraph(), tmp_path / "g.dot", "dot")


def test_findings_table_csv_and_xlsx(tiny_model, tmp_path) -> None:
    frame = findings_frame(FINDINGS, tiny_model)
    assert list(frame.columns) == FINDING_COLUMNS
    assert frame.loc[0, "subject_name"].endswith("→幸福社区")
    assert frame.loc[1, "street_id"] == "T-ST1" and frame.loc[1, "street_name"] == "和平街道"
    csv = pd.read_csv(write_table(frame, tmp_path / "f.csv"), encoding="utf-8-sig")
    assert csv["message"].tolist() == [f["message"] for f in FINDINGS]
    xlsx = pd.read_excel(write_table(frame, tmp_path / "f.xlsx", "xlsx"), engine="calamine")
    assert xlsx["message"].tolist() == [f["message"] for f in FINDINGS]
    assert xlsx.loc[2, "path"] == '["U-1", "O-C1"]'


def test_member_names_only_with_show_names(tiny_model) -> None:
    members = tiny_model.frame("members")
    member, name = members["id"].iloc[0], members["name"].iloc[0]
    found = [{"question": "coverage", "check": "member_without_org", "subject": member,
              "severity": "medium", "message": f"党员{member}", "path": [], "detail": {}}]
    hidden = findings_frame(found, tiny_model)
    assert name not in hidden.to_csv()
    assert findings_frame(found, tiny_model, show_names=True).loc[0, "subject_name"] == name
