// name: weak_ties/single_unit_dependency
// summary: 共驻共建支持全部来自同一个单位的社区 — communities whose co-building support all comes from one unit
// why: 社区的关系和到位资源只靠一个单位，这个单位一旦撤出或调整，社区的共建支持就整体断档，结构脆弱。
// why: When every tie and every delivered resource of a community comes from one unit, the community's support hangs on that unit alone.
// why: Support = co-building, dual-reporting and responsible-unit ties plus resources delivered to the community (a resource the community gives a unit is not support of it); a community's covering organization (its committee) counts as the community, a unit's own party organization as its unit. Communities with no support at all are coverage/community_without_cobuilding_unit.
// params: kinds, types
// returns: subject, name, kind, unit_id, unit_name, ties, resources
MATCH (c:Territory)
WHERE c.kind IN $kinds
OPTIONAL MATCH (c)<-[:COVERS*0..1]-()-[t:TIE]-()-[:BELONGS_TO*0..1]->(u:Unit)
WHERE t.type IN $types
WITH c, collect(DISTINCT u.id) AS tie_units, count(DISTINCT t) AS ties
OPTIONAL MATCH (c)<-[:COVERS*0..1]-(cs)<-[:RECEIVED_BY]-(r:Resource)
               -[:PROVIDED_BY]->(us)-[:BELONGS_TO*0..1]->(v:Unit)
WHERE r.delivered = true AND cs.id <> us.id
WITH c, ties, tie_units, collect(DISTINCT v.id) AS resource_units,
     count(DISTINCT r) AS resources
UNWIND tie_units + resource_units AS supporter
WITH c, ties, resources, collect(DISTINCT supporter) AS units
WHERE size(units) = 1
UNWIND units AS unit_id
MATCH (u:Unit {id: unit_id})
RETURN c.id AS subject, c.name AS name, c.kind AS kind, u.id AS unit_id, u.name AS unit_name,
       ties, resources
ORDER BY subject
