// name: weak_ties/low_attendance
// summary: 出勤率低于阈值的平台成员关系 — platform memberships whose attendance rate is below the attendance threshold
// why: 挂名参加联席会议、大党委等平台却很少到会，平台就只是“纸面上的协作”，议事协调落不了地。
// why: A member of a joint meeting or expanded committee that rarely attends makes the platform a coordination body on paper only.
// why: A membership with no attendance rate recorded is not judged. The loader reads attendance as a share: 0.45, 45 and 45% are all 0.45 (a number above 1 or ending in % is a percentage; 1 is 100%); the threshold is a share too (settings attendance_threshold, default 0.5), and a rate equal to it is not below it.
// params: threshold
// returns: subject, rid, source, target, attendance_rate
MATCH (a)-[t:TIE]->(b)
WHERE t.type = 'membership' AND t.attendance_rate IS NOT NULL
  AND t.attendance_rate < $threshold
RETURN a.id + '->' + b.id AS subject, t.rid AS rid, a.id AS source, b.id AS target,
       t.attendance_rate AS attendance_rate
ORDER BY subject, rid
