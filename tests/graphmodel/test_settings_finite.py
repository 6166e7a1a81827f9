"""TOML allows ``inf`` and ``nan`` literals: every setting refuses them, naming the file (or
the environment variable) and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.errors import SettingsError
from graphmodel.settings import load_settings
from orgnet.cli import main

TINY = Path(__file__).parents[1] / "data" / "tiny_city"


@pytest.mark.parametrize(("body", "key"), [
    ("weak_tie_threshold = inf", "weak_tie_threshold"),
    ("attendance_threshold = nan", "attendance_threshold"),
    ("min_formal_members_for_org = inf", "min_formal_members_for_org"),
    ("reference_year = nan", "reference_year"),
    ("top_n = inf", "top_n"),
    ("aggregate_above_nodes = 1e999", "aggregate_above_nodes"),
    ("betweenness_sample_k = -inf", "betweenness_sample_k"),
    ("[weights]\nmeetings = nan", "weights"),
    ("[targets]\nresources = +inf", "targets.resources"),
])
def test_non_finite_settings_are_refused(tmp_path, body, key) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=f"`{key}`") as info:
        load_settings(path, env={})
    assert str(path) in str(info.value)


def test_non_finite_environment_values_are_refused() -> None:
    with pytest.raises(SettingsError, match=r"`weak_tie_threshold`.*ORGNET_WEAK_TIE_THRESHOLD"):
        load_settings(env={"ORGNET_WEAK_TIE_THRESHOLD": "nan"})


def test_the_command_exits_2(tmp_path, capsys) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("weak_tie_threshold = inf\n", encoding="utf-8")
    assert main(["diagnose", str(TINY), "--settings", str(path)]) == 2
    err = capsys.readouterr().err
    assert "settings error" in err and "weak_tie_threshold" in err and "settings.toml" in err
