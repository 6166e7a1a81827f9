"""`orgnet push` and `orgnet export neo4j-import`, called in-process (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgnet.cli import main

TINY = Path(__file__).parents[1] / "data" / "tiny_city"


def test_export_neo4j_import_writes_files_and_prints_the_command(tmp_path, capsys):
    out = tmp_path / "import"
    assert main(["export", "neo4j-import", str(TINY), "--out", str(out),
                 "--database", "prov"]) == 0
    printed = capsys.readouterr().out
    assert "neo4j-admin database import full prov --nodes=Territory=" in printed
    assert printed == (out / "import-command.txt").read_text(encoding="utf-8")
    assert (out / "nodes" / "Territory.csv").is_file()
    assert (out / "constraints.cypher").is_file()


def test_push_to_an_unreachable_server_exits_2(monkeypatch, capsys):
    monkeypatch.setenv("NEO4J_PASSWORD", "pw-never-shown")
    assert main(["push", str(TINY), "--neo4j", "bolt://127.0.0.1:1"]) == 2
    captured = capsys.readouterr()
    assert "cannot reach Neo4j" in captured.err
    assert "pw-never-shown" not in captured.err + captured.out


def test_push_needs_data_or_db_but_not_both(tmp_path, capsys):
    assert main(["push", "--neo4j", "bolt://127.0.0.1:1"]) == 2
    assert main(["push", str(TINY), "--db", str(tmp_path / "x.lbdb"),
                 "--neo4j", "bolt://127.0.0.1:1"]) == 2
    assert "--db TARGET" in capsys.readouterr().err


@pytest.mark.filterwarnings("ignore:Can not control echo")  # getpass without a terminal
def test_push_prompts_for_missing_credentials(monkeypatch, capsys):
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.delenv("NEO4J_USERNAME", raising=False)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("analyst\nsecret-pw\n"))
    assert main(["push", str(TINY), "--neo4j", "bolt://127.0.0.1:1"]) == 2
    captured = capsys.readouterr()
    assert "Neo4j user" in captured.err and "Neo4j password" in captured.err
    assert "secret-pw" not in captured.err + captured.out


def test_no_password_option(capsys):
    assert main(["push", "--help"]) == 0
    assert "--password" not in capsys.readouterr().out.lower()
