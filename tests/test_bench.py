"""The benchmark's verdicts on its targets (the measuring itself is `python -m bench.run`)."""

from __future__ import annotations

from bench.run import check_targets


def _verdicts(result: dict) -> dict[str, tuple[float | None, bool]]:
    return {row["what"]: (row["measured"], row["met"]) for row in check_targets([result])}


def test_a_diagnosis_is_timed_with_reading_the_model_back():
    city = {"scale": "city", "load": {"seconds": 5.0, "peak_rss_mb": 900.0},
            "diagnose:all": {"seconds": 10.0, "read_model": 6.0, "peak_rss_mb": 2100.0},
            "report": {"seconds": 3.0}, "load_vs_floor": 1.2, "naive_vs_load": 49.0}
    verdicts = _verdicts(city)
    assert verdicts["load"] == (5.0, True)
    assert verdicts["diagnose:all"] == (16.0, False)  # 10 s + 6 s reading: over 15 s
    assert verdicts["peak_rss_mb"] == (2100.0, False)
    assert verdicts["load_vs_floor"] == (1.2, True)
    assert verdicts["naive_vs_load (at least)"] == (49.0, False)


def test_load_is_timed_with_what_it_derives_but_compared_with_the_floor_without():
    city = {"scale": "city", "load": {"seconds": 12.0, "derive": 9.0},
            "load_vs_floor": 1.4, "naive_vs_load": 60.0}
    verdicts = _verdicts(city)
    assert verdicts["load"] == (21.0, False)  # orgnet load as a user waits: over 20 s
    assert verdicts["load_vs_floor"] == (1.4, True)


def test_province_load_plus_diagnose_and_a_failed_step():
    province = {"scale": "province", "load": {"seconds": 100.0},
                "diagnose:all": {"seconds": 150.0, "read_model": 40.0}}
    assert _verdicts(province)["load+diagnose"] == (290.0, True)
    failed = {"scale": "province", "load": {"error": "killed"}, "diagnose:all": {"seconds": 1.0}}
    assert _verdicts(failed)["load+diagnose"] == (None, False)
    assert check_targets([{"scale": "small", "load": {"seconds": 1.0}}]) == []


def test_the_answer_key_verdict():
    exact = {"scale": "city", "diagnose:all": {"seconds": 1.0, "answer_key_differences": {}}}
    assert _verdicts(exact)["answer key (checks differing)"] == (0, True)
    off = {"scale": "city", "diagnose:all": {"seconds": 1.0, "answer_key_differences": {
        "backflow_path": {"planted": 10, "found": 5, "missed": 5, "extra": 0}}}}
    assert _verdicts(off)["answer key (checks differing)"] == (1, False)
