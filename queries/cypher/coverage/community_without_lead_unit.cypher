// name: coverage/community_without_lead_unit
// summary: 有责任单位但没有牵头单位的社区 — communities with responsible units but no lead unit
// why: 多个责任单位没有牵头单位，就没有人统筹，容易互相推诿。
// why: Several responsible units with no lead unit means nobody coordinates them.
// why: A tie to a community committee counts as a tie to its community.
// params: kinds
// returns: subject, name, kind, responsible_ties
MATCH (t:Territory)
WHERE t.kind IN $kinds
WITH t,
     COUNT { MATCH (x)-[r:TIE]-(t) WHERE r.type = 'responsible_unit' } +
     COUNT { MATCH (x)-[r:TIE]-(:Organization)-[:COVERS]->(t) WHERE r.type = 'responsible_unit' }
       AS responsible_ties,
     COUNT { MATCH (x)-[r:TIE]-(t) WHERE r.type = 'responsible_unit' AND r.lead = true } +
     COUNT { MATCH (x)-[r:TIE]-(:Organization)-[:COVERS]->(t)
             WHERE r.type = 'responsible_unit' AND r.lead = true } AS lead_ties
WHERE responsible_ties > 0 AND lead_ties = 0
RETURN t.id AS subject, t.name AS name, t.kind AS kind, responsible_ties
ORDER BY subject
