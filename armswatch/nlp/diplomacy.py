"""Diplomatic contacts (visits, meetings, letters, calls) and cooperation pledges.

Contacts: "X visited Y", "X traveled to Y", "X's visit to Y", "X met (with)
Y", "X held talks with Y", "X and Y exchanged letters", "X spoke by phone
with Y". Each other party makes its own fact: "he will visit Israel and Saudi
Arabia" is two visits.

Cooperation: a pledge or an agreement, not a description of ties: "X and Y
signed a defence treaty", "pledging to increase bilateral cooperation",
"agreed to cooperate", "extended New START". Joint exercises, "deepening
ties" and "discussed cooperation" are left out.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from armswatch.nlp.clauses import (
    Lexicon,
    RawFact,
    actors,
    chain_to_root,
    children,
    factuality,
    items_in,
    prep_objects,
    subject,
)
from armswatch.nlp.mentions import Mention, mention_at, mentions_of

#: what a state can host or receive without meeting anyone
NOT_GUESTS = frozenset({"troop", "troops", "soldier", "force", "forces", "base", "weapon",
                        "missile", "refugee", "migrant", "exercise", "drill", "shipment",
                        "delivery", "aid", "equipment"})


def _distinct(ms: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in ms:
        if all(m.key != o.key for o in out):
            out.append(m)
    return out


def _parties_differ(a: Mention, b: Mention) -> bool:
    if a.key == b.key:
        return False
    return not (a.country is not None and a.country == b.country)


class DiplomacyRules:
    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        d = "diplomatic_contact"
        self.visit_verbs = lex.words(d, "visit_verbs")
        self.visit_nouns = lex.words(d, "visit_nouns")
        self.meeting_verbs = lex.words(d, "meeting_verbs")
        self.meeting_nouns = lex.words(d, "meeting_nouns")
        self.letter_nouns = lex.words(d, "letter_nouns")
        self.letter_verbs = lex.words(d, "letter_verbs")
        self.call_nouns = lex.words(d, "call_nouns")
        self.call_verbs = lex.words(d, "call_verbs")
        self.possible_words = lex.words(d, "possible_words")
        c = "cooperation"
        self.pledge_verbs = lex.words(c, "pledge_verbs")
        self.coop_nouns = lex.words(c, "cooperation_nouns")
        self.coop_verbs = lex.words(c, "cooperation_verbs")
        self.agreement_nouns = lex.words(c, "agreement_nouns")
        self.agreement_verbs = lex.words(c, "agreement_verbs")
        self.increase_words = lex.words(c, "increase_words")
        self.military_words = lex.words(c, "military_words")
        self.economic_words = lex.words(c, "economic_words")

    def find(self, doc: Doc) -> list[RawFact]:
        facts: list[RawFact] = []
        for sent in doc.sents:
            ms = [m for m in mentions_of(doc) if sent.start <= m.start < sent.end]
            if not ms:
                continue
            contacts: list[RawFact] = []
            for tok in sent:
                for contact in self._contacts(tok, sent):
                    # "during his visit to China, he spoke with Xi": one contact, not two
                    keys = {m.country or m.key for m in contact.roles["participant"]}
                    if all({m.country or m.key for m in c.roles["participant"]} != keys
                           for c in contacts):
                        contacts.append(contact)
                fact = self._cooperation(tok, sent)
                if fact is not None:
                    facts.append(fact)
            facts += contacts
        return facts

    # -- contacts --------------------------------------------------------------
    def _kind(self, tok: Token) -> str | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB":
            if lemma in self.visit_verbs:
                if lemma in ("travel", "fly", "arrive", "go") and not prep_objects(
                        tok, ["to", "in"]):
                    return None
                return "visit"
            if lemma in self.meeting_verbs:
                if lemma == "hold" and not any(
                        c.lemma_.lower() in self.meeting_nouns | self.call_nouns
                        for c in children(tok, ["dobj"])):
                    return None
                if lemma == "hold":
                    obj = children(tok, ["dobj"])[0]
                    return "call" if obj.lemma_.lower() in self.call_nouns else "meeting"
                if lemma in ("receive", "welcome", "host") and not children(tok, ["dobj"]):
                    return None
                if lemma in ("receive", "welcome", "host") and any(
                        o.lemma_.lower() in NOT_GUESTS for o in children(tok, ["dobj"])):
                    return None  # "Belarus hosts Russian troops": not a meeting
                return "meeting"
            if lemma in ("exchange", "swap", "send", "write") and any(
                    c.lemma_.lower() in self.letter_nouns for c in children(tok, ["dobj"])):
                return "letter"
            if lemma in ("speak", "talk") and any(
                    t.lemma_.lower() in ("phone", "telephone", "call") for t in tok.subtree):
                return "call"
            if lemma == "speak" and prep_objects(tok, ["with"]):
                return "meeting"
        if tok.pos_ in ("NOUN", "PROPN"):
            if lemma in self.visit_nouns and lemma != "stay":
                return "visit"
            if lemma in self.meeting_nouns and lemma not in ("negotiation", "discussion"):
                return "meeting"
            if lemma in ("call",) and any(c.lemma_.lower() in ("phone", "telephone", "video")
                                          for c in tok.children):
                return "call"
        return None

    def _contacts(self, tok: Token, sent: Span) -> list[RawFact]:
        kind = self._kind(tok)
        if kind is None:
            return []
        if tok.pos_ == "VERB":
            subj, passive = subject(tok)
            first = actors(subj)
            others = [m for o in children(tok, ["dobj"]) for m in actors(o)
                      if kind != "letter"]
            others += [m for o in prep_objects(tok, ["to", "with", "in", "by"]) for m in actors(o)]
        else:
            first = [m for c in tok.children if c.dep_ in ("poss", "compound", "amod")
                     for m in actors(c, follow_conj=False)]
            others = [m for o in prep_objects(tok, ["to", "with", "in", "between"])
                      for m in actors(o)]
            prep = tok.head if tok.dep_ == "pobj" else None
            if not first and prep is not None and prep.i >= 2 and tok.doc[prep.i - 1].text == ",":
                # "Shoigu, during a recent visit to Pyongyang, said ...": the person the
                # parenthesis follows (the parser often hangs it elsewhere)
                before = mention_at(tok.doc, prep.i - 2)
                if before is not None and before.kind == "person":
                    first = [before]
            if not first:
                # "during a visit to Pyongyang, Shoigu called on ..." / "his visit"
                head = tok.head
                while head.pos_ not in ("VERB", "AUX") and head.head is not head:
                    head = head.head
                subj, _ = subject(head)
                first = actors(subj)
                poss = [c for c in tok.children if c.dep_ == "poss"]
                if poss and poss[0].lower_ in ("his", "her"):
                    first = first or actors(poss[0])
        first = _distinct(first)
        others = [o for o in _distinct(others) if all(_parties_differ(o, f) for f in first)]
        facts = []
        if len(first) >= 2 and not others:
            facts.append(self._contact(tok, sent, kind, first))
        for o in others:
            if first:
                facts.append(self._contact(tok, sent, kind, [*first, o]))
        return [f for f in facts if f is not None]

    def _contact(self, tok: Token, sent: Span, kind: str, parties: list[Mention]) -> RawFact:
        fact = RawFact("diplomatic_contact", sent, tok, roles={"participant": parties},
                       kind=kind)
        fact.factuality, _ = factuality(tok, self.lex)
        near = chain_to_root(tok)[:4]
        words = {t.lemma_.lower() for t in near} | {
            c.lower_ for t in near for c in t.children if c.dep_ in ("aux", "amod", "advmod")}
        words |= {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound")}
        if words & self.possible_words and fact.factuality == "asserted":
            fact.factuality = "possible"
        return fact

    # -- cooperation -----------------------------------------------------------
    def _cooperation(self, tok: Token, sent: Span) -> RawFact | None:
        lemma = tok.lemma_.lower()
        stage = None
        if tok.pos_ == "VERB" and lemma in self.agreement_verbs:
            objs = children(tok, ["dobj"])
            if any(o.lemma_.lower() in self.agreement_nouns or mention_at(tok.doc, o.i) is None
                   and o.text[:1].isupper() and lemma in ("extend", "renew", "ratify")
                   for o in objs):
                stage = "agreed"
            if any(o.lemma_.lower() in ("deal", "contract") for o in objs) \
                    and items_in(tok.subtree, tok.doc):
                return None  # "signed a deal with X to export tanks": an arms deal
        elif tok.pos_ == "VERB" and lemma in self.pledge_verbs:
            xs = [c for c in tok.subtree if c.lemma_.lower() in self.coop_nouns | self.coop_verbs]
            if xs:
                stage = "agreed" if lemma == "agree" else "pledged"
        elif tok.pos_ in ("NOUN",) and lemma in self.coop_nouns and any(
                c.dep_ == "neg" or c.lower_ == "not" for c in tok.head.children) \
                and tok.head.lemma_.lower() in ("rule", "exclude"):
            stage = "pledged"
        if stage is None:
            return None
        subj, _ = subject(tok)
        parties = actors(subj)
        parties += [m for o in prep_objects(tok, ["with", "between"]) for m in actors(o)]
        for o in children(tok, ["dobj"]):
            parties += [m for x in prep_objects(o, ["with", "between"]) for m in actors(x)]
            parties += [m for c in o.subtree for m in [mention_at(tok.doc, c.i)]
                        if m is not None and not m.demonym and c.dep_ in ("pobj",)
                        and c.head.lower_ in ("with", "between")]
        parties = [m for m in _distinct(parties) if m.category != "media"]
        if len({m.country or m.key for m in parties}) < 2:
            # "the two leaders signed ...": the parties named in the sentence
            in_sent = [m for m in mentions_of(tok.doc) if sent.start <= m.start < sent.end
                       and not m.demonym and m.kind in ("country", "person")
                       and m.category != "media"]
            parties = _distinct(parties + in_sent)
        distinct_states = {m.country or m.key for m in parties}
        if len(distinct_states) < 2:
            return None
        words = {t.lemma_.lower() for t in tok.subtree} | {t.lower_ for t in tok.subtree}
        domain = "military" if words & self.military_words else (
            "economic" if words & self.economic_words else "general")
        fact = RawFact("cooperation", sent, tok, roles={"participant": parties}, stage=stage,
                       domain=domain)
        fact.factuality, _ = factuality(tok, self.lex)
        if fact.factuality == "negated" and stage == "pledged":
            fact.factuality = "possible"  # "does not rule out cooperation"
        return fact
