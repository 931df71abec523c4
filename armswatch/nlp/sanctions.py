"""Sanctions: a named government or bloc restricts a named target.

Language states them as a verb ("the Treasury sanctioned X", "X was
designated", "the EU added X to its list") or as a noun with its imposer in a
modifier or subject ("US sanctions on X", "the US will announce new sanctions
against Wagner", "US-led sanctions"). A sanction with no named imposer
("Western sanctions", "under sanctions") is background, and sports bodies
fining clubs are not states: both are left out.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from armswatch.nlp.clauses import (
    Lexicon,
    RawFact,
    actors,
    attribution,
    chain_to_root,
    children,
    factuality,
    prep_objects,
    subject,
)
from armswatch.nlp.mentions import Mention, mention_at

IMPOSING_VERBS = frozenset({"impose", "slap", "levy", "announce", "boost", "expand", "extend",
                            "tighten", "introduce", "adopt", "approve", "unveil", "issue",
                            "apply", "add", "put", "place", "lift", "ease", "remove", "revoke",
                            "roll", "agree", "recognize", "recognise", "cook", "follow"})


PROGRAM_NOUNS = frozenset({"program", "programme", "regime", "law", "act", "resolution",
                           "committee", "panel", "evasion", "relief", "exemption", "waiver"})


def _imposer_ok(m: Mention) -> bool:
    return m.is_state_like and m.category not in ("media", "company", "group")


class SanctionRules:
    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        s = "sanction"
        self.verbs = lex.words(s, "verbs")
        self.nouns = lex.words(s, "nouns")
        self.qualified = lex.words(s, "qualified_nouns")
        self.qualifiers = lex.words(s, "qualifiers")
        self.lift = lex.words(s, "lift_words")
        self.threat = lex.words(s, "threat_words")
        self.non_state = lex.words(s, "non_state_contexts")

    def find(self, doc: Doc) -> list[RawFact]:
        facts = []
        for sent in doc.sents:
            lemmas = {t.lemma_.lower() for t in sent}
            if not lemmas & {"sanction", "designate", "blacklist", "embargo", "measure",
                             "freeze", "list", "designation"}:
                continue
            if len(lemmas & self.non_state) >= 2:
                continue
            for tok in sent:
                fact = self._at(tok, sent)
                if fact is not None:
                    facts.append(fact)
        return facts

    def _is_sanction_noun(self, tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        if tok.pos_ not in ("NOUN", "PROPN") or lemma not in self.nouns:
            return False
        if lemma in ("sanction", "designation", "embargo", "blacklist"):
            return True
        return any(c.lower_ in self.qualifiers for c in tok.children
                   if c.dep_ in ("amod", "compound"))

    def _at(self, tok: Token, sent: Span) -> RawFact | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in ("sanction", "designate", "blacklist", "embargo"):
            return self._verb(tok, sent)
        if self._is_sanction_noun(tok):
            return self._noun(tok, sent)
        if tok.pos_ == "VERB" and lemma in ("add", "put", "place") and any(
                o.lemma_.lower() == "list" for o in prep_objects(tok, ["to", "on"])):
            # "the Council added three individuals to its sanctions list"
            subj, passive = subject(tok)
            if passive:
                return self._make(tok, sent, [m for o in prep_objects(tok, ["by"])
                                              for m in actors(o)], actors(subj))
            return self._make(tok, sent, actors(subj),
                              [m for o in children(tok, ["dobj"]) for m in actors(o)])
        return None

    def _verb(self, tok: Token, sent: Span) -> RawFact | None:
        subj, passive = subject(tok)
        if passive:
            imposers = [m for o in prep_objects(tok, ["by"]) for m in actors(o)]
            targets = actors(subj)
        else:
            imposers = actors(subj)
            targets = [m for o in children(tok, ["dobj"]) for m in actors(o)]
            if not targets:
                # "designating for sanctions A, B and C": objects after a prep
                targets = [m for o in children(tok, ["dobj", "attr", "oprd"])
                           for m in actors(o)]
        if tok.dep_ == "amod":  # "the U.S.-designated Ministry": a past listing, not news
            return None
        return self._make(tok, sent, imposers, targets)

    def _noun(self, tok: Token, sent: Span) -> RawFact | None:
        if tok.dep_ == "compound" and tok.head.lemma_.lower() in PROGRAM_NOUNS:
            # "the DPRK sanctions program": names a programme, its modifier is the target
            return None
        imposers: list[Mention] = []
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod"):
                imposers += actors(c, follow_conj=False)
                m = mention_at(tok.doc, c.i)
                if m is not None and m.demonym:
                    imposers.append(m)
                # "US-led sanctions"
                for g in c.children:
                    m = mention_at(tok.doc, g.i)
                    if m is not None and g.dep_ in ("npadvmod", "compound", "nmod"):
                        imposers.append(m)
        imposers += [m for o in prep_objects(tok, ["by", "from"]) for m in actors(o)]
        targets = [m for o in prep_objects(tok, ["on", "against", "targeting", "over"])
                   for m in actors(o)]
        head = tok.head
        # "the US will announce new sanctions against Wagner"
        climb = tok
        for _ in range(3):
            if climb.dep_ not in ("dobj", "pobj", "prep", "nsubjpass", "conj", "compound",
                                  "attr", "nsubj") or climb.head is climb:
                break
            climb = climb.head
            if climb.pos_ in ("VERB", "AUX"):
                break
        head = climb
        if head.pos_ in ("VERB", "AUX"):
            subj, passive = subject(head)
            if not imposers and head.lemma_.lower() in IMPOSING_VERBS | {"sanction", "designate"}:
                if passive:
                    imposers = [m for o in prep_objects(head, ["by"]) for m in actors(o)]
                elif tok.dep_ != "nsubj":
                    imposers = actors(subj)
            targets += [m for o in prep_objects(head, ["on", "against", "to"]) for m in actors(o)
                        if tok.dep_ != "nsubj"]
            if passive and tok.dep_ != "nsubjpass" and not targets:
                targets = actors(subj)
            if head.lemma_.lower() in ("add", "put", "place", "include") and not targets:
                targets = [m for o in children(head, ["dobj"]) for m in actors(o)]
        return self._make(tok, sent, imposers, targets, noun_head=head)

    def _make(self, tok: Token, sent: Span, imposers: list[Mention], targets: list[Mention],
              noun_head: Token | None = None) -> RawFact | None:
        imposers = [m for m in imposers if _imposer_ok(m)]
        if not imposers:
            return None
        targets = [t for t in targets if t not in imposers and t.category != "media"]
        fact = RawFact("sanction", sent, tok, roles={"imposer": imposers, "target": targets})
        fact.factuality, deniers = factuality(tok, self.lex)
        fact.source = deniers or attribution(tok, self.lex)
        fact.stage = self._stage(tok, noun_head)
        if fact.factuality == "possible" and fact.stage == "threatened":
            fact.factuality = "asserted"
        if fact.factuality == "negated" and deniers:
            # "we never recognized the UNSC sanctions": rejecting sanctions is not denying them
            fact.factuality = "asserted"
        return fact

    def _stage(self, tok: Token, head: Token | None) -> str:
        near = chain_to_root(tok)[:5]
        words = [t.lemma_.lower() for t in near]
        for t in near:
            words += [c.lower_ for c in t.children if c.dep_ in ("aux", "amod", "advmod", "neg")]
            words += [c.lemma_.lower() for c in t.children if c.dep_ in ("aux",)]
        if any(w in self.lift for w in words):
            return "lifted"
        if any(w in self.threat for w in words):
            return "threatened"
        if tok.pos_ == "VERB" and tok.dep_ == "ROOT" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
            return "threatened"  # a headline's "EU to sanction ..." announces a plan
        return "imposed"
