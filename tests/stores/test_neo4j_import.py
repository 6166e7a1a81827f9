"""orgnet export neo4j-import: CSV files in neo4j-admin's header format, read back with the
csv module (as neo4j-admin parses them: RFC 4180 quoting), and the import command."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import shlex
from pathlib import Path

import pytest

from graphmodel.storage import NODE_TABLES, rel_frames
from loaders import load_dataset
from stores.neo4j.import_files import export_neo4j_import, node_header, rel_header
from stores.neo4j.push import schema_statements


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
    import stores.neo4j.import_files as module

    seen = []
    real = module._write_csv

    def spy(path, header, rows):
        seen.append(type(rows).__name__)
        return real(path, header, rows)

    monkeypatch.setattr(module, "_write_csv", spy)
    export_neo4j_import(tiny_model, tmp_path / "out")
    assert seen and set(seen) == {"generator"}


# -- round trip: every value of every file, parsed back as neo4j-admin types it --------------
def read_fields(path: Path) -> list[list[str | None]]:
    """Records as neo4j-admin splits them (RFC 4180): an empty unquoted field is None (not
    set), a quoted ``""`` is an empty string. Checked against the csv module."""
    with path.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    records: list[list[str | None]] = []
    record: list[str | None] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == '"':
            j, chunk = i + 1, []
            while True:
                k = text.index('"', j)
                chunk.append(text[j:k])
                if text.startswith('""', k):
                    chunk.append('"')
                    j = k + 2
                else:
                    i = k + 1
                    break
            record.append("".join(chunk))
        else:
            k = i
            while k < n and text[k] not in ",\n":
                k += 1
            record.append(text[i:k] if k > i else None)
            i = k
        if i < n and text[i] == ",":
            i += 1
            if i == n or text[i] == "\n":
                record.append(None)
        if i < n and text[i] == "\n":
            records.append(record)
            record = []
            i += 1
    assert not record, f"{path.name} does not end with a line break"
    with path.open(encoding="utf-8", newline="") as handle:
        assert [[f or "" for f in r] for r in records] == list(csv.reader(handle)), path.name
    return records


def typed(header: list[str], record: list[str | None], array_delimiter: str) -> dict:
    """A record as the property values neo4j-admin stores (absent: not set)."""
    out = {}
    for column, field in zip(header, record, strict=True):
        name, _, kind = column.partition(":")
        if field is None or column in (":LABEL", ":TYPE"):
            continue
        if kind.startswith("ID(") or kind == "":
            out[name] = field
        elif kind.startswith(("START_ID(", "END_ID(")):
            out["src" if kind.startswith("START") else "dst"] = field
        elif kind == "long":
            out[name] = int(field)
        elif kind == "double":
            out[name] = float(field)
        elif kind == "boolean":
            out[name] = field == "true"
        elif kind == "localdatetime":
            out[name] = dt.datetime.fromisoformat(field)
        elif kind == "string[]":
            out[name] = field.split(array_delimiter)
        else:  # pragma: no cover - a type this test does not know
            raise AssertionError(f"unexpected header type {column}")
    return out


def pushed(rows: list[dict]) -> list[dict]:
    """Push rows with unset properties left out (what a CSV import gives): None and an
    empty list, which CSV cannot carry."""
    return [{k: v for k, v in row.items() if v is not None and v != []} for row in rows]


@pytest.fixture(scope="module")
def tricky_model(tiny_model):
    """The tiny city with the values that break CSV files: Chinese text with commas, quotes,
    line breaks and edge white space, an empty string, a backslash before a quote, ids that
    differ only in case, zoned and nanosecond timestamps, infinite and tiny doubles, missing
    booleans, list items holding the array delimiter."""
    import pandas as pd

    frames = dict(tiny_model.frames)
    t = frames["territories"].copy()
    t["name"] = t["name"].astype(object)
    t.loc[t["id"] == "T-C1", "name"] = '幸福社区,"东区" 一号'
    t.loc[t["id"] == "T-C2", "name"] = "光明\n社区\r\n二期"
    t.loc[t["id"] == "T-ST1", "name"] = "  和平街道 "
    t.loc[t["id"] == "T-CITY", "name"] = ""
    t.loc[t["id"] == "T-G11", "name"] = 'C:\\网格\\"一"'
    t["managed"] = t["managed"].astype("boolean")
    t.loc[t.index[0], "managed"] = pd.NA
    frames["territories"] = t
    tasks = frames["tasks"].copy()
    zone = dt.timezone(dt.timedelta(hours=8))
    tasks["created"] = [pd.Timestamp(2026, 3, 1, 8, 30, tzinfo=zone) + pd.Timedelta(days=i)
                        for i in range(len(tasks))]
    frames["tasks"] = tasks
    steps = frames["task_steps"].copy()
    steps["at"] = steps["at"].astype("datetime64[ns]")
    steps.loc[steps.index[0], "at"] = pd.Timestamp("2026-03-02 09:15:30.123456789")
    frames["task_steps"] = steps
    links = frames["links"].copy()
    links["meetings_per_year"] = links["meetings_per_year"].astype(object)
    links.loc[links.index[0], "meetings_per_year"] = float("inf")
    links.loc[links.index[1], "meetings_per_year"] = 1e-7
    frames["links"] = links
    orgs = frames["organizations"].copy()
    orgs["chain_path"] = orgs["chain_path"].map(
        lambda p: [*p, "甲;乙"] if isinstance(p, list) and "O-C2" in p else p)
    frames["organizations"] = orgs
    return dataclasses.replace(tiny_model, frames=frames)


@pytest.fixture(scope="module")
def tricky_export(tricky_model, tmp_path_factory) -> Path:
    return export_neo4j_import(tricky_model, tmp_path_factory.mktemp("tricky") / "out")


def test_every_value_round_trips_as_push_sends_it(tricky_model, tricky_export: Path) -> None:
    """Each node and relationship file, parsed back field by field and typed by its header,
    holds exactly the rows ``orgnet push`` sends for the same model (stores.neo4j.push.batches),
    so an import and a push give the same graph."""
    from stores.neo4j.push import batches

    parts = command_parts(tricky_export)
    delimiter = next(p for p in parts if p.startswith("--array-delimiter=")).split("=", 1)[1]
    assert delimiter == "|"  # a chain_path item holds ";"
    expected: dict[str, list[dict]] = {}
    for b in batches(tricky_model, 1_000_000):
        expected.setdefault(b.what, []).extend(b.rows)
    seen = set()
    for label, path in option_files(parts, "nodes"):
        header, *records = read_fields(path)
        assert all(r[-1] == label for r in records)
        got = [typed(header, r, delimiter) for r in records]
        assert got == pushed(expected[label]), label
        seen.add(label)
    for rel, path in option_files(parts, "relationships"):
        header, *records = read_fields(path)
        src = header[0].removeprefix(":START_ID(").removesuffix(")")
        dst = header[1].removeprefix(":END_ID(").removesuffix(")")
        assert all(r[2] == rel for r in records)
        got = [typed(header, r, delimiter) for r in records]
        assert got == pushed(expected[f"{rel} {src}->{dst}"]), (rel, src, dst)
        seen.add(f"{rel} {src}->{dst}")
    assert seen == {what for what, rows in expected.items() if rows}


def test_tricky_values_are_written_as_neo4j_admin_reads_them(tricky_export: Path) -> None:
    out = tricky_export.parent
    with (out / "nodes" / "Territory.csv").open(encoding="utf-8", newline="") as handle:
        raw = handle.read()
    assert '"幸福社区,""东区"" 一号"' in raw
    assert '"光明\n社区\r\n二期"' in raw
    assert '"  和平街道 "' in raw
    assert 'T-CITY,"",' in raw  # an empty string, not a missing value
    assert '"C:\\网格\\""一"""' in raw  # backslashes are literal (no legacy quoting)
    records = {r[0]: r for r in read_fields(out / "nodes" / "Territory.csv")[1:]}
    assert records["T-CITY"][1] == ""
    header = read_fields(out / "nodes" / "Task.csv")[0]
    tasks = {r[0]: r for r in read_fields(out / "nodes" / "Task.csv")[1:]}
    # the zone is dropped, the wall-clock time kept (as LadybugDB stores a zoned value)
    assert tasks["K-1"][header.index("created:localdatetime")] == "2026-03-01T08:30:00"
    ats = {r[header.index("at:localdatetime")]
           for path in (out / "relationships").glob("STEP__*.csv")
           for header, *records in [read_fields(path)] for r in records}
    assert "2026-03-02T09:15:30.123456" in ats  # microseconds, as LadybugDB keeps them
    doubles = {f for path in (out / "relationships").glob("TIE__*.csv")
               for r in read_fields(path)[1:] for f in r}
    assert {"Infinity", "1e-07"} <= doubles
    parts = command_parts(tricky_export)
    assert "--multiline-fields=true" in parts


