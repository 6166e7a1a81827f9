// name: coverage/unit_without_org
// summary: 有3名以上正式党员但未建党组织的单位 — units with 3+ formal members and no party organization
// why: 党章规定凡有正式党员三人以上的单位都应成立党的基层组织。
// why: The Party Constitution requires a party organization wherever there are three or more formal members.
// params: min_members
// returns: subject, name, kind, formal_members, territory_id
MATCH (u:Unit)
WHERE u.formal_members >= $min_members
  AND NOT EXISTS {
    MATCH (o:Organization)-[:BELONGS_TO]->(u) WHERE o.category <> 'mass'
  }
RETURN u.id AS subject, u.name AS name, u.kind AS kind, u.formal_members AS formal_members,
       u.territory_id AS territory_id
ORDER BY subject
