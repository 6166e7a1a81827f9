// name: weak_ties/cadre_low_contact
// summary: 没有出现在任何任务流转中的下沉干部 — sent-down cadres who appear in no task step
// why: 下沉干部进了尖刀班或社区，却从未接手、转办或办结任何事项，说明与群众联系少，下沉流于形式。
// why: A cadre sent down to a community who never sends, receives or handles a task has little contact with residents: the posting exists on paper only.
// why: A task step counts when the member is its from_id or its to_id (a handle step is stored from the handler to the task); steps whose other end did not resolve were not stored, so the diagnosis also drops cadres named in any task_steps row.
// params: none
// returns: subject, sent_to_id, org_id
MATCH (m:Member)
WHERE m.sent_to_id IS NOT NULL
  AND NOT EXISTS { MATCH (m)-[:STEP]-() }
RETURN m.id AS subject, m.sent_to_id AS sent_to_id, m.org_id AS org_id
ORDER BY subject
