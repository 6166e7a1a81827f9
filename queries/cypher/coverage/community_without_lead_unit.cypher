// name: coverage/community_without_lead_unit
// summary: 有责任单位但没有牵头单位的社区 — communities with responsible units but no lead unit
// why: 多个责任单位没有牵头单位，就没有人统筹，容易互相推诿。
// why: Several responsible units with no lead unit means nobody coordinates them.
// why: A tie to a community committee counts as a tie to its community; only the committee (the chain organization of the community's level covering it) stands for the community.
// why: Only a unit is a responsible unit: a responsible_unit tie from a unit or from its own party organization (unit_org); one from a platform, a chain organization or anything else neither makes a community have responsible units nor gives it a lead unit.
// params: kinds
// returns: subject, name, kind, responsible_ties
MATCH (t:Territory)
WHERE t.kind IN $kinds
WITH t,
     COUNT { MATCH (:Unit)-[r:TIE]-(t) WHERE r.type = 'responsible_unit' } +
     COUNT { MATCH (u:Organization)-[r:TIE]-(t)
             WHERE r.type = 'responsible_unit' AND u.category = 'unit' } +
     COUNT { MATCH (:Unit)-[r:TIE]-(c:Organization)-[:COVERS]->(t)
             WHERE r.type = 'responsible_unit' AND c.category = 'chain' AND c.level = t.level } +
     COUNT { MATCH (u:Organization)-[r:TIE]-(c:Organization)-[:COVERS]->(t)
             WHERE r.type = 'responsible_unit' AND u.category = 'unit'
               AND c.category = 'chain' AND c.level = t.level } AS responsible_ties
WHERE responsible_ties > 0
  AND NOT EXISTS { MATCH (:Unit)-[r:TIE]-(t) WHERE r.type = 'responsible_unit' AND r.lead = true }
  AND NOT EXISTS {
    MATCH (u:Organization)-[r:TIE]-(t)
    WHERE r.type = 'responsible_unit' AND r.lead = true AND u.category = 'unit'
  }
  AND NOT EXISTS {
    MATCH (:Unit)-[r:TIE]-(c:Organization)-[:COVERS]->(t)
    WHERE r.type = 'responsible_unit' AND r.lead = true
      AND c.category = 'chain' AND c.level = t.level
  }
  AND NOT EXISTS {
    MATCH (u:Organization)-[r:TIE]-(c:Organization)-[:COVERS]->(t)
    WHERE r.type = 'responsible_unit' AND r.lead = true AND u.category = 'unit'
      AND c.category = 'chain' AND c.level = t.level
  }
RETURN t.id AS subject, t.name AS name, t.kind AS kind, responsible_ties
ORDER BY subject
