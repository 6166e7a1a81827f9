"""Benchmark orgnet at small, city and province scale; print a table and write JSON.

Usage::

    python -m bench.run                          # small and city
    python -m bench.run --scales small,city,province
    python -m bench.run --data bench/data --json bench/results/latest.json

Datasets are generated once into ``--data`` (seed 0) and reused. Each step runs in its own
process so that its peak memory (max RSS) is its own. Reference points, on the same data in the
same run: the *floor* (pyarrow parsing the files as strings, then LadybugDB bulk COPY from
the Arrow tables, no validation) and the *naive* way (row-by-row Cypher CREATE on a sample,
extrapolated to every row).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "city": {"load_vs_floor": 1.6, "data_only_vs_floor": 1.2, "diagnose:all": 2.5,
             "report": 4, "peak_rss_mb": 1536},
    "province": {"load_vs_floor": 1.6, "data_only_vs_floor": 1.2, "diagnose:all": 25,
                 "load+diagnose": 80, "peak_rss_mb": 3072},
}
"""Issue 15's targets (seconds, ratios, MB); ``diagnose:all`` is ``orgnet diagnose --db`` as a
user waits for it (reading the model back included)."""


def _run_step(*args: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "bench._step", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ensure_dataset(data_root: Path, scale: str) -> tuple[Path, float | None]:
    """Generate the dataset of ``scale`` unless it is there; (folder, generation seconds)."""
    folder = data_root / f"{scale}-seed0"
    if (folder / "territories.csv").exists():
        return folder, None
    from synthetic.write import write_dataset

    t0 = time.perf_counter()
    write_dataset(folder, scale=scale, seed=0)
    return folder, time.perf_counter() - t0


def bench_scale(data_root: Path, scale: str, naive_sample: int) -> dict:
    """Every measurement for one scale."""
    folder, generated = ensure_dataset(data_root, scale)
    db = data_root / f"{scale}.lbdb"
    out: dict = {"scale": scale, "generate_seconds": generated}
    out["load"] = _run_step("load", str(folder), str(db))
    out["floor"] = _run_step("floor", str(folder), str(data_root / f"{scale}-floor.lbdb"))
    out["load:data-only"] = _run_step("load", str(folder), str(data_root / f"{scale}-data.lbdb"),
                                      "data-only")
    for question in ("coverage", "weak_ties", "backflow", "all"):
        out[f"diagnose:{question}"] = _run_step("diagnose", str(folder), str(db), question)
    if scale != "province":
        out["report"] = _run_step("report", str(folder), str(db),
                                  str(data_root / f"{scale}-report"))
    out["naive"] = _run_step("naive", str(folder), str(data_root / f"{scale}-naive.lbdb"),
                             str(naive_sample))
    load, floor, naive = out["load"], out["floor"], out["naive"]
    if "seconds" in load and "seconds" in floor:
        out["load_vs_floor"] = round(load["seconds"] / floor["seconds"], 2)
    if "seconds" in out["load:data-only"] and "seconds" in floor:
        out["data_only_vs_floor"] = round(out["load:data-only"]["seconds"] / floor["seconds"], 2)
    if "seconds" in load and "seconds" in naive:
        out["naive_vs_load"] = round(naive["seconds"] / load["seconds"], 1)
    rows = load.get("rows")
    diag = out["diagnose:all"].get("total")
    if rows and diag:
        out["diagnose_us_per_row"] = round(diag / rows * 1e6, 2)
    return out


def print_table(results: list[dict]) -> None:
    """One line per scale and step: seconds and peak memory."""
    print(f"{'scale':<9}{'step':<20}{'seconds':>10}{'peak MB':>10}  note")
    for res in results:
        for key, value in res.items():
            if not isinstance(value, dict):
                continue
            note = value.get("error", "")
            if value.get("extrapolated"):
                note = (f"extrapolated from {value['sample_nodes']} nodes/"
                        f"{value['sample_rels']} rels")
            if "findings" in value:
                note = f"{value['findings']} findings"
            if "answer_key_differences" in value:
                differ = value["answer_key_differences"]
                note += (", exactly the planted problems" if not differ else
                         f", DIFFERS from the answer key: {differ}")
            if "read_model" in value:
                note = (f"{value['read_model']:.2f} s opening (reading the model back) + "
                        f"{value['seconds']:.2f} s diagnosing; {note}")
            sec = value.get("total", value.get("seconds"))
            print(f"{res['scale']:<9}{key:<20}{'-' if sec is None else round(sec, 2):>10}"
                  f"{value.get('peak_rss_mb', ''):>10}  {note}")
        for key in ("load_vs_floor", "data_only_vs_floor", "naive_vs_load", "diagnose_us_per_row",
                    "generate_seconds"):
            if res.get(key) is not None:
                print(f"{res['scale']:<9}{key:<20}{round(res[key], 2):>10}")


def check_targets(results: list[dict]) -> list[dict]:
    """Each target of ``TARGETS`` against the measured figure: (scale, what, measured, limit,
    met). A step is timed as a user waits for the command (``total`` where a step has one:
    ``orgnet diagnose --db`` with reading the model back); ``load+diagnose`` is the two;
    ``peak_rss_mb`` the largest peak of any step; ratios are the run's own. Every scale is
    also checked against the answer key, and the naive way must be at least 50x slower."""

    def seconds(step: str) -> float | None:
        value = res.get(step, {})
        return value.get("total", value.get("seconds"))

    out = []
    for res in results:
        targets = TARGETS.get(res["scale"], {})
        if not targets:
            continue
        steps = {k: v for k, v in res.items() if isinstance(v, dict) and k != "naive"}
        for what, limit in targets.items():
            if what == "peak_rss_mb":
                peaks = [v["peak_rss_mb"] for v in steps.values() if "peak_rss_mb" in v]
                measured = max(peaks) if peaks else None
            elif what == "load+diagnose":
                parts = [seconds(k) for k in ("load", "diagnose:all")]
                measured = None if None in parts else sum(p for p in parts if p is not None)
            elif what in res and not isinstance(res[what], dict):
                measured = res[what]
            else:
                measured = seconds(what)
            out.append({"scale": res["scale"], "what": what, "measured": measured,
                        "limit": limit, "met": measured is not None and measured <= limit})
        differ = res.get("diagnose:all", {}).get("answer_key_differences")
        out.append({"scale": res["scale"], "what": "answer key (checks differing)",
                    "measured": None if differ is None else len(differ), "limit": 0,
                    "met": differ == {}})
        naive = res.get("naive_vs_load")
        out.append({"scale": res["scale"], "what": "naive_vs_load (at least)", "measured": naive,
                    "limit": 50, "met": naive is not None and naive >= 50})
    return out


def print_targets(checked: list[dict]) -> None:
    """One line per target: measured, limit, met or MISSED."""
    if not checked:
        return
    print(f"\n{'scale':<9}{'target':<26}{'measured':>10}{'limit':>10}  result")
    for row in checked:
        measured = "-" if row["measured"] is None else round(row["measured"], 2)
        print(f"{row['scale']:<9}{row['what']:<26}{measured:>10}{row['limit']:>10}  "
              f"{'met' if row['met'] else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="small,city")
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    parser.add_argument("--naive-sample", type=int, default=2000)
    args = parser.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)
    results = [bench_scale(args.data, s.strip(), args.naive_sample)
               for s in args.scales.split(",")]
    print_table(results)
    checked = check_targets(results)
    print_targets(checked)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"results": results, "targets": TARGETS,
                                     "checked": checked}, indent=1),
                         encoding="utf-8")
    print(f"written {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
