"""Backflow checks (责任回流, 推诿, 主体责任错位, 纠偏渠道): each fires on a minimal dataset
built from the tiny city and stays silent on the clean fixture; routes land in the graph."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from graphmodel.settings import Settings
from loaders import load_dataset
from queries.diagnose import diagnose
from queries.library import get_query, list_queries
from queries.run import run_query
from stores.ladybug import LadybugStore, write_ladybug
from tests.helpers import append, edit, found, run_diagnosis

BACKFLOW_CHECKS = ["backflow_path", "ping_pong", "misplaced_responsibility",
                   "no_feedback_channel"]
TINY = Path(__file__).parents[1] / "data" / "tiny_city"


def add_task(folder: Path, task_id: str, assignee: str, *steps: tuple, title: str = "",
             kind: str = "上级交办") -> None:
    """Append a task and its steps (step, from_id, to_id, action, at) to the fixture."""
    append(folder, "tasks", f"{task_id},{title or task_id + '事项'},{kind},{assignee},2026-06-01")
    for step, source, target, action, at in steps:
        append(folder, "task_steps", f"{task_id},{step},{source},{target or ''},{action},{at}")


def diagnosis(folder: Path, tmp: Path) -> dict:
    return run_diagnosis(folder, tmp, only={"backflow"})


def finding(result: dict, check: str, subject: str) -> dict:
    return next(f for f in result["findings"] if f["check"] == check and f["subject"] == subject)


@pytest.fixture
def clean(tiny_dir, tmp_path):
    return diagnosis(tiny_dir, tmp_path)


def test_clean_city_has_no_backflow_findings(clean):
    assert [f for f in clean["findings"] if f["question"] == "backflow"] == []


def test_dataset_without_tasks_or_resources(tiny_dir, tmp_path):
    for table in ("tasks", "task_steps", "resources"):
        (tiny_dir / f"{table}.csv").unlink()
    result = diagnosis(tiny_dir, tmp_path)
    assert [f for f in result["findings"] if f["question"] == "backflow"] == []
    metrics = result["metrics"]
    assert metrics["flow"] == metrics["top_pushers"] == metrics["top_absorbers"] == []
    assert [row["tasks_handled"] for row in metrics["flow_by_level"]] == [0, 0, 0, 0, 0]
    assert metrics["flow_by_street"][0]["handled_share"] is None
    assert metrics["flow_by_street"][0]["funds_received"] == 0.0


# --- one dataset with every case ------------------------------------------------------------
# Each task below is a minimal route for one case; the checks must fire on exactly the tasks
# and organizations planted for them, so every other case is also a precision test.

BACKFLOW_TASKS = {
    # A department's task, steps out of order in the file, Chinese action names.
    "K-B1": ("U-4", [(3, "O-C1", None, "办结", "2026-06-05"),
                     (1, "U-4", "O-ST1", "转办", "2026-06-02"),
                     (2, "O-ST1", "O-C1", "转办", "2026-06-03")]),
    # A city-rank agency's task, English action names.
    "K-B2": ("U-1", [(1, "U-1", "O-C2", "transfer", "2026-06-02"),
                     (2, "O-C2", None, "handle", "2026-06-03")]),
    # A platform's task handled by the street committee.
    "K-B3": ("P-JM", [(1, "P-JM", "O-ST1", "转办", "2026-06-02"),
                      (2, "O-ST1", None, "办结", "2026-06-03")]),
    # The community itself (its territory) as the handler.
    "K-B4": ("U-2", [(1, "U-2", "T-C2", "转办", "2026-06-02"),
                     (2, "T-C2", None, "办结", "2026-06-03")]),
    # The steps do not start at the assignee.
    "K-B5": ("U-4", [(1, "O-ST1", "O-C2", "转办", "2026-06-02"),
                     (2, "O-C2", None, "办结", "2026-06-03")]),
    # The middle step has no number: its time puts it second (not last, which would make the
    # task an open bounce between the street and the community).
    "K-B6": ("U-4", [(1, "U-4", "O-ST1", "转办", "2026-06-02"),
                     ("", "O-ST1", "O-C1", "转办", "2026-06-03"),
                     (3, "O-C1", None, "办结", "2026-06-05")]),
}
NOT_BACKFLOW_TASKS = {
    # Still open: passed down but nobody handled it yet.
    "K-N1": ("U-4", [(1, "U-4", "O-C1", "转办", "2026-06-02")]),
    # Reopened: handled by the community, then sent back up and not handled again.
    "K-N2": ("U-4", [(1, "U-4", "O-C1", "转办", "2026-06-02"),
                     (2, "O-C1", None, "办结", "2026-06-03"),
                     (3, "O-C1", "U-4", "退回", "2026-06-04")]),
    # An unranked private enterprise is not "above".
    "K-N3": ("U-3", [(1, "U-3", "O-C1", "转办", "2026-06-02"),
                     (2, "O-C1", None, "办结", "2026-06-03")]),
    # Handled by a grid branch: not a street, township, community or village organization.
    "K-N4": ("U-2", [(1, "U-2", "O-G21", "转办", "2026-06-02"),
                     (2, "O-G21", None, "办结", "2026-06-03")]),
    # Handed down by the street committee: not a unit, department or platform.
    "K-N5": ("O-ST1", [(1, "O-ST1", "O-C1", "转办", "2026-06-02"),
                       (2, "O-C1", None, "办结", "2026-06-03")]),
    # Passed down and returned once; the department handled it itself.
    "K-N6": ("U-4", [(1, "U-4", "O-C1", "转办", "2026-06-02"),
                     (2, "O-C1", "U-4", "退回", "2026-06-03"),
                     (3, "U-4", None, "办结", "2026-06-04")]),
}
PING_PONG_TASKS = {
    # Two round trips between a committee and a unit.
    "K-P1": ("O-C1", [(1, "O-C1", "U-2", "转办", "2026-06-02"),
                      (2, "U-2", "O-C1", "退回", "2026-06-03"),
                      (3, "O-C1", "U-2", "转办", "2026-06-04"),
                      (4, "U-2", None, "办结", "2026-06-05")]),
    # A cycle of three through a platform and a member; the committee closes it.
    "K-P2": ("O-C1", [(1, "O-C1", "P-VT1", "转办", "2026-06-02"),
                      (2, "P-VT1", "M-9", "转办", "2026-06-03"),
                      (3, "M-9", "O-C1", "退回", "2026-06-04"),
                      (4, "O-C1", None, "办结", "2026-06-05")]),
    # Still open and bouncing.
    "K-P3": ("O-C2", [(1, "O-C2", "O-ST1", "上报", "2026-06-02"),
                      (2, "O-ST1", "O-C2", "退回", "2026-06-03"),
                      (3, "O-C2", "O-ST1", "上报", "2026-06-04")]),
    # Out of order, two rows numbered 2: their times put the return first.
    "K-P4": ("O-C2", [(3, "O-G21", None, "办结", "2026-06-06"),
                      (2, "O-C2", "O-G21", "转办", "2026-06-04"),
                      (1, "O-C2", "O-G21", "转办", "2026-06-02"),
                      (2, "O-G21", "O-C2", "退回", "2026-06-03")]),
    # Assigned to the community (territory); the street returns it once to the territory and
    # once to the committee: one party, two round trips.
    "K-P5": ("T-C2", [(1, "T-C2", "O-ST1", "上报", "2026-06-02"),
                      (2, "O-ST1", "O-C2", "退回", "2026-06-03"),
                      (3, "O-C2", "O-ST1", "上报", "2026-06-04"),
                      (4, "O-ST1", "T-C2", "退回", "2026-06-05"),
                      (5, "T-C2", None, "办结", "2026-06-06")]),
}
NOT_PING_PONG_TASKS = {
    # Returned once, then handled by the assignee.
    "K-Q1": ("O-C2", [(1, "O-C2", "O-G21", "转办", "2026-06-02"),
                      (2, "O-G21", "O-C2", "退回", "2026-06-03"),
                      (3, "O-C2", None, "办结", "2026-06-04")]),
    # Escalated twice, returned twice back down the chain, handled at the bottom.
    "K-Q2": ("O-G12", [(1, "O-G12", "O-C1", "上报", "2026-06-02"),
                       (2, "O-C1", "O-ST1", "上报", "2026-06-03"),
                       (3, "O-ST1", "O-C1", "退回", "2026-06-04"),
                       (4, "O-C1", "O-G12", "退回", "2026-06-05"),
                       (5, "O-G12", None, "办结", "2026-06-06")]),
    # Returned by one party, then by another.
    "K-Q3": ("O-C1", [(1, "O-C1", "U-1", "转办", "2026-06-02"),
                      (2, "U-1", "O-C1", "退回", "2026-06-03"),
                      (3, "O-C1", "U-2", "转办", "2026-06-04"),
                      (4, "U-2", "O-C1", "退回", "2026-06-05"),
                      (5, "O-C1", None, "办结", "2026-06-06")]),
}
MISPLACED_TASKS = {
    # A sent-down cadre closes the committee's task.
    "K-M1": ("O-C1", [(1, "O-C1", "M-9", "转办", "2026-06-02"),
                      (2, "M-9", None, "办结", "2026-06-03")]),
    # A vanguard team closes it.
    "K-M2": ("O-C1", [(1, "O-C1", "P-VT1", "转办", "2026-06-02"),
                      (2, "P-VT1", None, "办结", "2026-06-03")]),
    # The community itself (its territory) as the assignee.
    "K-M3": ("T-C2", [(1, "T-C2", "P-VT1", "转办", "2026-06-02"),
                      (2, "P-VT1", None, "办结", "2026-06-03")]),
}
NOT_MISPLACED_TASKS = {
    # A member who was not sent down.
    "K-X1": ("O-C1", [(1, "O-C1", "M-1", "转办", "2026-06-02"),
                      (2, "M-1", None, "办结", "2026-06-03")]),
    # The cadre visited and sent it back; the committee closed it.
    "K-X2": ("O-C1", [(1, "O-C1", "M-9", "转办", "2026-06-02"),
                      (2, "M-9", "O-C1", "退回", "2026-06-03"),
                      (3, "O-C1", None, "办结", "2026-06-04")]),
    # Given to the cadre, not closed yet.
    "K-X3": ("O-C1", [(1, "O-C1", "M-9", "转办", "2026-06-02")]),
    # Assigned to the street committee, not a community committee.
    "K-X4": ("O-ST1", [(1, "O-ST1", "P-VT1", "转办", "2026-06-02"),
                       (2, "P-VT1", None, "办结", "2026-06-03")]),
}
TITLES = {"K-B1": "背街小巷环境整治", "K-P1": "社区卫生站义诊", "K-M1": "独居老人走访"}


def _plant_feedback_cases(folder: Path) -> None:
    # O-C2 leaves the work team: fires.
    edit(folder, "links", "O-C2,P-WT,平台成员,2020,,,,,0.85\n", "")
    # O-ST1 leaves it too; it still convenes the team, which is not a tie: fires.
    edit(folder, "links", "O-ST1,P-WT,平台成员,2020,,,,,0.95\n", "")
    # O-C1's membership is held by its community: silent.
    edit(folder, "links", "O-C1,P-WT,平台成员,2020,,,,,0.9\n", "T-C1,P-WT,平台成员,2020,,,,,0.9\n")
    # A township with a village on the joint meeting only (fire), and a village tied the other
    # way round, from the work team (silent).
    append(folder, "territories", "T-TS2,青山镇,乡镇,T-CITY,5000,是", "T-V1,青山村,村,T-TS2,300,是",
           "T-V2,绿水村,村,T-TS2,280,是")
    append(folder, "organizations", "O-TS2,青山镇党委,乡镇党委,O-CITY,T-TS2,",
           "O-V1,青山村党支部,村党支部,O-TS2,T-V1,", "O-V2,绿水村党支部,村党支部,O-TS2,T-V2,")
    append(folder, "links", "O-V1,P-JM,平台成员,2021,,,,,0.9", "P-WT,O-V2,平台成员,2021,,,,,0.9")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenario") / "tiny_city"
    shutil.copytree(TINY, folder)
    for group in (BACKFLOW_TASKS, NOT_BACKFLOW_TASKS, PING_PONG_TASKS, NOT_PING_PONG_TASKS,
                  MISPLACED_TASKS, NOT_MISPLACED_TASKS):
        for task_id, (assignee, steps) in group.items():
            add_task(folder, task_id, assignee, *steps, title=TITLES.get(task_id, ""))
    _plant_feedback_cases(folder)
    return diagnosis(folder, folder.parent)


def test_each_check_fires_on_exactly_its_cases(scenario):
    assert {c: found(scenario, c) for c in BACKFLOW_CHECKS} == {
        "backflow_path": sorted(BACKFLOW_TASKS),
        "ping_pong": sorted(PING_PONG_TASKS),
        "misplaced_responsibility": sorted(MISPLACED_TASKS),
        "no_feedback_channel": ["O-C2", "O-ST1", "O-TS2", "O-V1"],
    }


def test_backflow_path_finding(scenario):
    f = finding(scenario, "backflow_path", "K-B1")
    assert f["severity"] == "high"
    assert f["path"] == ["U-4", "O-ST1", "O-C1"]
    assert f["message"] == ("任务“背街小巷环境整治”交由县级驻区职能部门“区城管执法局”负责，"
                            "经2次转手最终由“幸福社区党委”办结，责任回流到基层")
    assert f["detail"] == {"assignee": "U-4", "assignee_kind": "functional_department",
                           "assignee_rank": "county", "handler": "O-C1",
                           "handler_kind": "community_committee", "route_length": 3,
                           "hops": 2, "path_hops": 2, "actions": ["transfer", "transfer"],
                           "handled": True}


def test_backflow_path_assignees_and_handlers(scenario):
    assert "市级单位“市市场监督管理局”" in finding(scenario, "backflow_path", "K-B2")["message"]
    assert "党建联席会议“和平街道党建联席会议”" in finding(scenario, "backflow_path",
                                                        "K-B3")["message"]
    assert finding(scenario, "backflow_path", "K-B4")["path"] == ["U-2", "T-C2"]
    # The path starts at the assignee even when the steps do not.
    assert finding(scenario, "backflow_path", "K-B5")["path"] == ["U-4", "O-ST1", "O-C2"]
    assert finding(scenario, "backflow_path", "K-B6")["path"] == ["U-4", "O-ST1", "O-C1"]


def test_ping_pong_findings(scenario):
    f = finding(scenario, "ping_pong", "K-P1")
    assert f["severity"] == "medium"
    assert f["path"] == ["O-C1", "U-2", "O-C1", "U-2"]
    assert f["message"] == ("任务“社区卫生站义诊”被来回推诿：幸福社区党委→区人民医院→幸福社区党委"
                            "→区人民医院")
    assert f["detail"] == {"pattern": "round_trips", "moves": 3, "parties": 2,
                           "route_length": 4, "status": "closed", "assignee": "O-C1",
                           "actions": ["transfer", "return", "transfer"], "handled": True}
    cycle = finding(scenario, "ping_pong", "K-P2")
    assert cycle["path"] == ["O-C1", "P-VT1", "M-9", "O-C1"]
    assert cycle["detail"]["pattern"] == "cycle"
    assert cycle["message"] == "任务“K-P2事项”绕圈流转：幸福社区党委→幸福社区尖刀班→M-9→幸福社区党委"
    assert finding(scenario, "ping_pong", "K-P3")["detail"]["status"] == "open"
    assert finding(scenario, "ping_pong", "K-P4")["path"] == ["O-C2", "O-G21", "O-C2", "O-G21"]
    assert finding(scenario, "ping_pong", "K-P5")["path"] == ["T-C2", "O-ST1", "O-C2", "O-ST1",
                                                              "T-C2"]


def test_misplaced_responsibility_findings(scenario):
    f = finding(scenario, "misplaced_responsibility", "K-M1")
    assert f["severity"] == "medium"
    assert f["message"] == ("任务“独居老人走访”交由“幸福社区党委”负责，却由下沉干部M-9办结，"
                            "主体责任错位")
    assert f["path"] == ["O-C1", "M-9"]
    assert f["detail"] == {"assignee": "O-C1", "assignee_kind": "community_committee",
                           "handler": "M-9", "handler_role": "sent_down_cadre",
                           "sent_to": "T-C1", "route_length": 2, "actions": ["transfer"],
                           "handled": True}
    vanguard = finding(scenario, "misplaced_responsibility", "K-M2")
    assert "尖刀班“幸福社区尖刀班”" in vanguard["message"]
    assert vanguard["detail"]["handler_role"] == "vanguard_team"


def test_no_feedback_channel_findings(scenario):
    f = finding(scenario, "no_feedback_channel", "O-C2")
    assert f["severity"] == "low"
    assert f["message"] == "社区党委“光明社区党委”没有与任何工作专班建立联系，缺少自下而上反馈纠偏的渠道"
    assert f["detail"] == {"org_kind": "community_committee", "territory_id": "T-C2",
                           "platform_ties": 0}
    assert f["path"] == []
    assert finding(scenario, "no_feedback_channel", "O-V1")["detail"]["platform_ties"] == 1
    assert finding(scenario, "no_feedback_channel", "O-TS2")["message"].startswith(
        "乡镇党委“青山镇党委”")


def test_findings_are_sorted_and_name_members_by_id_only(scenario):
    backflow = [f for f in scenario["findings"] if f["question"] == "backflow"]
    keys = [(["high", "medium", "low"].index(f["severity"]), f["subject"]) for f in backflow]
    assert keys == sorted(keys)
    names = set(pd.read_csv(TINY / "members.csv")["姓名"])
    text = json.dumps(scenario, ensure_ascii=False)
    assert [n for n in names if n in text] == []


# --- every check at once; the graph; the metrics ---------------------------------------------


def _all_problems(folder: Path) -> None:
    add_task(folder, "K-B1", "U-4", (1, "U-4", "O-C1", "转办", "2026-06-02"),
             (2, "O-C1", None, "办结", "2026-06-03"))
    add_task(folder, "K-P1", "O-C1", (1, "O-C1", "U-2", "转办", "2026-06-02"),
             (2, "U-2", "O-C1", "退回", "2026-06-03"), (3, "O-C1", "U-2", "转办", "2026-06-04"),
             (4, "U-2", None, "办结", "2026-06-05"))
    add_task(folder, "K-M1", "O-C1", (1, "O-C1", "M-9", "转办", "2026-06-02"),
             (2, "M-9", None, "办结", "2026-06-03"))
    edit(folder, "links", "O-C2,P-WT,平台成员,2020,,,,,0.85\n", "")


@pytest.fixture(scope="module")
def diagnosed(tmp_path_factory):
    """A store of the tiny city with one task per backflow problem, after the diagnosis."""
    folder = tmp_path_factory.mktemp("diagnosed") / "tiny_city"
    shutil.copytree(TINY, folder)
    _all_problems(folder)
    model = load_dataset(folder)
    store = LadybugStore(write_ladybug(model, folder.parent / "x.lbdb"), writable=True)
    result = diagnose(model, store, only={"backflow"})
    yield model, store, result
    store.close()


def test_routes_are_stored_in_the_graph(diagnosed):
    model, store, result = diagnosed
    tasks = store.run("MATCH (t:Task) RETURN t.id AS id, t.route AS route, t.status AS status, "
                      "t.route_length AS n, t.hops AS hops, t.final_handler_id AS handler, "
                      "t.current_holder_id AS holder, t.ping_pong_path AS pp ORDER BY id")
    by_id = tasks.set_index("id")
    assert list(by_id.loc["K-1", "route"]) == ["O-C1", "O-G11"]
    assert by_id.loc["K-5", "status"] == "open"
    assert by_id.loc["K-5", "holder"] == "O-G21"
    assert by_id.loc["K-4", "n"] == 3
    assert by_id.loc["K-4", "hops"] == 2
    assert list(by_id.loc["K-P1", "pp"]) == ["O-C1", "U-2", "O-C1", "U-2"]
    assert list(by_id.loc["K-1", "pp"]) == []
    handled = store.run("MATCH (t:Task)-[:HANDLED_BY]->(h) RETURN t.id AS task, h.id AS handler")
    assert dict(zip(handled["task"], handled["handler"], strict=True)) == {
        "K-1": "O-G11", "K-2": "M-9", "K-3": "U-4", "K-4": "U-1", "K-B1": "O-C1",
        "K-M1": "M-9", "K-P1": "U-2"}
    # A second run gives the same findings and does not duplicate HANDLED_BY.
    again = diagnose(model, store, only={"backflow"})
    assert again["findings"] == result["findings"]
    assert store.run("MATCH (:Task)-[r:HANDLED_BY]->() RETURN count(r) AS n")["n"][0] == 7


def test_task_route_query(diagnosed):
    _, store, _ = diagnosed
    steps = run_query(store, "backflow/task_route", task_id="K-1")
    assert steps["step"].tolist() == [1, 2]
    assert steps["action"].tolist() == ["transfer", "handle"]
    assert steps["from_id"].tolist() == ["O-C1", "O-G11"]
    assert steps["to_id"].iloc[0] == "O-G11"
    assert pd.isna(steps["to_id"].iloc[1])


def test_analyst_queries(diagnosed):
    _, store, _ = diagnosed
    by_cadre = run_query(store, "backflow/tasks_handled_by", handler_id="M-9")
    assert by_cadre["task_id"].tolist() == ["K-2", "K-M1"]
    open_tasks = run_query(store, "backflow/open_tasks")
    assert open_tasks["task_id"].tolist() == ["K-5"]
    assert open_tasks["holder_id"].tolist() == ["O-G21"]


def test_flow_metrics(diagnosed):
    _, _, result = diagnosed
    metrics = result["metrics"]
    flow = {row["org"]: row for row in metrics["flow"]}
    assert "M-9" not in flow  # members are not in the flow tables
    # O-C1 passed K-1, K-2, K-P1 and K-M1 on without handling them, and handled K-B1.
    assert {k: flow["O-C1"][k] for k in ("received", "pushed_back", "absorbed")} == {
        "received": 5, "pushed_back": 4, "absorbed": 1}
    assert flow["O-C1"]["level"] == 3
    assert flow["O-C1"]["street"] == "T-ST1"
    assert flow["U-2"]["absorbed"] == 1
    assert flow["U-4"]["level"] == 1  # a county-rank department counts at the top level
    assert metrics["top_pushers"][0]["org"] == "O-C1"
    assert metrics["top_pushers"][0]["share"] == 0.8
    assert [r["org"] for r in metrics["top_absorbers"]][:3] == ["O-C1", "O-G11", "U-1"]
    levels = {row["level"]: row for row in metrics["flow_by_level"]}
    assert list(levels) == ["city", "street", "community", "grid", "compound"]
    # Handlers: O-G11 (grid), M-9 twice (sent down to T-C1: community), U-4, U-1, U-2 (city
    # level), O-C1 (community).
    assert {k: levels[k]["tasks_handled"] for k in levels} == {
        "city": 3, "street": 0, "community": 3, "grid": 1, "compound": 0}
    assert levels["community"]["backflow_tasks"] == 1
    assert levels["community"]["resources_received"] == 3  # delivered
    assert levels["community"]["funds_received"] == 50000.0
    assert levels["city"]["resources_provided"] == 4
    assert levels["community"]["handled_share"] == round(3 / 7, 4)
    assert levels["community"]["resource_share"] == 1.0
    assert levels["city"]["gap"] == round(3 / 7, 4)
    (street,) = metrics["flow_by_street"]
    assert street["street"] == "T-ST1"
    assert street["tasks_handled"] == 4  # the community and grid handlers
    assert street["backflow_tasks"] == 1
    assert street["resources_received"] == 3


def test_flow_counts_a_community_and_its_committee_as_one_party(tiny_dir, tmp_path):
    # Assigned to 光明社区 (the territory), handled by its committee: one task received and
    # absorbed by the committee, no separate entry for the territory.
    add_task(tiny_dir, "K-T1", "T-C2", (1, "O-C2", None, "办结", "2026-06-02"))
    add_task(tiny_dir, "K-T2", "O-ST1", (1, "O-ST1", "T-C2", "转办", "2026-06-02"),
             (2, "O-C2", None, "办结", "2026-06-03"))
    flow = {row["org"]: row for row in diagnosis(tiny_dir, tmp_path)["metrics"]["flow"]}
    assert "T-C2" not in flow
    # K-5 (open, passed on to a grid) plus K-T1 and K-T2.
    assert (flow["O-C2"]["received"], flow["O-C2"]["absorbed"]) == (3, 2)


def test_top_lists_follow_settings(diagnosed):
    model, store, _ = diagnosed
    result = diagnose(model, store, Settings(top_n=1), only={"backflow"})
    assert [r["org"] for r in result["metrics"]["top_pushers"]] == ["O-C1"]
    assert len(result["metrics"]["top_absorbers"]) == 1


# --- the named queries -----------------------------------------------------------------------


def test_backflow_queries_have_full_headers():
    queries = {q.name: q for q in list_queries() if q.name.startswith("backflow/")}
    assert {f"backflow/{c}" for c in BACKFLOW_CHECKS} <= set(queries)
    assert {"backflow/task_route", "backflow/tasks_handled_by", "backflow/open_tasks"} <= set(
        queries)
    for name, query in queries.items():
        assert " — " in query.summary, name
        assert query.why, name
        assert query.returns, name
    for check in BACKFLOW_CHECKS:
        query = get_query(f"backflow/{check}")
        assert query.returns[0] == "subject"
        for banned in ("type(", "CALL {", "reduce(", "[x IN"):
            assert banned not in query.text


def test_backflow_queries_run_on_a_store_never_diagnosed(tiny_store):
    params = {"backflow/backflow_path": {"min_rank_order": 2, "assignee_kinds": ["x"],
                                         "handler_kinds": ["x"]},
              "backflow/misplaced_responsibility": {"assignee_kinds": ["x"],
                                                    "platform_kinds": ["x"]},
              "backflow/no_feedback_channel": {"org_kinds": ["community_committee"],
                                               "platform_kind": "work_team"},
              "backflow/task_route": {"task_id": "K-1"},
              "backflow/tasks_handled_by": {"handler_id": "O-G11"}}
    for query in list_queries():
        if query.name.startswith("backflow/"):
            frame = run_query(tiny_store, query.name, **params.get(query.name, {}))
            assert list(frame.columns) == list(query.returns)
    # Route properties are declared in the schema, empty until the diagnosis writes them.
    assert run_query(tiny_store, "backflow/open_tasks").empty
    assert len(run_query(tiny_store, "backflow/task_route", task_id="K-1")) == 2
