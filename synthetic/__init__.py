"""Synthetic grassroots-organization datasets with planted problems and their answer key.

::

    from synthetic import generate_dataset, write_dataset, PlantRates

    data = generate_dataset("small", seed=0)          # frames + answer key, in memory
    data.frames["organizations"], data.answer_key["weak_tie"]
    write_dataset("out/small", scale="small", seed=0)  # CSV folder + answer_key.json

``generate`` yields city by city (the province scale streams to disk that way).
"""

from synthetic.generate import CityData, generate, generate_dataset, merge_answer_keys
from synthetic.rates import CHECKS, PlantRates
from synthetic.scales import SCALES, ScaleSpec, get_scale
from synthetic.write import (
    ANSWER_KEY,
    WrittenDataset,
    localize,
    write_cities,
    write_dataset,
)

__all__ = [
    "ANSWER_KEY",
    "CHECKS",
    "SCALES",
    "CityData",
    "PlantRates",
    "ScaleSpec",
    "WrittenDataset",
    "generate",
    "generate_dataset",
    "get_scale",
    "localize",
    "merge_answer_keys",
    "write_cities",
    "write_dataset",
]
