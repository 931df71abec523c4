"""From a parsed Doc to model facts: run the rules, merge mentions, convert.

This is the one module that turns spaCy objects into :mod:`armswatch.model`
objects. Merging follows the annotation guide: one fact per happening per
document, so mentions with the same type, roles, stage and factuality become
one fact carrying all their evidence; a mention that names only one side of
a transfer joins the full fact it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from armswatch.model import CORE_ROLES, ITEM_CATEGORIES, Entity, Evidence, Fact
from armswatch.nlp.clauses import Lexicon, RawFact
from armswatch.nlp.diplomacy import DiplomacyRules
from armswatch.nlp.mentions import Mention
from armswatch.nlp.sanctions import SanctionRules
from armswatch.nlp.statements import StatementRules
from armswatch.nlp.transfers import TransferRules
from armswatch.vocab import Vocabulary, load_vocabulary

STAGE_ORDER = {"sought": 0, "negotiating": 1, "agreed": 2, "delivered": 3}
DOMAIN_ORDER = {"general": 0, "economic": 1, "military": 2}


class FactExtractor:
    """All fact rules over one Doc, then merging and conversion."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        lex = Lexicon(vocabulary or load_vocabulary())
        self.transfers = TransferRules(lex)
        self.sanctions = SanctionRules(lex)
        self.diplomacy = DiplomacyRules(lex)
        self.statements = StatementRules(lex, self.transfers.all_triggers)

    def raw_facts(self, doc: Doc) -> list[RawFact]:
        raw = self.transfers.find(doc)
        raw += self.sanctions.find(doc)
        raw += self.diplomacy.find(doc)
        raw += self.statements.find(doc)
        return raw

    def __call__(self, doc: Doc, *, doc_id: str | None = None) -> list[Fact]:
        raw = [f for r in self.raw_facts(doc) for f in _split(r)]
        _fill_sought_suppliers(raw)
        return [_convert(group, doc_id) for group in merge(raw)]


# -- splitting and merging ------------------------------------------------------
def _groups(ms: list[Mention]) -> list[list[Mention]]:
    """Mentions grouped by the state they act for (unknown states stay apart)."""
    groups: dict[str, list[Mention]] = {}
    for m in ms:
        groups.setdefault(m.country or m.key, []).append(m)
    return list(groups.values())


def _split(fact: RawFact) -> list[RawFact]:
    """One fact per supplier state and recipient state, per contact pair."""
    if fact.type != "arms_transfer" or fact.undirected:
        return [fact]
    out = []
    sup_groups = _groups(fact.roles.get("supplier", [])) or [[]]
    rec_groups = _groups(fact.roles.get("recipient", [])) or [[]]
    for s in sup_groups:
        for r in rec_groups:
            keys_s = {m.country or m.key for m in s}
            r2 = [m for m in r if (m.country or m.key) not in keys_s]
            if s and r and not r2:
                continue
            out.append(RawFact(fact.type, fact.sent, fact.trigger,
                               roles={"supplier": s, "recipient": r2}, stage=fact.stage,
                               kind=fact.kind, domain=fact.domain, factuality=fact.factuality,
                               items=fact.items, source=fact.source))
    return out


#: categories of actors that stand for their state when facts are merged
STATE_ACTORS = frozenset({"state", "seat", "body", "government", "military", "intelligence"})


def _fill_sought_suppliers(raw: list[RawFact]) -> None:
    """"Russia is seeking munitions" in a report on one supplier: that supplier.

    A buyer's search with no supplier named takes the supplier of the
    document's other transfers to the same recipient, when there is just one.
    """
    full = [f for f in raw if f.type == "arms_transfer" and _complete(f) and not f.undirected]
    for fact in raw:
        if fact.type != "arms_transfer" or fact.stage != "sought" or fact.roles.get("supplier"):
            continue
        wanted = _keys(fact.roles.get("recipient", []))
        if not wanted:
            continue
        suppliers: dict[frozenset[str], list[Mention]] = {}
        for other in full:
            if _keys(other.roles["recipient"]) & wanted:
                suppliers.setdefault(_keys(other.roles["supplier"]), other.roles["supplier"])
        if len(suppliers) == 1:
            fact.roles["supplier"] = list(next(iter(suppliers.values())))


def _keys(ms: Iterable[Mention]) -> frozenset[str]:
    """States, and the bodies acting for them, by ISO code; everyone else by name."""
    return frozenset(m.country if m.country and (m.kind == "country" or m.category in STATE_ACTORS)
                     else m.key for m in ms)


def _role_key(fact: RawFact) -> tuple[object, ...]:
    roles = tuple(_keys(fact.roles.get(r, [])) for r in CORE_ROLES[fact.type])
    if fact.type == "arms_transfer" and fact.undirected:
        both = roles[0] | roles[1]
        roles = (both, both)
    if fact.type == "sanction":
        roles = roles[:1]  # targets are merged, not keyed
    attrs: tuple[str | None, ...] = (fact.stage, fact.kind, fact.factuality)
    if fact.type == "statement":
        attrs = (fact.kind,)
    return (fact.type, roles, attrs)


def _complete(fact: RawFact) -> bool:
    if fact.type == "arms_transfer":
        return bool(fact.roles.get("supplier")) and bool(fact.roles.get("recipient"))
    return True


