// name: coverage/community_without_lead_unit
// summary: 有责任单位但没有牵头单位的社区 — communities with responsible units but no lead unit
// why: 多个责任单位没有牵头单位，就没有人统筹，容易互相推诿。
// why: Several responsible units with no lead unit means nobody coordinates them.
// why: The responsible units of a community are read as its co-building units are (DOMAIN.md rule 2): responsible_unit ties to the community, its committee, or anything inside it. Only a unit is a responsible unit: a tie from a unit or from its own party organization (unit_org, rule 13); one from a platform, a chain organization or anything else neither makes a community have responsible units nor gives it a lead unit. A blank lead is not a lead (rule 6).
// why: Inside a community are the territories below it, down to two levels (a grid, a compound, a compound in a grid: the chain has two levels below the community), and the organizations covering them; at the community's own level only its committee (the chain organization of its level covering it) stands for it, not a residents' group or another mass organization covering the community.
// why: Read from the ties up: each tie to a unit (or to its own party organization) is walked up to the communities it counts for (the territory it reaches, or the one an organization covers, then up to two levels up; at the community itself only its committee counts). Ties are few and each climbs at most three hops, where walking down from every community through every compound was three times slower at province scale.
// why: Every node is labelled (label alternations such as (:Unit|Organization) are portable to Neo4j 5): an unlabelled node next to a variable-length hop scans every node table on LadybugDB. Plain MATCH, not OPTIONAL MATCH, starts the query: on LadybugDB 0.22 a leading OPTIONAL MATCH followed by another lost most of the communities a tie supports (measured at city scale); an aggregation over no rows still gives one row, so a city without ties lists every community. Not NOT EXISTS { } subqueries: on LadybugDB 0.22 they counted a tie a community does not have at province scale (CYPHER.md).
// params: kinds
// returns: subject, name, kind, responsible_ties
MATCH (x:Territory|Organization)-[r:TIE]-(:Unit|Organization)-[:BELONGS_TO*0..1]->(:Unit)
WHERE r.type = 'responsible_unit'
MATCH (x)-[:COVERS*0..1]->(z:Territory)-[:PART_OF*0..2]->(t:Territory)
WHERE t.kind IN $kinds AND (x.id = z.id OR z.id <> t.id OR (x.category = 'chain' AND x.level = z.level))
WITH t, collect(r.lead) AS leads, count(r) AS responsible_ties
WHERE NOT (true IN leads)
RETURN t.id AS subject, t.name AS name, t.kind AS kind, responsible_ties
ORDER BY subject
