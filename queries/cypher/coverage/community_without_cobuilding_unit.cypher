// name: coverage/community_without_cobuilding_unit
// summary: 没有任何共建单位（共驻共建、双报到或责任单位）的社区 — communities with no unit tied to them by a co-building, dual-reporting or responsible-unit tie
// why: 社区资源有限，需要驻区单位共驻共建；一个单位也没有，社区只能单打独斗。
// why: Communities rely on units stationed nearby for resources; with none, the community works alone.
// why: DOMAIN.md rule 2: the co-building units of a community are the units tied to it by co_building, dual_reporting or responsible_unit, directly, through its committee, or through any territory or organization inside it; a community whose only units are responsible units has co-building units. A unit's own party organization stands for its unit (rule 13); a platform is not a unit.
// why: Inside a community are the territories below it, down to two levels (a grid, a compound, a compound in a grid: the chain has two levels below the community), and the organizations covering them; at the community's own level only its committee (the chain organization of its level covering it) stands for it, not a residents' group or another mass organization covering the community.
// why: Read from the ties up: each tie to a unit (or to its own party organization) is walked up to the communities it counts for (the territory it reaches, or the one an organization covers, then up to two levels up; at the community itself only its committee counts). Ties are few and each climbs at most three hops, where walking down from every community through every compound was three times slower at province scale.
// why: Every node is labelled (label alternations such as (:Unit|Organization) are portable to Neo4j 5): an unlabelled node next to a variable-length hop scans every node table on LadybugDB. Plain MATCH, not OPTIONAL MATCH, starts the query: on LadybugDB 0.22 a leading OPTIONAL MATCH followed by another lost most of the communities a tie supports (measured at city scale); an aggregation over no rows still gives one row, so a city without ties lists every community. Not NOT EXISTS { } subqueries: on LadybugDB 0.22 they counted a tie a community does not have at province scale (CYPHER.md).
// params: kinds, types
// returns: subject, name, kind, parent_id
MATCH (x:Territory|Organization)-[r:TIE]-(:Unit|Organization)-[:BELONGS_TO*0..1]->(:Unit)
WHERE r.type IN $types
MATCH (x)-[:COVERS*0..1]->(z:Territory)-[:PART_OF*0..2]->(c:Territory)
WHERE c.kind IN $kinds AND (x.id = z.id OR z.id <> c.id OR (x.category = 'chain' AND x.level = z.level))
WITH collect(DISTINCT c.id) AS supported
MATCH (t:Territory)
WHERE t.kind IN $kinds AND NOT t.id IN supported
RETURN t.id AS subject, t.name AS name, t.kind AS kind, t.parent_id AS parent_id
ORDER BY subject
