"""The README is true for a newcomer: after the quickstart, every command of "Using it" (and
the examples of "Output" and "Notebooks") runs as written on the demo's output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end >= 0 else None]


def _blocks(title: str, lang: str = "bash") -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", _section(title), flags=re.DOTALL)


def _commands(block: str) -> list[str]:
    return [line for line in block.splitlines() if line.strip()
            and not line.strip().startswith("#")]


def test_readme_blocks_parse() -> None:
    using = _commands(_blocks("Using it")[0])
    assert using[0].startswith("source .venv/bin/activate")
    assert any("T-01-ST00001" in c for c in using)
    assert "orgnet demo --out orgnet-demo" in _blocks("Quickstart")[0]
    tests = _commands(_blocks("Quickstart")[1])
    assert tests[1].startswith("npm ci --prefix tools/cypher-lint")
    command = tests[2].split("#")[0].split()
    assert command == [".venv/bin/python", "-m", "pytest", "-n", "auto"]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert " ".join([*command[:3], "-q", "-p", "no:cacheprovider", *command[3:]]) in ci
    assert _blocks("Notebooks", "python")


@pytest.mark.slow
def test_every_readme_example_runs_on_the_demo(tmp_path: Path) -> None:
    """Only the venv differs: the test's own interpreter's environment stands in for the
    quickstart's `.venv` (a symlink), and the demo is made by the quickstart's command."""
    venv = Path(sys.prefix)
    if not (venv / "bin" / "activate").exists():
        pytest.skip("the tests do not run in a virtual environment")
    (tmp_path / ".venv").symlink_to(venv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORGNET_")}
    env["COLUMNS"] = "120"
    quickstart = _blocks("Quickstart")[0].strip().split(" && ")[-1]
    assert quickstart.startswith(".venv/bin/orgnet demo")
    commands = [quickstart, *_commands(_blocks("Using it")[0]),
                *(c for c in _commands(_blocks("Output")[-1]) if c.startswith("orgnet"))]
    for command in commands:
        done = subprocess.run(["bash", "-c", f"source .venv/bin/activate && {command}"],
                              cwd=tmp_path, env=env, capture_output=True, text=True,
                              check=False, timeout=600)
        # 0 ok; 1 findings (diagnose) or warnings (load): both a success of the example
        assert done.returncode in (0, 1), f"{command}\n{done.stdout[-2000:]}{done.stderr}"
        assert "error" not in done.stderr.lower(), f"{command}\n{done.stderr}"
    for name in ("city.lbdb", "findings.json", "report/index.html", "st01/index.html",
                 "street/index.html", "street.graphml", "findings.xlsx", "data",
                 "planted"):
        assert (tmp_path / name).exists(), name
    notebook = _blocks("Notebooks", "python")[0]
    done = subprocess.run([str(tmp_path / ".venv" / "bin" / "python"), "-c", notebook],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
                          timeout=600)
    assert done.returncode == 0, done.stderr
