// name: backflow/open_tasks
// summary: 尚未办结的任务及当前经手方 — open tasks and who holds them now
// why: 没有办结的事项压在谁手里、已经转了几手。
// why: Which tasks are still open, who holds them now, and how many hands they passed through.
// why: Reads Task.status, Task.current_holder_id and the route computed by the backflow diagnosis; a task without any step is open at its assignee.
// params: none
// returns: task_id, title, kind, assignee_id, holder_id, route, route_length, hops
MATCH (t:Task)
WHERE t.status = 'open'
RETURN t.id AS task_id, t.title AS title, t.kind AS kind, t.assigned_to_id AS assignee_id,
       t.current_holder_id AS holder_id, t.route AS route, t.route_length AS route_length,
       t.hops AS hops
ORDER BY task_id
