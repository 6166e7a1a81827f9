// name: coverage/unclaimed_unmanaged_compound
// summary: 无人认领的无人管理小区 — unmanaged compounds that no unit has claimed
// why: 无物业、无主管的老旧小区需要单位认领兜底，否则成为治理真空。
// why: A compound with no management needs a unit to claim it, or it is a governance vacuum.
// why: A claim tie to an organization covering the compound counts as a claim of the compound.
// params: none
// returns: subject, name, parent_id, households
MATCH (t:Territory)
WHERE t.kind = 'compound' AND t.managed = false
  AND NOT EXISTS { MATCH ()-[r:TIE]-(t) WHERE r.type = 'claim' }
  AND NOT EXISTS { MATCH ()-[r:TIE]-(:Organization)-[:COVERS]->(t) WHERE r.type = 'claim' }
RETURN t.id AS subject, t.name AS name, t.parent_id AS parent_id, t.households AS households
ORDER BY subject
