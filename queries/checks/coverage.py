"""Question 1: coverage gaps (覆盖盲区)."""

from queries.checks.base import Question

QUESTION = Question("coverage")
