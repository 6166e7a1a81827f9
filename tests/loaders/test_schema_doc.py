"""docs/schema.md is generated from graphmodel/storage.py and must match it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from graphmodel.storage import NODE_TABLES, REL_TABLES

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "gen_schema_doc.py"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_schema_doc", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_schema_doc_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert committed == _generator().render(), (
        "docs/schema.md is stale: run `python tools/gen_schema_doc.py`")


def test_schema_doc_names_every_label_type_and_property() -> None:
    text = _generator().render()
    for table in NODE_TABLES:
        assert f"### {table.label}\n" in text
        for prop, kind in table.properties:
            assert f"| `{prop}` | `{kind}` |" in text
    for rel in REL_TABLES:
        assert f"| `{rel.name}` |" in text


def test_schema_doc_check_mode() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
