"""orgnet export neo4j-import: CSV files in neo4j-admin's header format, read back with the
csv module (as neo4j-admin parses them: RFC 4180 quoting), and the import command."""

from __future__ import annotations

import csv
import dataclasses
import shlex
from pathlib import Path

import pytest

from graphmodel.storage import NODE_TABLES, rel_frames
from loaders import load_dataset
from loaders.neo4j import schema_statements
from loaders.neo4j_import import export_neo4j_import, node_header, rel_header


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def command_parts(command_file: Path) -> list[str]:
    lines = [ln for ln in command_file.read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    assert len(lines) == 1
    return shlex.split(lines[0])


def option_files(parts: list[str], option: str) -> list[tuple[str, Path]]:
    out = []
    for part in parts:
        if part.startswith(f"--{option}="):
            name, path = part.split("=", 1)[1].split("=", 1)
            out.append((name, Path(path)))
    return out


@pytest.fixture(scope="module")
def exported(tiny_model, tmp_path_factory) -> Path:
    return export_neo4j_import(tiny_model, tmp_path_factory.mktemp("import") / "out")


def test_headers_use_neo4j_admin_types_and_id_spaces(exported: Path) -> None:
    out = exported.parent
    assert read(out / "nodes" / "Territory.csv")[0] == [
        "id:ID(Territory)", "name", "kind", "level:long", "parent_id", "households:long",
        "managed:boolean", "formal_workers:long", ":LABEL"]
    org = read(out / "nodes" / "Organization.csv")[0]
    assert org[0] == "id:ID(Organization)" and org[-1] == ":LABEL"
    assert "chain_path:string[]" in org and "reaches_city:boolean" in org
    assert "created:localdatetime" in read(out / "nodes" / "Task.csv")[0]
    assert read(out / "relationships" / "TIE__Unit__Territory.csv")[0] == [
        ":START_ID(Unit)", ":END_ID(Territory)", ":TYPE", "type", "since:long",
        "meetings_per_year:double", "activities:double", "initiated_by", "lead:boolean",
        "attendance_rate:double", "rid", "score:double"]
    assert read(out / "relationships" / "PART_OF__Territory__Territory.csv")[0] == [
        ":START_ID(Territory)", ":END_ID(Territory)", ":TYPE"]


def test_header_helpers() -> None:
    assert node_header("Unit", (("id", "STRING"), ("rank_order", "INT64"))) == [
        "id:ID(Unit)", "rank_order:long", ":LABEL"]
    assert rel_header("Task", "Unit", ()) == [":START_ID(Task)", ":END_ID(Unit)", ":TYPE"]


def test_every_row_is_written_with_its_label_and_type(tiny_model, exported: Path) -> None:
    out = exported.parent
    for table in NODE_TABLES:
        frame = tiny_model.frames[table.table]
        rows = read(out / "nodes" / f"{table.label}.csv")[1:]
        assert sorted(r[0] for r in rows) == sorted(frame["id"]), table.label
        assert {r[-1] for r in rows} == {table.label}
    for rel, src, dst, frame in rel_frames(tiny_model):
        rows = read(out / "relationships" / f"{rel.name}__{src}__{dst}.csv")[1:]
        assert sorted((r[0], r[1]) for r in rows) == sorted(zip(frame["from"], frame["to"],
                                                                strict=True))
        assert {r[2] for r in rows} == {rel.name}


def test_relationship_ends_exist_in_their_id_space(exported: Path) -> None:
    out = exported.parent
    ids = {p.stem: {r[0] for r in read(p)[1:]} for p in (out / "nodes").glob("*.csv")}
    for path in (out / "relationships").glob("*.csv"):
        rows = read(path)
        start = rows[0][0].removeprefix(":START_ID(").removesuffix(")")
        end = rows[0][1].removeprefix(":END_ID(").removesuffix(")")
        for row in rows[1:]:
            assert row[0] in ids[start] and row[1] in ids[end], (path.name, row)


def test_values_are_written_as_neo4j_admin_reads_them(exported: Path) -> None:
    out = exported.parent
    territories = {r[0]: r for r in read(out / "nodes" / "Territory.csv")[1:]}
    assert territories["T-CITY"][1:4] == ["示范市", "city", "1"]
    assert territories["T-CITY"][5] == ""  # households missing: left unset
    assert territories["T-ST1"][5] == "12000" and territories["T-ST1"][6] == "true"
    orgs = {r[0]: r for r in read(out / "nodes" / "Organization.csv")[1:]}
    header = read(out / "nodes" / "Organization.csv")[0]
    assert orgs["O-C1"][header.index("chain_path:string[]")] == "O-C1;O-ST1;O-CITY"
    steps = read(out / "relationships" / "STEP__Organization__Task.csv")
    assert steps[1][steps[0].index("at:localdatetime")] == "2026-03-04T00:00:00"


def test_files_are_utf8_without_bom(exported: Path) -> None:
    raw = (exported.parent / "nodes" / "Territory.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert "幸福社区".encode() in raw


def test_chinese_text_with_commas_and_quotes_round_trips(tiny_dir: Path, tmp_path: Path
                                                        ) -> None:
    path = tiny_dir / "territories.csv"
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "T-C1,幸福社区," in text
    text = text.replace("T-C1,幸福社区,", 'T-C1,"幸福社区,""东区"" 一号",')
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    model = load_dataset(tiny_dir)
    name = '幸福社区,"东区" 一号'
    assert model.name("T-C1") == name
    command_file = export_neo4j_import(model, tmp_path / "out")
    nodes = command_file.parent / "nodes" / "Territory.csv"
    rows = {r[0]: r for r in read(nodes)[1:]}
    assert rows["T-C1"][1] == name
    assert '"幸福社区,""东区"" 一号"' in nodes.read_text(encoding="utf-8")
    assert "--multiline-fields" not in command_file.read_text(encoding="utf-8")


def test_line_breaks_switch_on_multiline_fields(tiny_model, tmp_path: Path) -> None:
    tasks = tiny_model.frames["tasks"].copy()
    tasks.loc[tasks["id"] == "K-1", "title"] = "第一行\n第二行"
    model = dataclasses.replace(tiny_model, frames={**tiny_model.frames, "tasks": tasks})
    command_file = export_neo4j_import(model, tmp_path / "out")
    rows = {r[0]: r for r in read(command_file.parent / "nodes" / "Task.csv")[1:]}
    assert rows["K-1"][1] == "第一行\n第二行"
    assert "--multiline-fields=true" in command_parts(command_file)


def test_array_delimiter_avoids_characters_in_the_values(tiny_model, tmp_path: Path) -> None:
    orgs = tiny_model.frames["organizations"].copy()
    orgs["chain_path"] = orgs["chain_path"].map(
        lambda p: [*p, "A;B"] if isinstance(p, list) else p)
    model = dataclasses.replace(tiny_model, frames={**tiny_model.frames, "organizations": orgs})
    command_file = export_neo4j_import(model, tmp_path / "out")
    assert "--array-delimiter=|" in command_parts(command_file)
    rows = read(command_file.parent / "nodes" / "Organization.csv")
    col = rows[0].index("chain_path:string[]")
    assert {r[0]: r for r in rows[1:]}["O-ST1"][col] == "O-ST1|O-CITY|A;B"


def test_import_command_names_every_file(exported: Path) -> None:
    assert exported.name == "import-command.txt"
    parts = command_parts(exported)
    assert parts[:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    nodes = option_files(parts, "nodes")
    rels = option_files(parts, "relationships")
    assert [label for label, _ in nodes] == [t.label for t in NODE_TABLES]
    out = exported.parent
    assert {p for _, p in nodes} == set((out / "nodes").glob("*.csv"))
    assert {p for _, p in rels} == set((out / "relationships").glob("*.csv"))
    for rel, path in rels:
        assert path.name.startswith(f"{rel}__")
        assert path.is_absolute() and path.is_file()
    assert "--array-delimiter=;" in parts


def test_database_name_and_constraints_file(tiny_model, tmp_path: Path) -> None:
    command_file = export_neo4j_import(tiny_model, tmp_path / "out", database="province")
    assert command_parts(command_file)[4] == "province"
    constraints = (command_file.parent / "constraints.cypher").read_text(encoding="utf-8")
    assert constraints == ";\n".join(schema_statements()) + ";\n"
    assert "cypher-shell -d province -f" in command_file.read_text(encoding="utf-8")


def test_empty_tables_get_no_file(tiny_model, tmp_path: Path) -> None:
    empty = tiny_model.frames["resources"].iloc[0:0]
    model = dataclasses.replace(tiny_model, frames={**tiny_model.frames, "resources": empty})
    command_file = export_neo4j_import(model, tmp_path / "out")
    assert not (command_file.parent / "nodes" / "Resource.csv").exists()
    assert "Resource" not in [label for label, _ in option_files(command_parts(command_file),
                                                                  "nodes")]


def test_export_streams_rows(tiny_model, tmp_path: Path, monkeypatch) -> None:
    """Rows go to the file one at a time (no giant string per table)."""
    import loaders.neo4j_import as module

    seen = []
    real = module._write_csv

    def spy(path, header, rows):
        seen.append(type(rows).__name__)
        return real(path, header, rows)

    monkeypatch.setattr(module, "_write_csv", spy)
    export_neo4j_import(tiny_model, tmp_path / "out")
    assert seen and set(seen) == {"generator"}