def test_missing_boolean_is_not_false(tricky_model, tricky_export: Path) -> None:
    first = tricky_model.frames["territories"]["id"].iloc[0]
    path = tricky_export.parent / "nodes" / "Territory.csv"
    header, *records = read_fields(path)
    row = next(r for r in records if r[0] == first)
    assert row[header.index("managed:boolean")] is None


def test_import_command_spells_out_the_file_format(exported: Path) -> None:
    parts = command_parts(exported)
    assert parts[4] == "neo4j", "the database name right after `full` (Neo4j 5.19+)"
    for option in ("--delimiter=,", '--quote="', "--array-delimiter=;", "--id-type=string",
                   "--ignore-empty-strings=false"):
        assert option in parts
    files = [i for i, p in enumerate(parts) if p.startswith(("--nodes=", "--relationships="))]
    assert files == list(range(5, 5 + len(files))), "the files right after the database name"
    text = exported.read_text(encoding="utf-8")
    assert "--overwrite-destination=true" in text and "CREATE DATABASE neo4j" in text
    assert "regular expressions" not in text


def test_a_folder_with_regex_characters_is_warned_about(tiny_model, tmp_path: Path) -> None:
    command_file = export_neo4j_import(tiny_model, tmp_path / "导出 (2)")
    text = command_file.read_text(encoding="utf-8")
    assert "regular expressions" in text
    assert command_parts(command_file)[0] == "neo4j-admin"


def test_ids_shared_across_labels_stay_in_their_id_space(tiny_model, tmp_path: Path) -> None:
    """Each label is its own id space and relationship files name the space of each end, so
    an id used under two labels (ids are unique per dataset today, but neo4j-admin would
    refuse a duplicate within one space) resolves each end in the right one."""
    command_file = export_neo4j_import(tiny_model, tmp_path / "out")
    out = command_file.parent
    spaces = {read_fields(p)[0][0] for p in (out / "nodes").glob("*.csv")}
    assert spaces == {f"id:ID({t.label})" for t in NODE_TABLES
                      if not tiny_model.frames[t.table].empty}
    for path in (out / "relationships").glob("*.csv"):
        _, src, dst = path.stem.split("__")
        assert read_fields(path)[0][:3] == [f":START_ID({src})", f":END_ID({dst})", ":TYPE"]
