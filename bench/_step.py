"""One measured step, run in its own process so its peak memory is its own.

Usage: python -m bench._step STEP DATA DB [ARGS...]; prints one JSON line
{"step", "seconds", "peak_rss_mb", ...}.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_load(data: Path, db: Path, derived: str = "derived") -> dict:
    """``orgnet load`` as the command runs it (:func:`orgnet.pipeline.load_database`): read,
    validate and model the files (``read_validate_model``), then derive and bulk-write
    (``write``: the derived properties go into the same COPY). ``derived="data-only"`` is
    ``orgnet load --data-only``."""
    from graphmodel.settings import Settings
    from loaders import load_dataset
    from orgnet._process import freeze_models
    from orgnet.pipeline import load_database

    freeze_models()  # as the command line does
    t0 = time.perf_counter()
    model = load_dataset(data)
    t1 = time.perf_counter()
    load_database(model, db, derived=derived == "derived", settings=Settings())
    t2 = time.perf_counter()
    return {"seconds": t2 - t0, "read_validate_model": t1 - t0, "write": t2 - t1,
            "rows": sum(model.counts().values())}


def step_floor(data: Path, db: Path) -> dict:
    """The best floor for the same files, no validation: pyarrow's CSV reader parses every
    column as a string (7x faster than pandas ``dtype=str``), and LadybugDB bulk-copies the
    Arrow tables: every table becomes a node table of STRING columns; the single-label
    references (parents, coverage, membership, residence) become relationship tables."""
    import ladybug
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pa_csv

    def read_strings(path: Path) -> pa.Table:
        header = path.open(encoding="utf-8-sig").readline().rstrip("\r\n").split(",")
        convert = pa_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()),
                                        strings_can_be_null=False)
        return pa_csv.read_csv(path, convert_options=convert)

    t0 = time.perf_counter()
    tables = {p.stem: read_strings(p) for p in sorted(data.glob("*.csv"))}
    t1 = time.perf_counter()
    if db.exists():
        db.unlink()
    conn = ladybug.Connection(ladybug.Database(str(db)))
    rows = 0
    for name, parsed in tables.items():
        arrow = parsed if "id" in parsed.column_names else parsed.append_column(
            "_k", pa.array([str(i) for i in range(len(parsed))]))
        key = "id" if "id" in arrow.column_names else "_k"
        cols = ", ".join(f"{c} STRING" for c in arrow.column_names)
        conn.execute(f"CREATE NODE TABLE raw_{name}({cols}, PRIMARY KEY({key}))")
        conn.execute(f"COPY raw_{name} FROM arrow")
        rows += len(arrow)
    refs = [("territories", "parent_id", "territories"),
            ("organizations", "parent_id", "organizations"),
            ("organizations", "territory_id", "territories"),
            ("members", "org_id", "organizations"), ("members", "residence_id", "territories")]
    for i, (src, col, dst) in enumerate(refs):
        if src not in tables or dst not in tables:
            continue
        frame = tables[src]
        rel = frame.filter(pc.is_in(frame[col], value_set=tables[dst]["id"])).select(["id", col])
        conn.execute(f"CREATE REL TABLE r{i}(FROM raw_{src} TO raw_{dst})")
        conn.execute(f"COPY r{i} FROM rel")
        rows += len(rel)
    t2 = time.perf_counter()
    return {"seconds": t2 - t0, "parse": t1 - t0, "copy": t2 - t1, "rows": rows}


def step_diagnose(data: Path, db: Path, question: str) -> dict:
    """``orgnet diagnose --db`` as the command runs it: open the store (read the model back,
    decide whether the derived properties can be read: ``read_model``), then diagnose
    (``seconds``; ``total`` is both, as a user waits)."""
    from graphmodel.settings import Settings
    from orgnet._process import freeze_models
    from orgnet.pipeline import open_source
    from queries.diagnose import diagnose

    freeze_models()
    work = db.with_name(f"{db.stem}-{question}.lbdb")
    shutil.copyfile(db, work)
    settings = Settings()
    t0 = time.perf_counter()
    with open_source(None, work, settings=settings) as opened:
        t1 = time.perf_counter()
        only = None if question == "all" else {question}
        result = diagnose(opened.model, opened.store, settings, only=only)
        t2 = time.perf_counter()
        note = opened.note
    work.unlink()
    out = {"seconds": t2 - t1, "read_model": t1 - t0, "total": t2 - t0,
           "findings": len(result["findings"]), "derived": note}
    if question == "all":  # the planted problems, found exactly? (engine bugs show at scale)
        out["answer_key_differences"] = _key_differences(data, result["findings"])
    return out


def _key_differences(data: Path, findings: list[dict]) -> dict[str, dict]:
    """Per check whose findings differ from the generator's answer key: planted, found,
    missed and extra counts (empty when the diagnosis found exactly what was planted)."""
    key_file = data / "answer_key.json"
    if not key_file.exists():
        return {}
    key = json.loads(key_file.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for finding in findings:
        found.setdefault(finding["check"], set()).add(finding["subject"])
    out = {}
    for check in sorted(set(key) | set(found)):
        planted, got = set(key.get(check, [])), found.get(check, set())
        if planted != got:
            out[check] = {"planted": len(planted), "found": len(got),
                          "missed": len(planted - got), "extra": len(got - planted)}
    return out


def step_report(data: Path, db: Path, out: str) -> dict:
    """Writing the report of a diagnosis (``seconds``), the diagnosis itself not timed."""
    from graphmodel.settings import Settings
    from orgnet._process import freeze_models
    from orgnet.pipeline import open_source
    from queries.diagnose import diagnose

    freeze_models()
    work = db.with_name(f"{db.stem}-report.lbdb")
    shutil.copyfile(db, work)
    with open_source(None, work, settings=Settings()) as opened:
        model = opened.model
        result = diagnose(model, opened.store, Settings())
    t0 = time.perf_counter()
    from visualizations.report import write_report

    write_report(model, result, Path(out))
    t1 = time.perf_counter()
    work.unlink()
    return {"seconds": t1 - t0}


def step_naive(data: Path, db: Path, sample: str) -> dict:
    """Row-by-row Cypher CREATE statements on a sample, extrapolated to every row."""
    import ladybug

    from graphmodel.storage import node_frames, rel_frames
    from loaders import load_dataset
    from stores.ladybug import ddl_statements

    model = load_dataset(data)
    n = int(sample)
    if db.exists():
        db.unlink()
    conn = ladybug.Connection(ladybug.Database(str(db)))
    for statement in ddl_statements():
        conn.execute(statement)
    total_nodes = total_rels = 0
    node_time = rel_time = 0.0
    done_nodes = done_rels = 0
    for table, frame in node_frames(model):
        total_nodes += len(frame)
        part = frame.head(max(1, n * len(frame) // max(1, sum(model.counts().values()))))
        t0 = time.perf_counter()
        for row in part.itertuples(index=False):
            conn.execute(f"CREATE (:{table.label} {{id: $id}})", {"id": row.id})
        node_time += time.perf_counter() - t0
        done_nodes += len(part)
    for rel, src, dst, frame in rel_frames(model):
        total_rels += len(frame)
        part = frame.head(20)
        t0 = time.perf_counter()
        for a, b in zip(part["from"], part["to"], strict=True):
            conn.execute(f"MATCH (a:{src} {{id: $a}}) WITH a MATCH (b:{dst} {{id: $b}}) "
                         f"CREATE (a)-[:{rel.name}]->(b)", {"a": a, "b": b})
        rel_time += time.perf_counter() - t0
        done_rels += len(part)
    per_node = node_time / max(done_nodes, 1)
    per_rel = rel_time / max(done_rels, 1)
    return {"seconds": per_node * total_nodes + per_rel * total_rels, "extrapolated": True,
            "sample_nodes": done_nodes, "sample_rels": done_rels,
            "per_node_ms": per_node * 1000, "per_rel_ms": per_rel * 1000}


STEPS = {"load": step_load, "floor": step_floor, "diagnose": step_diagnose,
         "report": step_report, "naive": step_naive}

if __name__ == "__main__":
    name, data, db, *args = sys.argv[1:]
    result = STEPS[name](Path(data), Path(db), *args)
    result.update({"step": name, "peak_rss_mb": round(_peak_mb(), 1)})
    print(json.dumps(result))
