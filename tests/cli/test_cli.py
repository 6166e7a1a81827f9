"""The command line, called in-process."""

from __future__ import annotations

import json
from pathlib import Path

from orgnet.cli import main

DATA = Path(__file__).parents[1] / "data"


def test_load_csv_and_xlsx_give_identical_info(tmp_path, capsys):
    assert main(["load", str(DATA / "tiny_city"), "--db", str(tmp_path / "a.lbdb")]) == 0
    assert main(["load", str(DATA / "tiny_city.xlsx"), "--db", str(tmp_path / "b.lbdb")]) == 0
    capsys.readouterr()
    assert main(["info", "--db", str(tmp_path / "a.lbdb")]) == 0
    first = capsys.readouterr().out.splitlines()[1:]
    assert main(["info", "--db", str(tmp_path / "b.lbdb")]) == 0
    second = capsys.readouterr().out.splitlines()[1:]
    assert first == second
    assert any("grid_branch" in line for line in first)


def test_load_bad_input_exits_2_and_names_the_place(tmp_path, tiny_dir, capsys):
    path = tiny_dir / "units.csv"
    path.write_bytes(path.read_bytes().replace("机关".encode("gbk"), "外星单位".encode("gbk")))
    assert main(["load", str(tiny_dir), "--db", str(tmp_path / "x.lbdb")]) == 2
    err = capsys.readouterr().err
    assert "units.csv" in err and "row 2" in err and "外星单位" in err
    assert not (tmp_path / "x.lbdb").exists()


def test_load_with_warnings_exits_1(tmp_path, tiny_dir):
    path = tiny_dir / "organizations.csv"
    path.write_bytes(path.read_bytes().replace(b"O-G21,\xe5", b"O-G21,\xe5", 1)
                     .replace(b"O-C2,T-G21", b"O-XX,T-G21"))
    assert main(["load", str(tiny_dir), "--db", str(tmp_path / "x.lbdb")]) == 1


