// name: coverage/community_without_cobuilding_unit
// summary: 没有共驻共建或双报到单位的社区 — communities with no co-building or dual-reporting unit
// why: 社区资源有限，需要驻区单位共驻共建；一个单位也没有，社区只能单打独斗。
// why: Communities rely on units stationed nearby for resources; with none, the community works alone.
// why: A tie to a community committee counts as a tie to its community, and a unit's own party organization stands for its unit.
// why: Only the community's committee (the chain organization of its level covering it) stands for the community: a tie to its residents' group, youth league or another mass organization is not a tie to the community.
// params: kinds, types
// returns: subject, name, kind, parent_id
MATCH (t:Territory)
WHERE t.kind IN $kinds
  AND NOT EXISTS { MATCH (:Unit)-[r:TIE]-(t) WHERE r.type IN $types }
  AND NOT EXISTS {
    MATCH (:Unit)-[r:TIE]-(c:Organization)-[:COVERS]->(t)
    WHERE r.type IN $types AND c.category = 'chain' AND c.level = t.level
  }
  AND NOT EXISTS { MATCH (u:Organization)-[r:TIE]-(t) WHERE r.type IN $types AND u.category = 'unit' }
  AND NOT EXISTS {
    MATCH (u:Organization)-[r:TIE]-(c:Organization)-[:COVERS]->(t)
    WHERE r.type IN $types AND u.category = 'unit' AND c.category = 'chain' AND c.level = t.level
  }
RETURN t.id AS subject, t.name AS name, t.kind AS kind, t.parent_id AS parent_id
ORDER BY subject
