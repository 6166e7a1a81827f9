// name: coverage/member_without_org
// summary: 没有组织关系的党员(游离党员) — members whose organization is empty, unknown or a mass organization
// why: 游离于组织之外的党员无法参加组织生活，也无法被动员。
// why: Members outside any organization take part in no organized party life and cannot be mobilized.
// why: A member whose organization is a mass organization (业委会, 居民小组 ...) has no party organization (DOMAIN.md rule 10).
// params: none
// returns: subject, org_id, residence_id, status
MATCH (m:Member)
OPTIONAL MATCH (m)-[:MEMBER_OF]->(o:Organization)
WHERE o.category <> 'mass'
WITH m, count(o) AS party_orgs
WHERE party_orgs = 0
RETURN m.id AS subject, m.org_id AS org_id, m.residence_id AS residence_id, m.status AS status
ORDER BY subject
