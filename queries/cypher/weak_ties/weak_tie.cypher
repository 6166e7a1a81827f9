// name: weak_ties/weak_tie
// summary: 强度低于阈值的共驻共建、双报到、责任单位关系 — co-building, dual-reporting and responsible-unit ties scoring below the weak-tie threshold
// why: 只签协议、少开会、少活动、资源不到位、单位从不主动的“联谊性合作”是“假积极，真疏离”，社区得不到实际支持。
// why: A tie kept on paper only (few meetings or activities, no resources delivered, never initiated by the unit) gives the community no real support.
// why: Reads TIE.score and TIE.score_<part> written by the weak_ties preparation step (queries/algorithms/ties.py; weights and targets come from the settings file).
// params: threshold, types
// returns: subject, rid, source, target, type, score, score_meetings, score_activities, score_resources, score_duration, score_reciprocity, meetings_per_year, activities, resources_delivered, since, initiated_by, unit_end
MATCH (a)-[t:TIE]->(b)
WHERE t.type IN $types AND t.score IS NOT NULL AND t.score < $threshold
RETURN a.id + '->' + b.id AS subject, t.rid AS rid, a.id AS source, b.id AS target,
       t.type AS type, t.score AS score,
       t.score_meetings AS score_meetings, t.score_activities AS score_activities,
       t.score_resources AS score_resources, t.score_duration AS score_duration,
       t.score_reciprocity AS score_reciprocity,
       t.meetings_per_year AS meetings_per_year, t.activities AS activities,
       t.resources_delivered AS resources_delivered, t.since AS since,
       t.initiated_by AS initiated_by, t.unit_end AS unit_end
ORDER BY subject, rid
