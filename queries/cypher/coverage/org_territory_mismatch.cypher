// name: coverage/org_territory_mismatch
// summary: 隶属关系与区域不一致的党组织 — organizations whose superior does not cover a territory containing their own
// why: 党的组织链应与区域链平行：网格党支部应隶属于包含该网格的社区党委，隶属到别的社区就形成“两张皮”。
// why: The party chain should run parallel to the territorial one; reporting into another community's committee splits responsibility from territory.
// why: The superior may be any organization that covers a territory: a chain organization reporting to a business area's committee, a unit's party organization or a mass organization is checked the same way (those superiors are exempt from the level check, not from this one); a superior that covers no territory cannot be checked.
// why: One finding, one report (DOMAIN.md rule 4): an organization whose superior sits higher up its own territory chain (a grid branch reporting to its own street) is org_skips_level only, and one that is its own parent is org_unreachable only; unit organizations and business-area committees are not checked here (they still must reach the city committee).
// why: A territory whose containing territory is unknown (no or a dangling parent_id, a warning at load) cannot be checked, so it is left out.
// params: none
// returns: subject, name, kind, territory_id, superior_id, superior_territory_id
MATCH (o:Organization)-[:REPORTS_TO]->(p:Organization),
      (o)-[:COVERS]->(t:Territory),
      (p)-[:COVERS]->(pt:Territory)
WHERE o.category = 'chain' AND o.id <> p.id
  AND EXISTS { MATCH (t)-[:PART_OF]->(:Territory) }
  AND NOT EXISTS { MATCH (t)-[:PART_OF*1..8]->(pt) }
RETURN o.id AS subject, o.name AS name, o.kind AS kind, t.id AS territory_id,
       p.id AS superior_id, pt.id AS superior_territory_id
ORDER BY subject
