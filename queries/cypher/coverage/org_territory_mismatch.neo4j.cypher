// name: coverage/org_territory_mismatch (Neo4j)
// why: The LadybugDB text with its one MATCH clause split in three, nothing else changed (tests/queries/test_neo4j_traps.py checks that): Neo4j never binds one relationship twice within a MATCH clause, LadybugDB does. In one clause an organization reporting to itself (a cycle of one) that covers one territory matches on LadybugDB, its COVERS relationship bound for both the organization and its superior, and not on Neo4j; separate clauses give LadybugDB's answer on both.
// params: none
MATCH (o:Organization)-[:REPORTS_TO]->(p:Organization)
MATCH (o)-[:COVERS]->(t:Territory)
MATCH (p)-[:COVERS]->(pt:Territory)
WHERE o.category = 'chain' AND o.id <> p.id
  AND EXISTS { MATCH (t)-[:PART_OF]->(:Territory) }
  AND NOT EXISTS { MATCH (t)-[:PART_OF*1..8]->(pt) }
RETURN o.id AS subject, o.name AS name, o.kind AS kind, t.id AS territory_id,
       p.id AS superior_id, pt.id AS superior_territory_id
ORDER BY subject
