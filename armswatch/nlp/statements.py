"""Statements: a named speaker condemns, warns or accuses another party.

- condemnation: "X condemned / slammed / denounced Y", "met with criticism
  from X", and a speaker calling an act a violation ("... in violation of UN
  Security Council resolutions, Kirby said");
- warning: "X warned Y (to stop ...)", "X urged Y to cease ...";
- accusation: "X accused Y of (something that is not a transfer)".

A claim that a transfer happened is the transfer with the claimant as source,
so "accused X of supplying arms" is not a statement here.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from armswatch.nlp.clauses import (
    Lexicon,
    RawFact,
    actors,
    attribution,
    children,
    prep_objects,
    subject,
)
from armswatch.nlp.mentions import Mention, mentions_of


class StatementRules:
    def __init__(self, lex: Lexicon, transfer_triggers: frozenset[str]) -> None:
        self.lex = lex
        s = "statement"
        self.condemn = lex.words(s, "condemnation_verbs")
        self.condemn_nouns = lex.words(s, "condemnation_nouns")
        self.violation = lex.words(s, "violation_words")
        self.warn = lex.words(s, "warning_verbs")
        self.stop_words = lex.words(s, "warning_stop_words")
        self.accuse = lex.words(s, "accusation_verbs")
        self.transfer_triggers = transfer_triggers

    def find(self, doc: Doc) -> list[RawFact]:
        facts = []
        for sent in doc.sents:
            done = False
            for tok in sent:
                fact = self._at(tok, sent)
                if fact is not None:
                    facts.append(fact)
                    done = done or fact.kind == "condemnation"
            if not done:
                fact = self._violation(sent)
                if fact is not None:
                    facts.append(fact)
        return facts

    def _speaker(self, tok: Token) -> list[Mention]:
        subj, passive = subject(tok)
        by = [m for o in prep_objects(tok, ["by"]) for m in actors(o)]
        found = by if passive else actors(subj)
        if not found and subj is not None and subj.lower_ in ("we", "i"):
            # "“We urge Pyongyang to stop ...,” Kirby said": the quoted speaker
            found = attribution(tok, self.lex)
        return found

    def _at(self, tok: Token, sent: Span) -> RawFact | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in self.condemn:
            speakers = self._speaker(tok)
            targets = [m for o in children(tok, ["dobj"]) for m in self._targets(o)]
            return self._make(tok, sent, "condemnation", speakers, targets)
        if tok.pos_ == "NOUN" and lemma in self.condemn_nouns:
            speakers = [m for o in prep_objects(tok, ["from", "by"]) for m in actors(o)]
            speakers += [m for c in children(tok, ["poss"]) for m in actors(c)]
            targets = [m for o in prep_objects(tok, ["of", "against"]) for m in actors(o)]
            if tok.dep_ == "pobj" and tok.head.head.pos_ == "VERB":
                subj, _ = subject(tok.head.head)
                targets += self._targets(subj) if subj is not None else []
            return self._make(tok, sent, "condemnation", speakers, targets)
        if tok.pos_ == "VERB" and lemma in self.warn:
            objs = children(tok, ["dobj"])
            targets = [m for o in objs for m in actors(o)]
            xcomp = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp")]
            if lemma in ("urge", "threaten") and not any(
                    c.lemma_.lower() in self.stop_words or any(
                        g.dep_ == "neg" for g in c.children) for c in xcomp):
                return None
            if lemma == "warn" and not targets and not xcomp:
                return None
            return self._make(tok, sent, "warning", self._speaker(tok), targets)
        if tok.pos_ == "VERB" and lemma in ("accuse", "blame"):
            acts = prep_objects(tok, ["of", "for"])
            if any(t.lemma_.lower() in self.transfer_triggers for a in acts for t in a.subtree):
                return None
            targets = [m for o in children(tok, ["dobj"]) for m in actors(o)]
            return self._make(tok, sent, "accusation", self._speaker(tok), targets)
        return None

    def _targets(self, tok: Token | None) -> list[Mention]:
        if tok is None:
            return []
        found = actors(tok)
        if found:
            return found
        return [m for m in mentions_of(tok.doc)
                if tok.left_edge.i <= m.start <= tok.right_edge.i and m.kind != "person"]

    def _violation(self, sent: Span) -> RawFact | None:
        """"... in violation of UN resolutions, Kirby said": the speaker condemns."""
        trig = next((t for t in sent if t.lemma_.lower() in self.violation), None)
        if trig is None or not any(t.lemma_.lower() in ("resolution", "law", "sanction",
                                                        "charter", "embargo") for t in sent):
            return None
        speakers = attribution(trig, self.lex)
        if not speakers:
            return None
        subj, _ = subject(trig) if trig.pos_ == "VERB" else (None, False)
        targets = self._targets(subj)
        if not targets:
            targets = [m for m in mentions_of(sent.doc) if sent.start <= m.start < trig.i
                       and m.kind == "country" and m not in speakers]
        return self._make(trig, sent, "condemnation", speakers, targets)

    def _make(self, tok: Token, sent: Span, kind: str, speakers: list[Mention],
              targets: list[Mention]) -> RawFact | None:
        # no state warns or condemns itself: a speaker of the target's state is a misread
        # subject ("X is worried Y is planning ... and urged Y to stop, Z said")
        speaker_states = {s.country for s in speakers}
        if targets and speakers and None not in speaker_states \
                and all(t.country in speaker_states for t in targets):
            speakers = [m for m in attribution(tok, self.lex) if m.country not in speaker_states]
        if not speakers:
            return None
        targets = [t for t in targets if t not in speakers]
        fact = RawFact("statement", sent, tok, roles={"speaker": speakers, "target": targets},
                       kind=kind)
        return fact
