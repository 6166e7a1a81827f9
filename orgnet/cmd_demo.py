"""`orgnet demo`: a synthetic city taken through everything orgnet produces."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import stores
from graphmodel.settings import Settings
from loaders import load_dataset
from orgnet import _ui
from orgnet._app import app
from orgnet._json import write_json
from orgnet._paths import guard_output
from orgnet.cmd_core import print_summary
from orgnet.pipeline import load_database, settings_record
from queries.diagnose import diagnose
from queries.summary import summarize_findings
from synthetic.write import write_dataset
from visualizations import write_report


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder to write everything into.")] = Path(
        "orgnet-demo"),
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic city.")] = 0,
) -> None:
    """Generate a small synthetic city, load it, diagnose it and write the report and
    network pages — no server, no network. Prints the files to open first."""
    guard_output(out, option="--out", kind="folder")
    out.mkdir(parents=True, exist_ok=True)
    with _ui.progress() as step:
        step("生成示例城市 generating a synthetic city")
        written = write_dataset(out / "data", scale="small", seed=seed)
        step("载入 loading")
        model = load_dataset(written.out_dir)
        settings = Settings()
        # As `orgnet load` then `orgnet diagnose --db`: derived properties written in the
        # load's COPY and recorded, then read back by the diagnosis.
        db = load_database(model, out / "city.lbdb", settings=settings)
        store, _ = stores.reuse_derived(db, model, settings_record(settings))
        with store:
            result = diagnose(model, store, settings, progress=step)
        findings_path = out / "findings.json"
        write_json(findings_path, result)
        step("绘制报告 writing the report")
        report = write_report(model, result, out / "report")
    print_summary(summarize_findings(model, result["findings"]), len(result["findings"]))
    network = report.parent / "network"
    pages = sorted(network.glob("*.html")) if network.is_dir() else []
    _ui.out.print()
    _ui.out.print(_ui.inert("先打开这些文件 open these first:", "bold"))
    _ui.out.print(_ui.inert(f"  1. 诊断报告 report:        {report}"))
    if pages:
        city = next((p for p in pages if "city" in p.name), pages[0])
        _ui.out.print(_ui.inert(f"  2. 网络图 network page:    {city}"))
    _ui.out.print(_ui.inert(f"  3. 诊断结果 findings JSON: {findings_path}"))
    _ui.out.print(_ui.inert(f"  4. 图数据库 database:      {db}  "
                            f"(try: orgnet query --db {db} --list)"))
    _ui.out.print(_ui.inert(f"  5. 示例数据 input data:    {written.out_dir}  "
                            "(answer_key.json lists the planted problems)"))
