// name: coverage/member_without_org
// summary: 没有组织关系的党员(游离党员) — members whose organization is empty or unknown
// why: 游离于组织之外的党员无法参加组织生活，也无法被动员。
// why: Members outside any organization take part in no organized party life and cannot be mobilized.
// params: none
// returns: subject, org_id, residence_id, status
MATCH (m:Member)
WHERE NOT EXISTS { MATCH (m)-[:MEMBER_OF]->(:Organization) }
RETURN m.id AS subject, m.org_id AS org_id, m.residence_id AS residence_id, m.status AS status
ORDER BY subject
