// name: coverage/org_skips_level
// summary: 越级隶属的党组织 — chain organizations whose superior is more than one level above
// why: 网格党支部直接隶属街道党工委等越级情况，使中间层级(社区党委)失去抓手。
// why: Skipping a level (a grid branch reporting straight to a street) leaves the level in between without a hold on it.
// params: none
// returns: subject, name, kind, level, superior_id, superior_kind, superior_level
MATCH (o:Organization)-[:REPORTS_TO]->(p:Organization)
WHERE o.category = 'chain' AND p.category = 'chain' AND p.level < o.level - 1
RETURN o.id AS subject, o.name AS name, o.kind AS kind, o.level AS level,
       p.id AS superior_id, p.kind AS superior_kind, p.level AS superior_level
ORDER BY subject
