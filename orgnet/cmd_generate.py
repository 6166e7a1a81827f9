"""`orgnet generate`: write a synthetic dataset with planted problems and its answer key."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from orgnet import _ui
from orgnet._app import app
from orgnet._paths import guard_output
from synthetic import PlantRates, write_dataset


class Scale(StrEnum):
    """The dataset sizes: the keys of ``synthetic.SCALES`` (tests/cli checks they agree)."""

    small = "small"
    city = "city"
    province = "province"


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class Headers(StrEnum):
    EN = "en"
    ZH = "zh"


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write into.")],
    scale: Annotated[Scale, typer.Option("--scale", help="Dataset size.")] = Scale.small,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 0,
    fmt: Annotated[Format, typer.Option("--format", help="csv folder or one xlsx workbook "
                                        "(small and city only).")] = Format.CSV,
    headers: Annotated[Headers, typer.Option("--headers", help="English or Chinese headers "
                                             "and category names.")] = Headers.EN,
    encoding: Annotated[str, typer.Option("--encoding", help="CSV encoding: utf-8, "
                                          "utf-8-sig or gbk.")] = "utf-8",
    rate: Annotated[list[str] | None, typer.Option(
        "--rate", help="CHECK=SHARE: how often a problem is planted, 0 to 0.5 of its "
        "population (repeatable; all=SHARE sets every check, e.g. --rate all=0 "
        "--rate ping_pong=0.1).")] = None,
    clean: Annotated[bool, typer.Option("--clean", help="Plant no problems at all "
                                        "(same as --rate all=0).")] = False,
) -> None:
    """Generate a synthetic dataset (合成数据) with planted problems and answer_key.json."""
    guard_output(out, option="--out", kind="folder")
    rates = _plant_rates(rate or [], clean=clean)
    with _ui.progress() as step:
        step(f"生成 generating {scale}")
        try:
            written = write_dataset(out, scale=str(scale), seed=seed, rates=rates,
                                    format=fmt.value, headers=headers.value,
                                    encoding=encoding)
        except (ValueError, LookupError) as exc:  # xlsx for a province, unknown encoding
            raise typer.BadParameter(str(exc)) from exc
    table = Table(title=_ui.inert(f"已生成 written to {written.out_dir} in "
                                  f"{written.seconds:.1f}s"))
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in written.counts.items():
        table.add_row(name, f"{count:,}")
    table.add_row("answer_key.json", f"{sum(written.planted.values()):,} planted",
                  style="dim")
    _ui.out.print(table)


def _plant_rates(options: list[str], *, clean: bool) -> PlantRates:
    """The plant rates of ``--clean`` and the ``--rate CHECK=SHARE`` options, in order."""
    overrides: dict[str, float] = {"all": 0.0} if clean else {}
    for text in options:
        check, sep, value = text.partition("=")
        try:
            overrides[check.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise typer.BadParameter(f"--rate takes CHECK=SHARE, got {text!r}")
    try:
        return PlantRates().with_rates(overrides)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
