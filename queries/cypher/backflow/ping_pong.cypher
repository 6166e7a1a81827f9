// name: backflow/ping_pong
// summary: 推诿：任务在同两方之间往返两次以上，或在三方及以上之间绕圈流转 — tasks that bounce: two round trips between the same two parties, or a cycle of three or more
// why: 事项在部门之间踢来踢去，群众的事就没人真正负责；一次退回是正常的，反复退回、绕圈转办才是推诿扯皮。
// why: A task kicked back and forth or around a circle has nobody owning it; a single return is normal, repeated ones are buck-passing.
// why: Cypher is the wrong tool for this: ordering the steps and finding round trips and cycles on a walk needs its history, so it is done in Python (queries.algorithms.routes.find_bounce) and stored as Task.ping_pong_pattern and Task.ping_pong_path (the bouncing part of Task.route; an empty list when the task does not bounce), read here.
// params: none
// returns: subject, title, pattern, path, route, route_length, status, assignee_id
MATCH (t:Task)
WHERE size(t.ping_pong_path) > 0
RETURN t.id AS subject, t.title AS title, t.ping_pong_pattern AS pattern,
       t.ping_pong_path AS path, t.route AS route, t.route_length AS route_length,
       t.status AS status, t.assigned_to_id AS assignee_id
ORDER BY subject
