"""What screening takes and gives back: a query, features, comparisons and matches.

Every score explains itself: a :class:`Match` and a :class:`Comparison` carry
the :class:`Feature` values behind their score (score = the clamped sum of
``value * weight``) and a few plain sentences a compliance officer can read,
as yente returns nomenklatura's features with each result.
"""

from __future__ import annotations

from dataclasses import dataclass

from armswatch.model import ListEntry


@dataclass(frozen=True)
class Query:
    """A party to screen: a name, and what else is known about it.

    ``schema`` is a FollowTheMoney schema (``Person``, ``Company``,
    ``Organization``, ``LegalEntity``, ``Vessel``, ``Aircraft``); ``country``
    an ISO 3166-1 alpha-2 code; ``birth_date`` an ISO date at any precision
    (``1964``, ``1964-08-17``); ``identifiers`` values such as an IMO or
    passport number.
    """

    name: str
    schema: str | None = None
    country: str | None = None
    birth_date: str | None = None
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feature:
    """One piece of evidence: ``value`` in [0, 1] times ``weight`` adds to the score."""

    name: str
    value: float
    weight: float
    detail: str

    @property
    def contribution(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class Comparison:
    """Two names compared: the score, whether it reaches the threshold, and why."""

    score: float
    match: bool
    features: tuple[Feature, ...]
    explanation: str


@dataclass(frozen=True)
class Match:
    """A listed party a query may be, with the name that matched and why."""

    entry: ListEntry
    score: float
    matched_name: str
    features: tuple[Feature, ...]
    explanation: str


def total(features: tuple[Feature, ...] | list[Feature]) -> float:
    """The score the features add up to, clamped to [0, 1]."""
    return min(1.0, max(0.0, sum(f.contribution for f in features)))
