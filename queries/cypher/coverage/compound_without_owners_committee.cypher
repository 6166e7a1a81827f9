// name: coverage/compound_without_owners_committee
// summary: 没有业委会的小区院落 — compounds with no owners' committee
// why: 目标是每个小区院落“院落党小组 + 业委会”，缺业委会则党组织无从领导居民自治。
// why: The target is "compound group + owners' committee" in every compound; without the committee the party group has no self-governing body to lead.
// params: none
// returns: subject, name, parent_id, party_groups
MATCH (t:Territory)
WHERE t.kind = 'compound'
  AND NOT EXISTS {
    MATCH (o:Organization)-[:COVERS]->(t) WHERE o.kind = 'owners_committee'
  }
RETURN t.id AS subject, t.name AS name, t.parent_id AS parent_id,
       COUNT { MATCH (g:Organization)-[:COVERS]->(t) WHERE g.kind = 'compound_group' } AS party_groups
ORDER BY subject
