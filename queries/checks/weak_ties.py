"""Question: weak_ties (placeholder registry; checks are added by the weak_ties work)."""

from queries.checks.base import Question

QUESTION = Question("weak_ties")
