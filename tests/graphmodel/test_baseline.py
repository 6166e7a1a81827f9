"""Findings over time on plain dicts: identity, since carried over runs, claims."""

from __future__ import annotations

from graphmodel.baseline import compare_findings


def _run(stamp: str, *pairs: tuple[str, str]) -> dict:
    return {"generated_at": stamp, "findings": [
        {"check": c, "subject": s, "question": "coverage", "severity": "high", "message": m}
        for (c, s), m in zip(pairs, ("一", "二", "三", "四"), strict=False)]}


def test_since_is_carried_from_the_first_run() -> None:
    a = _run("2026-01-01T10:00:00+08:00", ("weak_tie", "U-1->T-1"), ("ping_pong", "K-1"))
    b = compare_findings(_run("2026-06-01T10:00:00+08:00", ("weak_tie", "U-1->T-1"),
                              ("bridge_unit", "U-2")), a)
    c = compare_findings(_run("2026-12-01T10:00:00+08:00", ("weak_tie", "U-1->T-1"),
                              ("bridge_unit", "U-2"), ("ping_pong", "K-1")), b)
    since = {f["subject"]: (f["status"], f["since"][:7]) for f in c["findings"]}
    assert since == {"U-1->T-1": ("persisting", "2026-01"), "U-2": ("persisting", "2026-06"),
                     "K-1": ("new", "2026-12")}  # K-1 came back: new again
    assert c["baseline"]["resolved"] == []
    assert [f["subject"] for f in b["baseline"]["resolved"]] == ["K-1"]
    assert b["baseline"]["source"] == "findings" and "claimed_but_present" not in b["baseline"]


def test_identity_is_check_and_subject_only() -> None:
    a = _run("t1", ("weak_tie", "U-1->T-1"))
    later = _run("t2", ("weak_tie", "U-1->T-1"))
    later["findings"][0].update(message="别的说法", severity="low", path=["x"])
    assert compare_findings(later, a)["findings"][0]["status"] == "persisting"
    assert compare_findings(_run("t2", ("low_attendance", "U-1->T-1")), a)["findings"][0][
        "status"] == "new"


def test_claims_of_a_worklist() -> None:
    worklist = {"generated_at": "t1", "worklist": True, "findings": [
        {"check": "weak_tie", "subject": "A->B", "claim": "已整改", "since": "t0"},
        {"check": "weak_tie", "subject": "C->D", "claim": "整改中"},
        {"check": "ping_pong", "subject": "K-1", "claim": "已整改"}]}
    out = compare_findings(_run("t2", ("weak_tie", "A->B"), ("weak_tie", "C->D")), worklist)
    assert [f["subject"] for f in out["baseline"]["claimed_but_present"]] == ["A->B"]
    assert out["findings"][0]["claimed_rectified"] is True
    assert "claimed_rectified" not in out["findings"][1]
    assert out["findings"][0]["since"] == "t0"
    assert [f["subject"] for f in out["baseline"]["resolved"]] == ["K-1"]


def test_current_is_not_changed() -> None:
    current = _run("t2", ("weak_tie", "A->B"))
    compare_findings(current, _run("t1"))
    assert "status" not in current["findings"][0] and "baseline" not in current
