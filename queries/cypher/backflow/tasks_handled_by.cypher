// name: backflow/tasks_handled_by
// summary: 由某一方最终办结的任务及其来路 — the tasks a party finally handled, and where they came from
// why: 一个社区办结的事项里，有多少是上面交给别人、最后落到它头上的？
// why: Of the tasks a community closed, how many were assigned to someone else and ended up on its desk?
// why: Reads the HANDLED_BY relationship and the Task route properties computed by the backflow diagnosis.
// params: handler_id
// returns: task_id, title, kind, assignee_id, route_from_assignee, route_length, hops
MATCH (t:Task)-[:HANDLED_BY]->(h {id: $handler_id})
RETURN t.id AS task_id, t.title AS title, t.kind AS kind, t.assigned_to_id AS assignee_id,
       t.route_from_assignee AS route_from_assignee, t.route_length AS route_length,
       t.hops AS hops
ORDER BY task_id
