// name: coverage/org_unreachable
// summary: 沿上级关系到达不了县市党委的党组织 — party organizations whose chain of superiors never reaches the city committee
// why: 组织隶属链断裂(上级缺失、上级编号无效或循环隶属)，上级的部署传不下来，下面的情况也报不上去。
// why: A broken chain (missing or dangling parent, or a cycle) cuts the organization off from direction and oversight.
// why: Cypher is the wrong tool for walking to the end of a chain that may loop, so the walk is done once in Python when the model is built (graphmodel.build): Organization.chain_status (ok, no_parent, dangling, cycle) and chain_path (the ids walked) are stored and read here.
// params: none
// returns: subject, name, kind, chain_status, path
MATCH (o:Organization)
WHERE o.category <> 'mass' AND o.chain_status <> 'ok'
RETURN o.id AS subject, o.name AS name, o.kind AS kind, o.chain_status AS chain_status,
       o.chain_path AS path
ORDER BY subject
