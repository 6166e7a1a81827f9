// name: backflow/backflow_path
// summary: 责任回流：交给县级及以上单位、驻区职能部门或平台的任务，最终由街道、乡镇、社区或村党组织办结 — tasks assigned to a unit ranked county or above, a functional department or a platform, finally handled by a street, township, community or village organization
// why: “资源都在上面，责任都在下面”：上面接下的事项层层转办，最后落到有责无权的街道、社区头上，基层负担越来越重。
// why: Work assigned to those with rank and resources ends up done by grassroots organizations that have neither: the backflow of responsibility the field reports describe.
// why: Ordering the steps into a route is done in Python (queries.algorithms.routes) and stored: Task.status, Task.route_from_assignee (the path from the assignee to the handler) and the HANDLED_BY relationship to the final handler are read here. A handler given as a street, township, community or village territory counts as its organization (DOMAIN.md: a community and its committee are one party).
// why: The WITH between the two MATCH clauses is needed on LadybugDB 0.22: without it, at province scale (92k candidate tasks) the join lost half of the rows (measured: 5,898 of 12,000 planted backflows found).
// params: min_rank_order, assignee_kinds, handler_kinds
// returns: subject, title, assignee_id, assignee_name, assignee_kind, assignee_rank, handler_id, handler_name, handler_kind, path, route_length, hops
MATCH (t:Task)-[:ASSIGNED_TO]->(a:Unit|Platform)
WHERE t.status = 'closed' AND (a.rank_order >= $min_rank_order OR a.kind IN $assignee_kinds)
WITH t, a
MATCH (t)-[:HANDLED_BY]->(h:Organization|Territory)
WHERE h.kind IN $handler_kinds
RETURN t.id AS subject, t.title AS title, a.id AS assignee_id, a.name AS assignee_name,
       a.kind AS assignee_kind, a.admin_rank AS assignee_rank, h.id AS handler_id,
       h.name AS handler_name, h.kind AS handler_kind, t.route_from_assignee AS path,
       t.route_length AS route_length, t.hops AS hops
ORDER BY subject
