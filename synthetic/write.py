"""Write a synthetic dataset as the input contract: a CSV folder or one Excel workbook, plus
``answer_key.json`` (check code -> sorted planted subject ids) and ``manifest.json``.

CSV files are appended city by city, so the province scale never holds more than one city in
memory. ``headers="zh"`` writes the Chinese headers and category names of DOMAIN.md (编号,
类型 = 网格党支部, 是否牵头 = 是) instead of the English codes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from graphmodel.atomic import atomic_path, write_text_atomic
from graphmodel.schema import TABLES, zh
from synthetic._state import REF_YEAR
from synthetic.generate import CityData, generate, merge_answer_keys
from synthetic.rates import PlantRates
from synthetic.scales import ScaleSpec, get_scale

__all__ = ["ANSWER_KEY", "MANIFEST", "WrittenDataset", "localize", "write_cities",
           "write_dataset"]

logger = logging.getLogger(__name__)

ANSWER_KEY = "answer_key.json"
MANIFEST = "manifest.json"
WORKBOOK = "dataset.xlsx"
_YES_NO = {"en": ("true", "false"), "zh": ("是", "否")}
_ONE_CITY = "xlsx holds one city; write the province scale as csv"


@dataclass(frozen=True)
class WrittenDataset:
    """What ``write_dataset`` wrote: files, rows per table, planted subjects per check."""

    out_dir: Path
    files: list[Path]
    counts: dict[str, int]
    planted: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def write_dataset(out_dir: str | Path, *, scale: str | ScaleSpec = "small", seed: int = 0,
                  rates: PlantRates | None = None, format: Literal["csv", "xlsx"] = "csv",
                  headers: Literal["en", "zh"] = "en", encoding: str = "utf-8"
                  ) -> WrittenDataset:
    """Generate a dataset and write it to ``out_dir`` (created if missing).

    Parameters
    ----------
    out_dir
        Target folder; existing table files in it are overwritten.
    scale, seed, rates
        As for :func:`~synthetic.generate`.
    format
        ``csv`` (one file per table, any scale) or ``xlsx`` (one workbook ``dataset.xlsx``
        with a sheet per table; small and city scale only).
    headers
        ``en`` for English headers and codes, ``zh`` for Chinese ones.
    encoding
        CSV encoding: ``utf-8``, ``utf-8-sig`` (with BOM) or ``gbk``.

    Raises
    ------
    ValueError
        Unknown scale, format or headers, or xlsx asked for more than one city.
    """
    spec = get_scale(scale)
    rates = rates or PlantRates()
    if format == "xlsx" and spec.cities > 1:  # say so before generating anything
        raise ValueError(_ONE_CITY)
    written = write_cities(out_dir, generate(spec, seed, rates), format=format,
                           headers=headers, encoding=encoding)
    manifest = {"scale": spec.name, "seed": seed, "reference_year": REF_YEAR,
                "format": format, "headers": headers, "encoding": encoding,
                "counts": written.counts, "planted": written.planted,
                "rates": asdict(rates), "spec": asdict(spec)}
    path = Path(out_dir) / MANIFEST
    write_text_atomic(path, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return WrittenDataset(written.out_dir, [*written.files, path], written.counts,
                          written.planted, written.seconds)


def write_cities(out_dir: str | Path, cities: Iterable[CityData], *,
                 format: Literal["csv", "xlsx"] = "csv", headers: Literal["en", "zh"] = "en",
                 encoding: str = "utf-8") -> WrittenDataset:
    """Write already generated cities (CSV appends one city after another)."""
    if format not in ("csv", "xlsx"):
        msg = f"unknown format `{format}`; choose csv or xlsx"
        raise ValueError(msg)
    if headers not in _YES_NO:
        msg = f"unknown headers `{headers}`; choose en or zh"
        raise ValueError(msg)
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = dict.fromkeys(TABLES, 0)
    keys = []
    if format == "csv":
        files = [out / f"{name}.csv" for name in TABLES]
        # Each file is written whole or not at all: renamed into place after the last city.
        with contextlib.ExitStack() as partials:
            parts = [partials.enter_context(atomic_path(path)) for path in files]
            for n, city in enumerate(cities):
                for name, path in zip(TABLES, parts, strict=True):
                    frame = localize(city.frames[name], name, headers)
                    # A BOM belongs at the start of the file only, not before every city.
                    enc = encoding if n == 0 or encoding.lower() != "utf-8-sig" else "utf-8"
                    frame.to_csv(path, mode="w" if n == 0 else "a", header=n == 0,
                                 index=False, encoding=enc, lineterminator="\n")
                    counts[name] += len(frame)
                keys.append(city.answer_key)
                logger.info("wrote city %d (%s)", city.index, city.name)
    else:
        files = [out / WORKBOOK]
        it = iter(cities)
        city = next(it)
        if next(it, None) is not None:
            raise ValueError(_ONE_CITY)
        for name in TABLES:
            counts[name] += len(city.frames[name])
        _write_workbook(files[0], city, headers)
        keys.append(city.answer_key)
    key = merge_answer_keys(keys)
    key_path = out / ANSWER_KEY
    write_text_atomic(key_path, json.dumps(key, ensure_ascii=False, indent=1) + "\n")
    planted = {check: len(subjects) for check, subjects in key.items()}
    return WrittenDataset(out, [*files, key_path], counts, planted,
                          time.perf_counter() - started)


def _write_workbook(path: Path, city: CityData, headers: Literal["en", "zh"]) -> None:
    """One sheet per table, streamed row by row (openpyxl's write-only mode is several times
    faster than ``DataFrame.to_excel`` on a city's 400k rows)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name in TABLES:
        frame = localize(city.frames[name], name, headers, for_excel=True)
        sheet = book.create_sheet(name if headers == "en" else TABLES[name].zh[0])
        sheet.append(list(frame.columns))
        for row in frame.astype(object).itertuples(index=False, name=None):
            sheet.append([None if v is None or v is pd.NA else v for v in row])
    with atomic_path(path) as partial:
        book.save(partial)


def localize(frame: pd.DataFrame, table: str, headers: Literal["en", "zh"] = "en",
             for_excel: bool = False) -> pd.DataFrame:
    """``frame`` as written: yes/no as text, whole floats without ``.0``, and with
    ``headers="zh"`` Chinese column names and category values.

    Examples
    --------
    >>> frame = pd.DataFrame({"source_id": ["U-1"], "target_id": ["T-1"], "type": ["claim"],
    ...     "since": [2020], "meetings_per_year": [None], "activities": [3],
    ...     "initiated_by": ["source"], "lead": [None], "attendance_rate": [None]})
    >>> localize(frame, "links", "zh").iloc[0, :3].tolist()
    ['U-1', 'T-1', '认领']
    """
    out = pd.DataFrame(index=frame.index)
    yes, no = _YES_NO[headers]
    for col in TABLES[table].columns:
        values = frame[col.name]
        if col.dtype == "bool":
            values = values.map({True: yes, False: no}, na_action="ignore")
        elif col.dtype in ("float", "rate"):
            values = values.astype(object).map(_number, na_action="ignore")
        elif col.dtype in ("int", "year"):
            values = values.astype(object)
        elif col.category is not None and headers == "zh":
            names = {m.value: zh(m) for m in col.category}
            values = values.map(names, na_action="ignore")
        if not for_excel:
            values = values.astype(object)
        out[col.zh[0] if headers == "zh" else col.name] = values.where(values.notna(), None)
    return out


def _number(value: Any) -> Any:
    """Whole floats as ints (2000.0 -> 2000), others as they are."""
    return int(value) if float(value).is_integer() else float(value)
