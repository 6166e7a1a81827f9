"""Question: backflow (placeholder registry; checks are added by the backflow work)."""

from queries.checks.base import Question

QUESTION = Question("backflow")
