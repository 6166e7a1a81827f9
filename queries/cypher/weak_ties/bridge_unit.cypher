// name: weak_ties/bridge_unit
// summary: 共驻共建网络中唯一的连接点（去掉后网络分裂成几块各有社区的部分）— units and platforms that are the only link between groups of communities
// why: 几组社区之间只靠一个单位或平台连着，它一退出，社区之间的共建联系就断了，结构脆弱。
// why: If one unit or platform is the only link between groups of communities, the network falls apart without it.
// why: Articulation points need a depth-first search over the whole network, which the Cypher both LadybugDB and Neo4j run cannot express (no procedures, no graph algorithms), so this is the wrong tool for finding them: the weak_ties preparation step computes them in Python (queries/algorithms/structure.py, cobuilding_articulation_units, on the network of queries/algorithms/cobuilding.py) and writes is_bridge_unit, bridge_groups (number of parts with a community) and bridge_parts (each part's communities, comma-separated) on Unit and Platform; this query reads them.
// params: none
// returns: subject, name, kind, bridge_groups, bridge_parts, degree, betweenness
MATCH (n:Unit|Platform)
WHERE n.is_bridge_unit = true
RETURN n.id AS subject, n.name AS name, n.kind AS kind, n.bridge_groups AS bridge_groups,
       n.bridge_parts AS bridge_parts, n.degree AS degree, n.betweenness AS betweenness
ORDER BY subject
