"""The benchmark's verdicts on its targets (the measuring itself is `python -m bench.run`)."""

from __future__ import annotations

from bench.run import check_targets


def _verdicts(result: dict) -> dict[str, tuple[float | None, bool]]:
    return {row["what"]: (row["measured"], row["met"]) for row in check_targets([result])}


def test_a_diagnosis_is_timed_with_reading_the_model_back():
    city = {"scale": "city", "load": {"seconds": 5.0, "peak_rss_mb": 900.0},
            "diagnose:all": {"seconds": 1.0, "read_model": 2.0, "total": 3.0,
                             "peak_rss_mb": 1600.0},
            "report": {"seconds": 3.0}, "load_vs_floor": 1.5, "data_only_vs_floor": 1.3,
            "naive_vs_load": 49.0}
    verdicts = _verdicts(city)
    assert verdicts["diagnose:all"] == (3.0, False)  # 1 s + 2 s reading: over 2.5 s
    assert verdicts["report"] == (3.0, True)
    assert verdicts["peak_rss_mb"] == (1600.0, False)  # over 1.5 GB
    assert verdicts["load_vs_floor"] == (1.5, True)
    assert verdicts["data_only_vs_floor"] == (1.3, False)
    assert verdicts["naive_vs_load (at least)"] == (49.0, False)


def test_province_load_plus_diagnose_and_a_failed_step():
    province = {"scale": "province", "load": {"seconds": 50.0},
                "diagnose:all": {"seconds": 20.0, "read_model": 8.0, "total": 28.0}}
    verdicts = _verdicts(province)
    assert verdicts["load+diagnose"] == (78.0, True)
    assert verdicts["diagnose:all"] == (28.0, False)
    failed = {"scale": "province", "load": {"error": "killed"}, "diagnose:all": {"seconds": 1.0}}
    assert _verdicts(failed)["load+diagnose"] == (None, False)
    assert _verdicts(failed)["load_vs_floor"] == (None, False)
    assert check_targets([{"scale": "small", "load": {"seconds": 1.0}}]) == []


def test_the_answer_key_verdict():
    exact = {"scale": "city", "diagnose:all": {"seconds": 1.0, "answer_key_differences": {}}}
    assert _verdicts(exact)["answer key (checks differing)"] == (0, True)
    off = {"scale": "city", "diagnose:all": {"seconds": 1.0, "answer_key_differences": {
        "backflow_path": {"planted": 10, "found": 5, "missed": 5, "extra": 0}}}}
    assert _verdicts(off)["answer key (checks differing)"] == (1, False)
