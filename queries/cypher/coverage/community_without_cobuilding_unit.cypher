// name: coverage/community_without_cobuilding_unit
// summary: 没有任何共建单位（共驻共建、双报到或责任单位）的社区 — communities with no unit tied to them by a co-building, dual-reporting or responsible-unit tie
// why: 社区资源有限，需要驻区单位共驻共建；一个单位也没有，社区只能单打独斗。
// why: Communities rely on units stationed nearby for resources; with none, the community works alone.
// why: DOMAIN.md rule 2: the co-building units of a community are the units tied to it by co_building, dual_reporting or responsible_unit, directly, through its committee, or through any territory or organization inside it; a community whose only units are responsible units has co-building units. A unit's own party organization stands for its unit (rule 13); a platform is not a unit.
// why: Inside a community are the territories below it, down to two levels (a grid, a compound, a compound in a grid: the chain has two levels below the community), and the organizations covering them; at the community's own level only its committee (the chain organization of its level covering it) stands for it, not a residents' group or another mass organization covering the community.
// why: Written as OPTIONAL MATCH + count rather than NOT EXISTS { } subqueries: on LadybugDB 0.22 such subqueries counted a tie a community does not have at province scale (CYPHER.md); and as one hop per clause, since LadybugDB's variable-length paths repeat relationships.
// why: Every node of a pattern is labelled (label alternations such as (:Unit|Organization) are portable to Neo4j 5): on LadybugDB an unlabelled node next to a variable-length hop scans every node table (the first clause is four times faster at city scale).
// why: Not read from the ties up (each tie walked up to its communities with a named path and is_trail): that was faster, but on LadybugDB 0.22 the grouping after is_trail collapsed the communities into one row (measured at city and province scale).
// params: kinds, types
// returns: subject, name, kind, parent_id
MATCH (t:Territory)
WHERE t.kind IN $kinds
OPTIONAL MATCH (t)<-[:COVERS*0..1]-(a:Territory|Organization)-[r1:TIE]-(:Unit|Organization)-[:BELONGS_TO*0..1]->(:Unit)
WHERE r1.type IN $types AND (a.id = t.id OR (a.category = 'chain' AND a.level = t.level))
WITH t, count(r1) AS direct
OPTIONAL MATCH (t)<-[:PART_OF]-(:Territory)<-[:COVERS*0..1]-(:Territory|Organization)-[r2:TIE]-(:Unit|Organization)-[:BELONGS_TO*0..1]->(:Unit)
WHERE r2.type IN $types
WITH t, direct, count(r2) AS below
OPTIONAL MATCH (t)<-[:PART_OF]-(g:Territory)
WITH t, direct, below, g
OPTIONAL MATCH (g)<-[:PART_OF]-(:Territory)<-[:COVERS*0..1]-(:Territory|Organization)-[r3:TIE]-(:Unit|Organization)-[:BELONGS_TO*0..1]->(:Unit)
WHERE r3.type IN $types
WITH t, direct, below, count(r3) AS deeper
WHERE direct + below + deeper = 0
RETURN t.id AS subject, t.name AS name, t.kind AS kind, t.parent_id AS parent_id
ORDER BY subject
