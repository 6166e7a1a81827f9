"""Audit of the backflow and weak-tie checks against an independent reference implementation of
DOMAIN.md + FINDINGS.md. orgnet agreed with the reference on every case the spec decides; these
tests pin the trickiest of those cases (steps out of order, blank or equal step numbers, Chinese
action names, members and platforms as handlers, territories for committees, attendance as
45% / 0.45) so later changes keep them."""

from __future__ import annotations

from tests.helpers import append, run_diagnosis


def _task(folder, task_id: str, assignee: str, *steps: tuple) -> None:
    """Append a task and its steps (step, from_id, to_id, action, at), in the order given."""
    append(folder, "tasks", f"{task_id},{task_id}事项,上级交办,{assignee},2026-06-01")
    for step, source, target, action, at in steps:
        append(folder, "task_steps", f"{task_id},{step},{source},{target},{action},{at}")


def _paths(result: dict, check: str) -> dict[str, list[str]]:
    return {f["subject"]: f["path"] for f in result["findings"] if f["check"] == check}


def test_backflow_routes_of_every_kind(tiny_dir, tmp_path):
    # Rows out of order, Chinese actions; a city-level unit's task ends at a community.
    _task(tiny_dir, "K-A1", "U-1", (3, "O-C1", "", "办结", "2026-06-04 10:00"),
          (1, "U-1", "O-ST1", "转办", "2026-06-02 10:00"),
          (2, "O-ST1", "O-C1", "转办", "2026-06-03 10:00"))
    # No step numbers: the times order the steps (a platform's task ends at a community).
    _task(tiny_dir, "K-A2", "P-JM", ("", "O-C2", "", "办结", "2026-06-05 10:00"),
          ("", "P-JM", "O-C2", "转办", "2026-06-02 10:00"))
    # Equal step numbers: ordered by time (a county functional department's task).
    _task(tiny_dir, "K-A3", "U-4", (1, "O-C2", "", "办结", "2026-06-04 10:00"),
          (1, "O-ST1", "O-C2", "转办", "2026-06-03 10:00"),
          (1, "U-4", "O-ST1", "转办", "2026-06-02 10:00"))
    # Open (no handle step): not a backflow yet.
    _task(tiny_dir, "K-A4", "U-1", (1, "U-1", "O-C1", "转办", "2026-06-02 10:00"))
    # Handled by a sent-down cadre (a member) or by a vanguard team: not an organization.
    _task(tiny_dir, "K-A5", "U-1", (1, "U-1", "M-9", "转办", "2026-06-02 10:00"),
          (2, "M-9", "", "办结", "2026-06-03 10:00"))
    _task(tiny_dir, "K-A6", "U-1", (1, "U-1", "P-VT1", "转办", "2026-06-02 10:00"),
          (2, "P-VT1", "", "办结", "2026-06-03 10:00"))
    # A single return then handle is normal; A→B→A→B and A→B→C→A bounce.
    _task(tiny_dir, "K-A7", "O-C1", (1, "O-C1", "O-G11", "转办", "2026-06-02 10:00"),
          (2, "O-G11", "O-C1", "退回", "2026-06-03 10:00"),
          (3, "O-C1", "", "办结", "2026-06-04 10:00"))
    _task(tiny_dir, "K-A8", "O-C1", (1, "O-C1", "O-G11", "转办", "2026-06-02 10:00"),
          (2, "O-G11", "O-C1", "退回", "2026-06-03 10:00"),
          (3, "O-C1", "O-G11", "转办", "2026-06-04 10:00"),
          (4, "O-G11", "", "办结", "2026-06-05 10:00"))
    _task(tiny_dir, "K-A9", "O-C1", (1, "O-C1", "O-G11", "转办", "2026-06-02 10:00"),
          (2, "O-G11", "O-G12", "转办", "2026-06-03 10:00"),
          (3, "O-G12", "O-C1", "上报", "2026-06-04 10:00"),
          (4, "O-C1", "", "办结", "2026-06-05 10:00"))
    # Assigned to the community territory, handled by its vanguard team / a cadre.
    _task(tiny_dir, "K-A10", "T-C1", (1, "O-C1", "P-VT1", "转办", "2026-06-02 10:00"),
          (2, "P-VT1", "", "办结", "2026-06-03 10:00"))
    _task(tiny_dir, "K-A11", "O-C2", (1, "O-C2", "M-9", "转办", "2026-06-02 10:00"),
          (2, "M-9", "", "办结", "2026-06-03 10:00"))
    result = run_diagnosis(tiny_dir, tmp_path, only={"backflow"})

    backflow = _paths(result, "backflow_path")
    assert backflow == {"K-A1": ["U-1", "O-ST1", "O-C1"], "K-A2": ["P-JM", "O-C2"],
                        "K-A3": ["U-4", "O-ST1", "O-C2"]}
    assert _paths(result, "ping_pong") == {"K-A8": ["O-C1", "O-G11", "O-C1", "O-G11"],
                                           "K-A9": ["O-C1", "O-G11", "O-G12", "O-C1"]}
    assert _paths(result, "misplaced_responsibility") == {"K-A10": ["T-C1", "O-C1", "P-VT1"],
                                                          "K-A11": ["O-C2", "M-9"]}


def test_weak_tie_inputs(tiny_dir, tmp_path):
    # Attendance written as 45% and 0.45 is below 50%; 50% is not.
    append(tiny_dir, "links", "O-G11,P-WT,平台成员,2020,,,,,45%",
           "O-G12,P-WT,平台成员,2020,,,,,0.45", "O-G21,P-WT,平台成员,2020,,,,,50%")
    # A cadre who is only a task's assignee appears in no step.
    append(tiny_dir, "members", "M-11,某某,O-P111,T-P111,,正式党员,,T-C2")
    append(tiny_dir, "tasks", "K-A1,某事项,上级交办,M-11,2026-06-01")
    # A tie written community -> unit, started by the unit (the target): reciprocity 0.5;
    # scores exactly at the threshold (0.3) are not weak.
    append(tiny_dir, "links", "T-C2,U-3,共驻共建,2026,2,0,终点方,,",
           "U-3,T-C1,共驻共建,2026,12,0,终点方,,")
    result = run_diagnosis(tiny_dir, tmp_path, only={"weak_ties"})

    low = sorted(f["subject"] for f in result["findings"] if f["check"] == "low_attendance")
    assert low == ["O-G11->P-WT", "O-G12->P-WT"]
    cadres = [f["subject"] for f in result["findings"] if f["check"] == "cadre_low_contact"]
    assert cadres == ["M-11"]
    weak = {f["subject"]: f["detail"] for f in result["findings"] if f["check"] == "weak_tie"}
    assert set(weak) == {"T-C2->U-3"}
    assert weak["T-C2->U-3"]["parts"]["reciprocity"] == 0.5
    assert weak["T-C2->U-3"]["unit_end"] == "target"
