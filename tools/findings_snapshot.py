"""Write the findings JSON of the fixture city and a generated small city, timestamps masked,
through every way the command line reaches a store, so a refactor can be checked byte for byte.

    python tools/findings_snapshot.py OUT_DIR     # then: diff -r BEFORE AFTER

Writes, per dataset (``tiny_city``, ``small_seed0``): ``source.json`` (diagnose SOURCE),
``db.json`` (diagnose --db after orgnet load), ``loaded_db.json`` (load SOURCE into --db while
diagnosing) and ``info.txt`` (orgnet info on the loaded file). Runs with PYTHONHASHSEED=0
(it restarts itself so): some structural metrics sum floats in set order, so their last digit
depends on the hash seed.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orgnet.cli import main  # noqa: E402
from synthetic.write import write_dataset  # noqa: E402


def _masked(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["generated_at"] = "<masked>"
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _run(argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    if code not in (0, 1):
        msg = f"orgnet {' '.join(argv)} exited {code}"
        raise SystemExit(msg)
    return out.getvalue()


def snapshot(source: Path, out: Path, work: Path) -> None:
    """Every snapshot file of one dataset into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    db = work / f"{out.name}.lbdb"
    _run(["diagnose", str(source), "--json", str(work / "a.json")])
    (out / "source.json").write_text(_masked(work / "a.json"), encoding="utf-8")
    _run(["load", str(source), "--db", str(db)])
    _run(["diagnose", "--db", str(db), "--json", str(work / "b.json")])
    (out / "db.json").write_text(_masked(work / "b.json"), encoding="utf-8")
    (out / "info.txt").write_text(_run(["info", "--db", str(db)]).replace(str(db), "DB"),
                                  encoding="utf-8")
    db2 = work / f"{out.name}-2.lbdb"
    _run(["diagnose", str(source), "--db", str(db2), "--json", str(work / "c.json")])
    (out / "loaded_db.json").write_text(_masked(work / "c.json"), encoding="utf-8")


def main_(argv: list[str]) -> None:
    """Write the snapshots of both datasets into ``argv[0]``."""
    target = Path(argv[0])
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        snapshot(ROOT / "tests" / "data" / "tiny_city", target / "tiny_city", work)
        small = write_dataset(work / "small", scale="small", seed=0).out_dir
        snapshot(small, target / "small_seed0", work)


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, __file__, *sys.argv[1:]],
                  {**os.environ, "PYTHONHASHSEED": "0"})
    main_(sys.argv[1:])
