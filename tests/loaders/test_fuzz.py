"""Property test: random corruption of valid files never ends in a traceback and never leaves
a partial database."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgnet.cli import main

TINY = Path(__file__).parents[1] / "data" / "tiny_city"
FILES = sorted(p.name for p in TINY.glob("*.csv"))

corruption = st.tuples(
    st.sampled_from(FILES),
    st.sampled_from(["replace_bytes", "truncate", "drop_line", "swap_cells", "garbage_line",
                     "empty"]),
    st.integers(min_value=0, max_value=10_000),
    st.binary(min_size=1, max_size=8),
)


def corrupt(path: Path, how: str, position: int, noise: bytes) -> None:
    data = path.read_bytes()
    at = position % max(len(data), 1)
    if how == "replace_bytes":
        data = data[:at] + noise + data[at + len(noise):]
    elif how == "truncate":
        data = data[:at]
    elif how == "empty":
        data = b""
    else:
        lines = data.split(b"\n")
        i = position % len(lines)
        if how == "drop_line":
            del lines[i]
        elif how == "garbage_line":
            lines.insert(i, noise + b",,," + noise)
        else:
            cells = lines[i].split(b",")
            cells.reverse()
            lines[i] = b",".join(cells)
        data = b"\n".join(lines)
    path.write_bytes(data)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(corruption, min_size=1, max_size=3))
def test_corrupted_input_never_crashes_or_half_writes(tmp_path_factory, corruptions):
    work = tmp_path_factory.mktemp("fuzz")
    data = work / "data"
    shutil.copytree(TINY, data)
    db = work / "out" / "org.lbdb"
    db.parent.mkdir()
    db.write_bytes(b"previous database")
    for name, how, position, noise in corruptions:
        corrupt(data / name, how, position, noise)
    code = main(["load", str(data), "--db", str(db)])
    assert code in {0, 1, 2}
    leftovers = sorted(p.name for p in db.parent.iterdir())
    assert leftovers == ["org.lbdb"], leftovers
    if code == 2:
        assert db.read_bytes() == b"previous database"
    else:
        assert db.read_bytes() != b"previous database"