def test_query_formats_and_named_queries(tmp_path, capsys):
    db = str(tmp_path / "a.lbdb")
    main(["load", str(DATA / "tiny_city"), "--db", db])
    capsys.readouterr()
    assert main(["query", "--db", db, "MATCH (t:Territory) WHERE t.kind = $k RETURN t.id AS id "
                 "ORDER BY id", "--param", "k=grid", "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["id", "T-G11", "T-G12", "T-G21"]
    assert main(["query", "--db", db, "--name", "coverage/territory_without_org", "--param",
                 'kinds=["grid"]', "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["query", "--db", db, "--name", "coverage/territory_without_orgs"]) == 2
    assert "did you mean" in capsys.readouterr().err
    assert main(["query", "--db", db, "--name", "coverage/territory_without_org"]) == 2
    assert "missing $kinds" in capsys.readouterr().err


def test_query_is_read_only(tmp_path, capsys):
    db = str(tmp_path / "a.lbdb")
    main(["load", str(DATA / "tiny_city"), "--db", db])
    assert main(["query", "--db", db, "MATCH (t:Territory) SET t.name = 'x' RETURN t.id"]) == 2


def test_diagnose_writes_findings_json(tmp_path):
    out = tmp_path / "d.json"
    code = main(["diagnose", str(DATA / "tiny_city"), "--json", str(out)])
    result = json.loads(out.read_text(encoding="utf-8"))
    assert code == (1 if result["findings"] else 0)
    assert set(result) >= {"orgnet_version", "generated_at", "settings", "dataset", "findings",
                           "metrics"}
    assert result["dataset"]["members"] == 10


def test_generate_plants_at_the_rates_given(tmp_path, capsys):
    """--rate all=0 --rate CHECK=SHARE plants only that check; --clean plants nothing; a bad
    code or share exits 2 naming it."""
    out = tmp_path / "only_ping_pong"
    assert main(["generate", "--out", str(out), "--rate", "all=0",
                 "--rate", "ping_pong=0.1"]) == 0
    key = json.loads((out / "answer_key.json").read_text(encoding="utf-8"))
    assert {check for check, subjects in key.items() if subjects} == {"ping_pong"}
    assert len(key["ping_pong"]) == round(0.1 * 2000)  # small city: 2,000 tasks

    clean = tmp_path / "clean"
    assert main(["generate", "--out", str(clean), "--clean"]) == 0
    key = json.loads((clean / "answer_key.json").read_text(encoding="utf-8"))
    assert not any(key.values())

    capsys.readouterr()
    assert main(["generate", "--out", str(tmp_path / "x"), "--rate", "pingpong=0.1"]) == 2
    assert "pingpong" in capsys.readouterr().err
    assert main(["generate", "--out", str(tmp_path / "x"), "--rate", "ping_pong=0.9"]) == 2
    assert main(["generate", "--out", str(tmp_path / "x"), "--rate", "ping_pong"]) == 2


def _query_json(db: Path, cypher: str, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["query", "--db", str(db), cypher, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_load_writes_what_the_diagnosis_derives(tmp_path, capsys):
    """After `orgnet load` analysts can query task routes, tie scores and network metrics;
    `--data-only` leaves them to `orgnet diagnose --db`."""
    full, bare = tmp_path / "full.lbdb", tmp_path / "bare.lbdb"
    assert main(["load", str(DATA / "tiny_city"), "--db", str(full)]) == 0
    assert main(["load", str(DATA / "tiny_city"), "--db", str(bare), "--data-only"]) == 0
    route = "MATCH (t:Task {id: 'K-2'}) RETURN t.route AS route, t.status AS status"
    score = "MATCH ()-[r:TIE]->() WHERE r.score IS NOT NULL RETURN count(r) AS n"
    metric = "MATCH (u:Unit) WHERE u.betweenness IS NOT NULL RETURN count(u) AS n"
    assert _query_json(full, route, capsys) == [{"route": ["O-G12", "O-C1", "M-9"],
                                                 "status": "closed"}]
    assert _query_json(full, score, capsys)[0]["n"] > 0
    assert _query_json(full, metric, capsys)[0]["n"] > 0
    assert _query_json(bare, route, capsys) == [{"route": None, "status": None}]
    assert _query_json(bare, score, capsys)[0]["n"] == 0


def test_a_failed_derivation_leaves_the_old_database(tmp_path, monkeypatch, capsys):
    from graphmodel.errors import StoreError

    db = tmp_path / "city.lbdb"
    db.write_bytes(b"previous database")

    def fail(*args, **kwargs):
        raise StoreError("disk full")

    monkeypatch.setattr("orgnet.pipeline.derive", fail)
    assert main(["load", str(DATA / "tiny_city"), "--db", str(db)]) == 2
    assert "disk full" in capsys.readouterr().err
    assert db.read_bytes() == b"previous database"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city.lbdb"]


def test_query_param_plain_values(tiny_db, capsys):
    db = str(tiny_db)
    assert main(["query", "--db", db, "--name", "coverage/territory_without_org", "--param",
                 "kinds=grid,compound", "--format", "csv"]) == 0
    plain = capsys.readouterr().out
    assert main(["query", "--db", db, "--name", "coverage/territory_without_org", "--param",
                 'kinds=["grid", "compound"]', "--format", "csv"]) == 0
    assert capsys.readouterr().out == plain
    assert main(["query", "--db", db, "--name", "coverage/territory_without_org", "--param",
                 'kinds=["grid"']) == 2
    err = capsys.readouterr().err
    assert "--param kinds" in err and "not valid JSON" in err


def test_verbose_before_or_after_the_subcommand(tmp_path):
    import subprocess
    import sys

    from orgnet.cli import _global_options_first

    assert _global_options_first(["load", "DATA", "-v", "--db", "x"]) == [
        "-v", "load", "DATA", "--db", "x"]
    assert _global_options_first(["query", "--debug", "--", "-v"]) == [
        "--debug", "query", "--", "-v"]
    for argv in (["load", "--verbose"],):
        done = subprocess.run([sys.executable, "-m", "orgnet", *argv, "--data-only",
                               str(DATA / "tiny_city"), "--db", str(tmp_path / "a.lbdb")],
                              capture_output=True, text=True, check=False,
                              env={**__import__("os").environ, "COLUMNS": "200"})
        assert done.returncode == 0, done.stderr
        # every step logged with its time; no progress bar when stderr is not a terminal
        assert "读取与校验 reading and validating:" in done.stderr
        assert "total:" in done.stderr and " s" in done.stderr
        assert "━" not in done.stderr


def test_scale_choices_are_the_generator_scales():
    from orgnet.cmd_generate import Scale
    from synthetic import SCALES

    assert [s.value for s in Scale] == list(SCALES)