def _covers(full: RawFact, part: RawFact) -> bool:
    """Does ``part`` (one side, or an undirected pair) describe ``full``'s happening?"""
    if full.type != part.type or full.factuality != part.factuality:
        return False
    if part.undirected:
        pair = _keys(part.roles["supplier"])
        sup, rec = _keys(full.roles["supplier"]), _keys(full.roles["recipient"])
        return sup | rec <= pair and bool(sup & pair) and bool(rec & pair)
    for role in ("supplier", "recipient"):
        mine = _keys(part.roles.get(role, []))
        if mine and not mine & _keys(full.roles.get(role, [])):
            return False
    return True


def merge(raw: list[RawFact]) -> list[list[RawFact]]:
    """Group raw facts that state the same happening."""
    groups: dict[tuple, list[RawFact]] = {}
    partial: list[RawFact] = []
    for fact in raw:
        if fact.type == "arms_transfer" and (not _complete(fact) or fact.undirected):
            partial.append(fact)
            continue
        groups.setdefault(_role_key(fact), []).append(fact)
    for fact in partial:
        homes = [k for k, g in groups.items() if _covers(g[0], fact)]
        same_stage = [k for k in homes if groups[k][0].stage == fact.stage]
        target = same_stage[:1]
        if target:
            groups[target[0]].append(fact)
        elif fact.undirected or (fact.stage == "sought" and fact.roles.get("recipient")):
            groups.setdefault(_role_key(fact), []).append(fact)
    return _merge_contacts(list(groups.values()))


def _merge_contacts(groups: list[list[RawFact]]) -> list[list[RawFact]]:
    """"Putin met the North Korean leader" and "the Russian leader said during talks with
    Kim": one meeting when the states are the same and no two named people differ."""
    out: list[list[RawFact]] = []
    for group in groups:
        head = group[0]
        home = None
        if head.type == "diplomatic_contact":
            home = next((g for g in out if g[0].type == head.type and g[0].kind == head.kind
                         and g[0].factuality == head.factuality
                         and _same_sides(g[0].roles["participant"],
                                         head.roles["participant"])), None)
        if home is None:
            out.append(group)
        else:
            home.extend(group)
    return out


def _same_sides(a: list[Mention], b: list[Mention]) -> bool:
    states_a, states_b = {m.country for m in a}, {m.country for m in b}
    if None in states_a or None in states_b or states_a != states_b or len(states_a) < 2:
        return False
    for state in states_a:
        people_a = {m.key for m in a if m.country == state and m.kind == "person"}
        people_b = {m.key for m in b if m.country == state and m.kind == "person"}
        if people_a and people_b and not people_a & people_b:
            return False
    return True


# -- conversion ----------------------------------------------------------------
def _entity(m: Mention) -> Entity:
    return Entity(name=m.name, kind=m.kind, country=m.country)


def _entities(ms: Iterable[Mention]) -> tuple[Entity, ...]:
    out: list[Entity] = []
    for m in ms:
        e = _entity(m)
        if all((e.name, e.country) != (o.name, o.country) for o in out):
            out.append(e)
    return tuple(out)


def _evidence(sent: Span) -> Evidence:
    text = sent.text
    stripped = text.rstrip()
    lead = len(text) - len(text.lstrip())
    start = sent.start_char + lead
    return Evidence(text=stripped[lead:], start=start, end=sent.start_char + len(stripped))


def _convert(group: list[RawFact], doc_id: str | None) -> Fact:
    full = [f for f in group if _complete(f) and not f.undirected] or group
    head = full[0]
    roles: dict[str, list[Mention]] = {}
    for f in full:
        for role, ms in f.roles.items():
            roles.setdefault(role, []).extend(ms)
    if head.type == "arms_transfer":
        for f in group:
            for m in f.roles.get("broker", []):
                roles.setdefault("broker", []).append(m)
    stage = head.stage
    if head.type == "arms_transfer":
        stage = max((f.stage for f in full if f.stage), key=lambda s: STAGE_ORDER.get(s, 0),
                    default=head.stage)
    domain = max((f.domain for f in group if f.domain), key=lambda d: DOMAIN_ORDER.get(d, 0),
                 default=None)
    items = sorted({c for f in group for i in f.items for c in i.categories},
                   key=ITEM_CATEGORIES.index)
    if head.type == "arms_transfer" and len(items) > 1 and "weapons" in items:
        items.remove("weapons")
    designations = sorted({i.designation for f in group for i in f.items if i.designation})
    quantities = sorted({i.quantity for f in group for i in f.items if i.quantity})
    evidence: dict[int, Evidence] = {}
    for f in sorted(group, key=lambda f: f.sent.start_char):
        ev = _evidence(f.sent)
        evidence.setdefault(ev.start, ev)
    return Fact(
        type=head.type,
        roles={r: _entities(ms) for r, ms in roles.items() if ms},
        factuality=head.factuality,
        stage=stage,
        kind=head.kind,
        domain=domain,
        items=tuple(items) if head.type == "arms_transfer" else (),
        designations=tuple(designations) if head.type == "arms_transfer" else (),
        quantities=tuple(quantities) if head.type == "arms_transfer" else (),
        source=_entities(m for f in group for m in f.source),
        evidence=tuple(evidence.values()),
        doc_id=doc_id,
        dates=_dates(f.sent for f in group),
    )


def _dates(sents: Iterable[Span]) -> tuple[str, ...]:
    """The DATE entities of the evidence sentences, in text order, each once."""
    seen: dict[int, Span] = {}
    for sent in sents:
        seen.setdefault(sent.start_char, sent)
    out: dict[str, None] = {}
    for sent in sorted(seen.values(), key=lambda s: s.start_char):
        for ent in sent.ents:
            if ent.label_ == "DATE":
                out.setdefault(ent.text.strip(), None)
    return tuple(out)
