// name: coverage/community_without_lead_unit
// summary: 有责任单位但没有牵头单位的社区 — communities with responsible units but no lead unit
// why: 多个责任单位没有牵头单位，就没有人统筹，容易互相推诿。
// why: Several responsible units with no lead unit means nobody coordinates them.
// why: The responsible units of a community are read as its co-building units are (DOMAIN.md rule 2): responsible_unit ties to the community, its committee, or anything inside it. Only a unit is a responsible unit: a tie from a unit or from its own party organization (unit_org, rule 13); one from a platform, a chain organization or anything else neither makes a community have responsible units nor gives it a lead unit. A blank lead is not a lead (rule 6).
// why: Inside a community are the territories below it, down to two levels (a grid, a compound, a compound in a grid: the chain has two levels below the community), and the organizations covering them; at the community's own level only its committee (the chain organization of its level covering it) stands for it, not a residents' group or another mass organization covering the community.
// why: Written as OPTIONAL MATCH + count rather than COUNT { } / NOT EXISTS { } subqueries: on LadybugDB 0.22 those counted a tie for a community that has none once the query ran over a province's 2,000 communities (measured).
// why: Every node of a pattern is labelled (label alternations such as (:Unit|Organization) are portable to Neo4j 5): on LadybugDB an unlabelled node next to a variable-length hop scans every node table (the first clause is four times faster at city scale).
// why: Not read from the ties up (each tie walked up to its communities with a named path and is_trail): that was faster, but on LadybugDB 0.22 the grouping after is_trail collapsed the communities into one row (measured at city and province scale).
// params: kinds
// returns: subject, name, kind, responsible_ties
MATCH (t:Territory)
WHERE t.kind IN $kinds
OPTIONAL MATCH (t)<-[:COVERS*0..1]-(a:Territory|Organization)-[r1:TIE]-(:Unit|Organization)-[:BELONGS_TO*0..1]->(:Unit)
WHERE r1.type = 'responsible_unit' AND (a.id = t.id OR (a.category = 'chain' AND a.level = t.level))
WITH t, collect(r1.lead) AS leads1, count(r1) AS ties1
OPTIONAL MATCH (t)<-[:PART_OF]-(:Territory)<-[:COVERS*0..1]-(:Territory|Organization)-[r2:TIE]-(:Unit|Organization)-[:BELONGS_TO*0..1]->(:Unit)
WHERE r2.type = 'responsible_unit'
WITH t, leads1, ties1, collect(r2.lead) AS leads2, count(r2) AS ties2
OPTIONAL MATCH (t)<-[:PART_OF]-(g:Territory)
WITH t, leads1, ties1, leads2, ties2, g
OPTIONAL MATCH (g)<-[:PART_OF]-(:Territory)<-[:COVERS*0..1]-(:Territory|Organization)-[r3:TIE]-(:Unit|Organization)-[:BELONGS_TO*0..1]->(:Unit)
WHERE r3.type = 'responsible_unit'
WITH t, leads1, ties1, leads2, ties2, collect(r3.lead) AS leads3, count(r3) AS ties3
WITH t, leads1 + leads2 + leads3 AS leads, ties1 + ties2 + ties3 AS responsible_ties
WHERE responsible_ties > 0 AND NOT (true IN leads)
RETURN t.id AS subject, t.name AS name, t.kind AS kind, responsible_ties
ORDER BY subject
