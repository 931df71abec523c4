"""Consolidation: facts from many documents become events.

Facts are grouped by type and canonical core roles (states by ISO code,
others by resolved entity; a statement also by its kind and target). Within a
group, arms transfers are split by items: facts naming specific categories
join when they share one, and facts naming only "weapons" (or nothing) join
the largest such cluster. A cluster is then split where its dated reports are
further apart than the type's time window. Denials are grouped with the
assertions they deny, which is what makes an event *contradicted*.

This module is pure: :class:`FactRecord` in, :class:`Event` out; the store
reads the one and writes the other.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from armswatch.model import COOPERATION_STAGES, CORE_ROLES, SANCTION_STAGES, TRANSFER_STAGES

#: a gap longer than this (days) between reports splits an event
TIME_WINDOW_DAYS = {"arms_transfer": 365, "sanction": 90, "diplomatic_contact": 30,
                    "cooperation": 365, "statement": 30}
GENERIC_ITEMS = frozenset({"weapons"})
STATE_LEVEL_TYPES = frozenset({"arms_transfer", "sanction"})
_STAGE_RANK = {s: i for order in (TRANSFER_STAGES, SANCTION_STAGES, COOPERATION_STAGES)
               for i, s in enumerate(order)}
# sanctions: imposed outranks threatened; lifted is latest news but not "further"
_STAGE_RANK.update({"threatened": 0, "imposed": 1, "lifted": 2})


@dataclass(frozen=True)
class FactRecord:
    """A stored fact with what consolidation needs of its document."""

    id: str
    type: str
    factuality: str
    roles: dict[str, tuple[str, ...]]  # role -> resolved entity ids
    document_id: str
    story_id: str
    publisher: str
    published: str | None = None
    stage: str | None = None
    kind: str | None = None
    items: tuple[str, ...] = ()
    designations: tuple[str, ...] = ()
    quantities: tuple[str, ...] = ()
    event_date: str | None = None
    #: officials and state bodies among the parties, with the state they act for
    #: (entity id -> ISO code): in arms transfers and sanctions the state is the party
    acts_for: dict[str, str] = field(default_factory=dict)


@dataclass
class Event:
    """One happening as all the reporting tells it."""

    id: str
    type: str
    key_roles: dict[str, tuple[str, ...]]
    facts: list[FactRecord] = field(default_factory=list)

    @property
    def stage(self) -> str | None:
        for wanted in ("asserted", "possible", "negated"):
            stages = [f.stage for f in self.facts if f.factuality == wanted and f.stage]
            if stages:
                return max(stages, key=lambda s: _STAGE_RANK.get(s, -1))
        return None

    @property
    def kind(self) -> str | None:
        kinds = Counter(f.kind for f in self.facts if f.kind)
        return min(kinds, key=lambda k: (-kinds[k], k)) if kinds else None

    @property
    def factuality(self) -> dict[str, int]:
        counts = Counter(f.factuality for f in self.facts)
        return {k: counts.get(k, 0) for k in ("asserted", "possible", "negated")}

    @property
    def contradicted(self) -> bool:
        mix = self.factuality
        return mix["negated"] > 0 and (mix["asserted"] + mix["possible"]) > 0

    @property
    def status(self) -> str:
        mix = self.factuality
        if self.contradicted:
            return "contradicted"
        if mix["asserted"]:
            return "reported"
        return "possible" if mix["possible"] else "denied"

    @property
    def stage_history(self) -> list[dict[str, str | None]]:
        """Each stage reached (denials aside), with the date it was first reported."""
        first: dict[str, str | None] = {}
        for fact in sorted(self.facts, key=_order):  # dated reports first, undated last
            if fact.stage and fact.factuality != "negated" and fact.stage not in first:
                first[fact.stage] = fact.published
        ordered = sorted(first, key=lambda s: _STAGE_RANK.get(s, -1))
        return [{"stage": s, "first_reported": first[s]} for s in ordered]

    def to_row(self) -> dict[str, Any]:
        dates = sorted(f.published for f in self.facts if f.published)
        # the key's parties, then the other roles' (brokers) as reported
        roles = {(role, eid) for role, ids in self.key_roles.items() for eid in ids}
        roles |= {(role, eid) for f in self.facts for role, ids in f.roles.items()
                  if role not in self.key_roles for eid in ids}
        return {
            "id": self.id, "type": self.type, "stage": self.stage, "kind": self.kind,
            "status": self.status, "contradicted": self.contradicted,
            "items": _union(f.items for f in self.facts),
            "designations": _union(f.designations for f in self.facts),
            "quantities": _union(f.quantities for f in self.facts),
            "stage_history": self.stage_history, "factuality": self.factuality,
            "first_reported": dates[0] if dates else None,
            "last_reported": dates[-1] if dates else None,
            "event_dates": sorted({f.event_date for f in self.facts if f.event_date}),
            "documents": len({f.document_id for f in self.facts}),
            "stories": len({f.story_id for f in self.facts}),
            "sources": len({f.publisher.casefold() for f in self.facts}),
            "facts": len(self.facts),
            "roles": sorted(roles),
            "fact_ids": sorted(f.id for f in self.facts),
        }


def consolidate(records: Iterable[FactRecord]) -> list[Event]:
    """Events from facts; the same facts always give the same events and ids."""
    groups: dict[tuple[Any, ...], list[FactRecord]] = defaultdict(list)
    for record in records:
        groups[_key(record)].append(record)
    events: list[Event] = []
    for key, members in sorted(groups.items(), key=lambda kv: json.dumps(kv[0])):
        for cluster in _item_clusters(members):
            for part in _time_split(cluster, TIME_WINDOW_DAYS.get(key[0], 365)):
                anchor = min(part, key=_order)
                digest = hashlib.sha1(json.dumps([key, anchor.id]).encode()).hexdigest()
                events.append(Event(id=f"e-{digest[:16]}", type=key[0],
                                    key_roles=dict(key[1]), facts=sorted(part, key=_order)))
    return events


def _key(record: FactRecord) -> tuple[Any, ...]:
    roles = list(CORE_ROLES[record.type])
    if record.type == "statement":
        roles.append("target")
    key_roles = tuple((r, _key_parties(record, r)) for r in roles)
    extra = record.kind if record.type == "statement" else None
    return (record.type, key_roles, extra)


def _key_parties(record: FactRecord, role: str) -> tuple[str, ...]:
    """The role's parties as the event key counts them.

    In arms transfers and sanctions an official or a state body stands for its
    state: "the Russian Ministry of Defence" receiving shells is Russia
    receiving them, and an OFAC designation is a US sanction. Elsewhere
    (contacts, statements) people stay themselves.
    """
    ids = set(record.roles.get(role, ()))
    if record.type in STATE_LEVEL_TYPES:
        ids = {f"country:{record.acts_for[i]}" if i in record.acts_for else i for i in ids}
    return tuple(sorted(ids))


def _item_clusters(members: Sequence[FactRecord]) -> list[list[FactRecord]]:
    """Union facts that share a specific item category; generic facts join the largest cluster."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    specific: list[FactRecord] = []
    generic: list[FactRecord] = []
    for fact in members:
        cats = sorted(set(fact.items) - GENERIC_ITEMS)
        if not cats:
            generic.append(fact)
            continue
        specific.append(fact)
        for cat in cats[1:]:
            parent[find(cat)] = find(cats[0])
        find(cats[0])
    clusters: dict[str, list[FactRecord]] = defaultdict(list)
    for fact in specific:
        clusters[find(sorted(set(fact.items) - GENERIC_ITEMS)[0])].append(fact)
    ordered = sorted(clusters.values(), key=lambda c: (-len(c), min(f.id for f in c)))
    if not ordered:
        return [list(generic)] if generic else []
    ordered[0].extend(generic)
    return ordered


def _time_split(cluster: list[FactRecord], window: int) -> list[list[FactRecord]]:
    """Split where consecutive report dates are more than ``window`` days apart."""
    dated = sorted((f for f in cluster if _day(f.published)), key=_order)
    undated = [f for f in cluster if not _day(f.published)]
    parts: list[list[FactRecord]] = []
    last: date | None = None
    for fact in dated:
        day = _day(fact.published)
        if last is None or day is None or (day - last).days > window:
            parts.append([])
        parts[-1].append(fact)
        last = day
    if not parts:
        return [undated] if undated else []
    max(parts, key=len).extend(undated)  # first of the largest on ties: stable
    return parts


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _order(fact: FactRecord) -> tuple[str, str]:
    return (fact.published or "9999", fact.id)


def _union(lists: Iterable[Sequence[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for values in lists:
        for value in values:
            seen.setdefault(value, None)
    return list(seen)
