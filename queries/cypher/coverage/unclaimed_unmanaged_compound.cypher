// name: coverage/unclaimed_unmanaged_compound
// summary: 无人认领的无人管理小区 — unmanaged compounds that no unit has claimed
// why: 无物业、无主管的老旧小区需要单位认领兜底，否则成为治理真空。
// why: A compound with no management needs a unit to claim it, or it is a governance vacuum.
// why: Only a unit claims: a claim tie from a unit or from its own party organization (unit_org), to the compound or to an organization covering it. A claim by a platform, a member or a chain organization does not count.
// params: none
// returns: subject, name, parent_id, households
MATCH (t:Territory)
WHERE t.kind = 'compound' AND t.managed = false
  AND NOT EXISTS { MATCH (:Unit)-[r:TIE]-(t) WHERE r.type = 'claim' }
  AND NOT EXISTS { MATCH (:Unit)-[r:TIE]-(:Organization)-[:COVERS]->(t) WHERE r.type = 'claim' }
  AND NOT EXISTS { MATCH (u:Organization)-[r:TIE]-(t) WHERE r.type = 'claim' AND u.category = 'unit' }
  AND NOT EXISTS {
    MATCH (u:Organization)-[r:TIE]-(:Organization)-[:COVERS]->(t)
    WHERE r.type = 'claim' AND u.category = 'unit'
  }
RETURN t.id AS subject, t.name AS name, t.parent_id AS parent_id, t.households AS households
ORDER BY subject
