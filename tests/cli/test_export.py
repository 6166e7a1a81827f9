"""`orgnet export graphml|gexf|findings` from a store, scoped."""

from __future__ import annotations

import shutil

import networkx as nx
import pandas as pd

from orgnet.cli import main
from visualizations import resolve_scope


def test_export_graphml_scope_counts_and_findings(tiny_db, tiny_model, tmp_path, capsys):
    db = tmp_path / "city.lbdb"
    shutil.copy(tiny_db, db)  # the diagnosis writes derived properties into the store
    out = tmp_path / "c1.graphml"
    assert main(["export", "graphml", "--db", str(db), "--scope", "T-C1", "--out",
                 str(out)]) == 0
    back = nx.read_graphml(out)
    expected = tiny_model.G.subgraph(resolve_scope(tiny_model, "T-C1").nodes)
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        expected.number_of_nodes(), expected.number_of_edges())
    assert f"{back.number_of_nodes()} nodes" in capsys.readouterr().out
    assert back.nodes["T-C1"]["label"] == "幸福社区"
    assert main(["export", "gexf", "--db", str(db), "--out", str(tmp_path / "g.gexf")]) == 0
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == tiny_model.G.number_of_nodes()


def test_export_findings_from_a_findings_file(tmp_path, tiny_db, capsys):
    db = tmp_path / "city.lbdb"
    shutil.copy(tiny_db, db)
    findings = tmp_path / "f.json"
    main(["diagnose", "--db", str(db), "--json", str(findings)])
    assert main(["export", "findings", "--db", str(db), "--findings", str(findings),
                 "--format", "xlsx", "--out", str(tmp_path / "f.xlsx")]) == 0
    frame = pd.read_excel(tmp_path / "f.xlsx", engine="calamine")
    assert "street_id" in frame.columns
    assert main(["export", "findings", "--db", str(db), "--format", "pdf"]) == 2
    assert main(["export", "graphml", "--db", str(db), "--scope", "T-NOWHERE"]) == 2
    assert "T-NOWHERE" in capsys.readouterr().err
