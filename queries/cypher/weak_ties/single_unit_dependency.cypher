// name: weak_ties/single_unit_dependency
// summary: 共驻共建支持全部来自同一个单位的社区 — communities whose co-building support all comes from one unit
// why: 社区的关系和到位资源只靠一个单位，这个单位一旦撤出或调整，社区的共建支持就整体断档，结构脆弱。
// why: When every tie and every delivered resource of a community comes from one unit, the community's support hangs on that unit alone.
// why: Support = co-building, dual-reporting and responsible-unit ties plus resources delivered to the community (a resource the community gives a unit is not support of it); a tie or a resource to anything inside the community (its committee, a grid, a compound, their organizations) counts for the community (DOMAIN.md rules 2 and 3), a unit's own party organization as its unit; platforms are not support (rule 13): a community backed by one unit plus platforms depends on that unit. Communities with no support at all are coverage/community_without_cobuilding_unit.
// why: Inside a community are the territories below it, down to two levels (a grid, a compound, a compound in a grid), and the organizations covering them; at the community's own level only its committee (the chain organization of its level) stands for it. One hop per clause: LadybugDB's variable-length paths repeat relationships.
// params: kinds, types
// returns: subject, name, kind, unit_id, unit_name, ties, resources
MATCH (c:Territory)
WHERE c.kind IN $kinds
OPTIONAL MATCH (c)<-[:COVERS*0..1]-(a)-[t1:TIE]-()-[:BELONGS_TO*0..1]->(u1:Unit)
WHERE t1.type IN $types AND (a.id = c.id OR (a.category = 'chain' AND a.level = c.level))
WITH c, collect(DISTINCT u1.id) AS units1, count(DISTINCT t1) AS ties1
OPTIONAL MATCH (c)<-[:PART_OF]-(:Territory)<-[:COVERS*0..1]-()-[t2:TIE]-()-[:BELONGS_TO*0..1]->(u2:Unit)
WHERE t2.type IN $types
WITH c, units1, ties1, collect(DISTINCT u2.id) AS units2, count(DISTINCT t2) AS ties2
OPTIONAL MATCH (c)<-[:PART_OF]-(g:Territory)
WITH c, units1, ties1, units2, ties2, g
OPTIONAL MATCH (g)<-[:PART_OF]-(:Territory)<-[:COVERS*0..1]-()-[t3:TIE]-()-[:BELONGS_TO*0..1]->(u3:Unit)
WHERE t3.type IN $types
WITH c, units1 + units2 AS tie_units, ties1 + ties2 AS ties, collect(DISTINCT u3.id) AS units3,
     count(DISTINCT t3) AS ties3
WITH c, tie_units + units3 AS tie_units, ties + ties3 AS ties
OPTIONAL MATCH (c)<-[:COVERS*0..1]-(a)<-[:RECEIVED_BY]-(r1:Resource)
               -[:PROVIDED_BY]->(s1)-[:BELONGS_TO*0..1]->(v1:Unit)
WHERE r1.delivered = true AND a.id <> s1.id
  AND (a.id = c.id OR (a.category = 'chain' AND a.level = c.level))
WITH c, tie_units, ties, collect(DISTINCT v1.id) AS given1, count(DISTINCT r1) AS res1
OPTIONAL MATCH (c)<-[:PART_OF]-(:Territory)<-[:COVERS*0..1]-(b)<-[:RECEIVED_BY]-(r2:Resource)
               -[:PROVIDED_BY]->(s2)-[:BELONGS_TO*0..1]->(v2:Unit)
WHERE r2.delivered = true AND b.id <> s2.id
WITH c, tie_units, ties, given1, res1, collect(DISTINCT v2.id) AS given2,
     count(DISTINCT r2) AS res2
OPTIONAL MATCH (c)<-[:PART_OF]-(g:Territory)
WITH c, tie_units, ties, given1 + given2 AS given, res1 + res2 AS res, g
OPTIONAL MATCH (g)<-[:PART_OF]-(:Territory)<-[:COVERS*0..1]-(d)<-[:RECEIVED_BY]-(r3:Resource)
               -[:PROVIDED_BY]->(s3)-[:BELONGS_TO*0..1]->(v3:Unit)
WHERE r3.delivered = true AND d.id <> s3.id
WITH c, tie_units, ties, given, res, collect(DISTINCT v3.id) AS given3,
     count(DISTINCT r3) AS res3
WITH c, ties, res + res3 AS resources, tie_units + given + given3 AS supporters
UNWIND supporters AS supporter
WITH c, ties, resources, collect(DISTINCT supporter) AS units
WHERE size(units) = 1
UNWIND units AS unit_id
MATCH (u:Unit {id: unit_id})
RETURN c.id AS subject, c.name AS name, c.kind AS kind, u.id AS unit_id, u.name AS unit_name,
       ties, resources
ORDER BY subject
