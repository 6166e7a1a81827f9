"""Where a finding belongs: its street and its community (DOMAIN.md, rule 12).

Every count of findings by place — the terminal's worst streets, the report, the city and
street pages, the worklists — calls :func:`place_of` (or :func:`count_by_place`), so the
numbers of one street agree everywhere.

The rule: a finding belongs to the street and the community that contain its subject. For a
tie (``SOURCE->TARGET``): its community end (the end that lies inside a community; else an end
that lies in a street, the target first). For a task: its assignee's. For a member: the
territory of the member's organization, else the residence. For a territory, an
organization, a unit or a platform: the territory it sits in (:meth:`ModelIndex.home`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphmodel.index import ModelIndex
from graphmodel.schema import Entity

__all__ = ["Place", "PlaceCounts", "count_by_place", "place_of", "subject_territory"]


@dataclass(frozen=True)
class Place:
    """The street (or township) and the community (or village) a finding belongs to; None
    where its subject lies in none (a city-level unit, an unknown id)."""

    street_id: str | None
    community_id: str | None


NOWHERE = Place(None, None)


def subject_territory(finding: Mapping[str, Any], index: ModelIndex) -> str | None:
    """The territory that decides a finding's place (see the module docstring)."""
    subject = str(finding.get("subject", ""))
    if "->" in subject:
        ends = subject.split("->")
        homes = [_territory(end, index) for end in reversed(ends)]  # target first
        for home in homes:
            if index.community_of_territory(home) is not None:
                return home
        for home in homes:
            if index.street_of_territory(home) is not None:
                return home
        return next((h for h in homes if h is not None), None)
    return _territory(subject, index)


def _territory(entity_id: str, index: ModelIndex) -> str | None:
    entity = index.model.entity_of.get(entity_id)
    if entity == Entity.TASK:
        assignee = index.task_assignees().get(entity_id)
        return _territory(assignee, index) if assignee and assignee != entity_id else None
    if entity == Entity.MEMBER:
        org, residence = index.member_refs().get(entity_id, (None, None))
        home = index.home(org) if org and index.model.entity_of.get(org) == Entity.ORGANIZATION \
            else None
        if home is None and residence is not None:
            home = index.home(residence)
        return home
    return index.home(entity_id)


def place_of(finding: Mapping[str, Any], index: ModelIndex) -> Place:
    """The street and community a finding belongs to (DOMAIN.md, rule 12).

    Parameters
    ----------
    finding
        A finding as in the findings JSON (only ``subject`` is read).
    index
        :func:`graphmodel.index.model_index` of the diagnosed model.

    Returns
    -------
    Place
        ``street_id`` and ``community_id``, each None where there is none.
    """
    territory = subject_territory(finding, index)
    if territory is None:
        return NOWHERE
    return Place(index.street_of_territory(territory), index.community_of_territory(territory))


@dataclass
class PlaceCounts:
    """Findings counted by place: totals and high-severity counts per street and per
    community, and how many findings belong to no street."""

    by_street: Counter = field(default_factory=Counter)
    high_by_street: Counter = field(default_factory=Counter)
    by_community: Counter = field(default_factory=Counter)
    high_by_community: Counter = field(default_factory=Counter)
    nowhere: int = 0


def count_by_place(findings: Iterable[Mapping[str, Any]], index: ModelIndex) -> PlaceCounts:
    """Count findings per street and per community with :func:`place_of`.

    Parameters
    ----------
    findings
        Findings as in the findings JSON (``subject`` and ``severity`` are read).
    index
        :func:`graphmodel.index.model_index` of the diagnosed model.

    Returns
    -------
    PlaceCounts
        The per-street sums equal the number of findings less ``nowhere``.
    """
    out = PlaceCounts()
    for finding in findings:
        place = place_of(finding, index)
        high = finding.get("severity") == "high"
        if place.street_id is None:
            out.nowhere += 1
        else:
            out.by_street[place.street_id] += 1
            out.high_by_street[place.street_id] += high
        if place.community_id is not None:
            out.by_community[place.community_id] += 1
            out.high_by_community[place.community_id] += high
    return out
