// name: backflow/task_route
// summary: 一个任务的流转步骤（按顺序） — the steps of one task, in order
// why: 看清一件事从谁手里转到谁手里、在哪里被退回、最后由谁办结。
// why: Follow a task from hand to hand: where it was passed on, sent back, and finally closed.
// why: Steps are ordered by step number, then time, then their row in the input (seq); missing values last. (Task.route is authoritative: there a step with no number but a time is placed by its time.) A handle step points to the Task itself, so its to_id is empty. Member names are never returned.
// params: task_id
// returns: step, at, action, from_id, from_kind, to_id, to_kind, seq
MATCH (a)-[s:STEP]->(b)
WHERE s.task_id = $task_id
RETURN s.step AS step, s.at AS at, s.action AS action, a.id AS from_id, a.kind AS from_kind,
       CASE WHEN s.action = 'handle' THEN NULL ELSE b.id END AS to_id,
       CASE WHEN s.action = 'handle' THEN NULL ELSE b.kind END AS to_kind, s.seq AS seq
ORDER BY step, at, seq
