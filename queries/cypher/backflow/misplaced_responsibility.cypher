// name: backflow/misplaced_responsibility
// summary: 主体责任错位：交给社区或村党组织的任务由下沉干部或尖刀班办结 — tasks assigned to a community or village committee but handled by a sent-down cadre or a vanguard team
// why: 下沉干部和尖刀班是来帮忙的，不是来顶替的；事情都由他们办了，社区党组织的主体责任就虚化了，干部一撤问题又回来。
// why: Sent-down cadres and vanguard teams are there to help, not to replace the committee; when they do the committee's work, its own responsibility withers.
// why: The final handler comes from the task's ordered steps (Python, stored as HANDLED_BY and Task.status). A sent-down cadre is a member with sent_to_id set. A community or village territory as assignee counts as its committee (DOMAIN.md). Member names are never returned.
// params: assignee_kinds, platform_kinds
// returns: subject, title, assignee_id, assignee_name, assignee_kind, handler_id, handler_role, sent_to_id, path, route_length
MATCH (t:Task)-[:ASSIGNED_TO]->(a:Organization|Territory)
WHERE t.status = 'closed' AND a.kind IN $assignee_kinds
MATCH (t)-[:HANDLED_BY]->(h:Member|Platform)
WHERE h.sent_to_id IS NOT NULL OR h.kind IN $platform_kinds
RETURN t.id AS subject, t.title AS title, a.id AS assignee_id, a.name AS assignee_name,
       a.kind AS assignee_kind, h.id AS handler_id,
       CASE WHEN h.sent_to_id IS NOT NULL THEN 'sent_down_cadre' ELSE h.kind END AS handler_role,
       h.sent_to_id AS sent_to_id, t.route_from_assignee AS path, t.route_length AS route_length
ORDER BY subject
