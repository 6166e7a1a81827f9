// name: coverage/community_without_lead_unit
// summary: 有责任单位但没有牵头单位的社区 — communities with responsible units but no lead unit
// why: 多个责任单位没有牵头单位，就没有人统筹，容易互相推诿。
// why: Several responsible units with no lead unit means nobody coordinates them.
// why: A tie to a community committee counts as a tie to its community; only the committee (the chain organization of the community's level covering it) stands for the community.
// why: Only a unit is a responsible unit: a responsible_unit tie from a unit or from its own party organization (unit_org); one from a platform, a chain organization or anything else neither makes a community have responsible units nor gives it a lead unit.
// why: Written as OPTIONAL MATCH + count rather than COUNT { } / NOT EXISTS { } subqueries: on LadybugDB 0.22 those counted a tie for a community that has none once the query ran over a province's 2,000 communities (measured).
// params: kinds
// returns: subject, name, kind, responsible_ties
MATCH (t:Territory)
WHERE t.kind IN $kinds
OPTIONAL MATCH (:Unit)-[r1:TIE]-(t)
WHERE r1.type = 'responsible_unit'
WITH t, collect(r1.lead) AS leads1, count(r1) AS ties1
OPTIONAL MATCH (u2:Organization)-[r2:TIE]-(t)
WHERE r2.type = 'responsible_unit' AND u2.category = 'unit'
WITH t, leads1, ties1, collect(r2.lead) AS leads2, count(r2) AS ties2
OPTIONAL MATCH (:Unit)-[r3:TIE]-(c3:Organization)-[:COVERS]->(t)
WHERE r3.type = 'responsible_unit' AND c3.category = 'chain' AND c3.level = t.level
WITH t, leads1, ties1, leads2, ties2, collect(r3.lead) AS leads3, count(r3) AS ties3
OPTIONAL MATCH (u4:Organization)-[r4:TIE]-(c4:Organization)-[:COVERS]->(t)
WHERE r4.type = 'responsible_unit' AND u4.category = 'unit'
  AND c4.category = 'chain' AND c4.level = t.level
WITH t, leads1, ties1, leads2, ties2, leads3, ties3, collect(r4.lead) AS leads4,
     count(r4) AS ties4
WITH t, leads1 + leads2 + leads3 + leads4 AS leads, ties1 + ties2 + ties3 + ties4 AS responsible_ties
WHERE responsible_ties > 0 AND NOT (true IN leads)
RETURN t.id AS subject, t.name AS name, t.kind AS kind, responsible_ties
ORDER BY subject
