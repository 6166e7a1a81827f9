"""Text from data, paths and queries reaches the terminal verbatim and inert: never read as
console markup, control characters shown escaped, through every output path."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from orgnet import _ui
from orgnet.cli import main

TINY = Path(__file__).parents[1] / "data" / "tiny_city"
HOSTILE = "南街[/x]街道 [red]x[/red] [b]bold [bold red]红[link=http://e.x]l \\ \"q\" 'q'"
ESCAPE = "\x1b]0;pwned\x07\x1b[31m"


def output(argv: list[str], capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "\x1b" not in captured.out + captured.err  # no raw escape reaches the terminal
    return code, captured.out, captured.err


def _rename_street(folder: Path, name: str) -> None:
    path = folder / "territories.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("和平街道", name),
                    encoding="utf-8")


def test_inert_escapes_controls_and_keeps_markup_text():
    text = _ui.inert(HOSTILE + ESCAPE)
    assert text.plain == HOSTILE + "\\x1b]0;pwned\\x07\\x1b[31m"
    assert not text.spans
    assert _ui.escape_controls("a\u202eb\tc\n", keep="\t\n") == "a\\u202eb\tc\n"


@pytest.fixture
def hostile(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    _rename_street(data, HOSTILE + ESCAPE)
    db = tmp_path / "b[old]" / "[/x]" / "m.lbdb"
    return data, db


def test_query_prints_values_verbatim_in_every_format(hostile, capsys):
    data, db = hostile
    assert main(["load", str(data), "--db", str(db)]) == 0
    cypher = "MATCH (t:Territory) WHERE t.kind = 'street' RETURN t.name AS name"
    code, out, _ = output(["query", "--db", db, cypher], capsys)
    assert code == 0
    assert "南街[/x]街道" in out and "[bold red]红[link=http://e.x]l" in out
    assert "[red]x[/red]" in out and "\\x1b]0;pwned\\x07" in out
    code, out, _ = output(["query", "--db", db, cypher, "--format", "csv"], capsys)
    assert next(csv.DictReader(io.StringIO(out)))["name"] == \
        HOSTILE + "\\x1b]0;pwned\\x07\\x1b[31m"
    code, out, _ = output(["query", "--db", db, cypher, "--format", "json"], capsys)
    assert json.loads(out) == [{"name": HOSTILE + ESCAPE}]  # JSON escapes controls itself


def test_paths_with_brackets_are_shown_as_written(hostile, capsys):
    data, db = hostile
    code, out, _ = output(["load", data, "--db", db], capsys)
    assert code == 0
    assert "b[old]/[/x]/m.lbdb" in out.replace("\n", "")
    code, out, _ = output(["info", "--db", db], capsys)
    assert code == 0 and "b[old]/[/x]/m.lbdb" in out.replace("\n", "")
    code, _, err = output(["info", "--db", db.parent / "no[/x]ne.lbdb"], capsys)
    assert code == 2 and "no[/x]ne.lbdb" in err


def test_query_errors_quote_the_cypher_exactly(hostile, capsys):
    data, db = hostile
    assert main(["load", str(data), "--db", str(db)]) == 0
    cypher = "MATCH (a)-[r:TIE]-(b) RETRN a"
    code, _, err = output(["query", "--db", db, cypher], capsys)
    assert code == 2
    assert err.startswith("query error: ")
    assert "query query" not in err
    lines = err.splitlines()
    quoted = next(line for line in lines if f"\"{cypher}\"" in line)
    caret = lines[lines.index(quoted) + 1]
    column = quoted.index(cypher)  # the engine quotes the text; the caret points into it
    assert caret.index("^") - column == cypher.index("RETRN")


def test_diagnose_summary_and_warnings_show_names_verbatim(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    _rename_street(data, "南街[/x]街道" + ESCAPE)
    orgs = data / "organizations.csv"  # a dangling reference: a warning and findings
    orgs.write_text(orgs.read_text(encoding="utf-8").replace("O-C2,T-G21", "O-[/x],T-G21"),
                    encoding="utf-8")
    code, out, err = output(["diagnose", data, "--json", tmp_path / "f.json"], capsys)
    assert code == 1
    assert "南街[/x]街道\\x1b]0;pwned\\x07" in out
    assert (tmp_path / "f.json").exists()
    code, out, err = output(["load", data, "--db", tmp_path / "x.lbdb"], capsys)
    assert code == 1 and "O-[/x]" in err


def test_errors_show_bad_values_verbatim(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    path = data / "territories.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",街道,", ",[bold red]街[/x]" +
                                                             ESCAPE + ","), encoding="utf-8")
    code, _, err = output(["load", data, "--db", tmp_path / "x.lbdb"], capsys)
    assert code == 2
    assert "[bold red]街[/x]\\x1b]0;pwned\\x07" in err


def test_usage_errors_escape_controls(capsys):
    code, _, err = output(["query", "--no-such\x1b]0;t\x07", "RETURN 1"], capsys)
    assert code == 2
    assert "\\x1b]0;t\\x07" in err
