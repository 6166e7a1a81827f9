// name: backflow/no_feedback_channel
// summary: 缺乏纠偏机制：与任何工作专班都没有联系的街道、乡镇、社区或村党组织 — street, township, community or village organizations with no tie to any work team
// why: 工作专班是自下而上反馈问题、及时纠偏的渠道；没有它，不合理的任务和要求只能层层压下来，基层的意见上不去。
// why: The work team (工作专班) is the bottom-up channel through which problems reach the top and bad demands get corrected; without one, the organization has no way to push back.
// why: A tie counts in either direction, of any type; a tie of the organization's own territory counts too (DOMAIN.md: a tie to a community committee counts as a tie to its community, and the other way round). Convening a work team without a tie to it does not count.
// params: org_kinds, platform_kind
// returns: subject, name, kind, territory_id, platform_ties
MATCH (o:Organization)
WHERE o.kind IN $org_kinds
  AND NOT EXISTS { MATCH (o)-[:TIE]-(p:Platform) WHERE p.kind = $platform_kind }
  AND NOT EXISTS { MATCH (o)-[:COVERS]->(:Territory)-[:TIE]-(p:Platform)
                   WHERE p.kind = $platform_kind }
RETURN o.id AS subject, o.name AS name, o.kind AS kind, o.territory_id AS territory_id,
       COUNT { MATCH (o)-[:TIE]-(:Platform) } AS platform_ties
ORDER BY subject
