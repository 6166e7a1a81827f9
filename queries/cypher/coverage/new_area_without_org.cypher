// name: coverage/new_area_without_org
// summary: 有3名以上正式党员从业但无党组织覆盖的新业态区域 — business areas with 3+ formal members working there and no party organization
// why: 商圈、楼宇、园区等新业态区域党员分散，需要区域党组织兜底覆盖。
// why: Members in business districts, office towers and parks are scattered across small firms; the area needs its own party organization.
// why: Only the area's own party organization covers it: a unit's own organization inside the area does not, nor does a mass organization (DOMAIN.md rule 5).
// params: min_members
// returns: subject, name, formal_workers, parent_id
MATCH (t:Territory)
WHERE t.kind = 'business_area' AND t.formal_workers >= $min_members
  AND NOT EXISTS {
    MATCH (o:Organization)-[:COVERS]->(t) WHERE o.category <> 'mass' AND o.category <> 'unit'
  }
RETURN t.id AS subject, t.name AS name, t.formal_workers AS formal_workers, t.parent_id AS parent_id
ORDER BY subject
