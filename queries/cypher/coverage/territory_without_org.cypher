// name: coverage/territory_without_org
// summary: 没有本级党组织覆盖的区域 — territories with no party organization of their level
// why: 街道、社区、网格、小区院落都应有本级党组织(五级组织链)，缺一级就是覆盖盲区。
// why: Every street/township, community/village, grid and compound needs the party organization of its level; a missing one is a coverage gap.
// params: kinds
// returns: subject, name, kind, level, parent_id
MATCH (t:Territory)
WHERE t.kind IN $kinds
  AND NOT EXISTS {
    MATCH (o:Organization)-[:COVERS]->(t)
    WHERE o.category = 'chain' AND o.level = t.level
  }
RETURN t.id AS subject, t.name AS name, t.kind AS kind, t.level AS level, t.parent_id AS parent_id
ORDER BY subject
