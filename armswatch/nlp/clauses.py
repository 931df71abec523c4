"""What every fact rule needs from a parsed sentence: who, whether, says who.

- :func:`actors` turns the head token of a phrase into the actors it names
  (following conjuncts and appositions, resolving "he" to the last person);
- :func:`subject` finds a verb's subject through control verbs, participles
  and relative clauses, and says whether the clause is passive;
- :func:`factuality` reads negation, denials and hedges off the path from a
  trigger to the sentence root;
- :func:`attribution` finds who the sentence attributes a claim to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from armswatch.nlp.items import ItemMention, items_of
from armswatch.nlp.mentions import Mention, mention_at, mentions_of
from armswatch.vocab import Vocabulary

#: verbs whose object, not subject, does what follows: "urged Iran to send"
OBJECT_CONTROL = frozenset({"urge", "ask", "invite", "call", "persuade", "convince", "order",
                            "force", "allow", "encourage", "push", "press", "tell", "pressure",
                            "request", "permit", "authorize", "authorise", "enable",
                            "expect", "want", "help", "warn", "advise", "instruct", "compel"})
#: verbs whose object does what an "of"/"for" gerund says: "accused Iran of sending"
GERUND_OBJECT_VERBS = frozenset({"accuse", "suspect", "blame", "charge", "sanction", "punish",
                                 "penalize", "penalise", "target", "thank", "praise", "fault",
                                 "criticize", "criticise", "condemn", "denounce", "designate",
                                 "convict", "indict", "prosecute", "investigate", "fine",
                                 "reward", "credit", "commend", "rebuke", "slam"})
GROUP_NOUNS = frozenset({"group", "delegation", "team", "number", "couple", "members",
                         "member", "some", "several", "dozens", "representatives"})
#: heads of agency names whose mention the parser splits: "the Department of the Treasury's
#: Office of Foreign Assets Control" -> the office named in the "of" phrase
AGENCY_HEADS = frozenset({"department", "office", "ministry", "bureau", "agency", "directorate",
                          "division", "secretariat", "administration"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "conj", "pcomp", "csubj"})


@dataclass
class RawFact:
    """A fact as a rule found it, before merging and conversion to the model."""

    type: str
    sent: Span
    trigger: Token
    roles: dict[str, list[Mention]] = field(default_factory=dict)
    stage: str | None = None
    kind: str | None = None
    domain: str | None = None
    factuality: str = "asserted"
    items: list[ItemMention] = field(default_factory=list)
    source: list[Mention] = field(default_factory=list)
    #: direction of an arms deal the text leaves open ("a deal between X and Y")
    undirected: bool = False


class Lexicon:
    """Trigger lists from ``triggers.yaml`` as frozen sets, looked up by path."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.raw: dict[str, Any] = vocabulary.triggers
        # the lists every rule consults through this module
        self.attribution_verbs = self.words("attribution", "verbs")
        self.denial_verbs = self.words("factuality", "denial_verbs")
        self.denial_words = self.words("factuality", "denial_words")
        self.hedge_modals = self.words("factuality", "hedge_modals")
        self.hedge_verbs = self.words("factuality", "hedge_verbs")
        self.hedges = self.words("factuality", "hedge_adjectives") | self.words(
            "factuality", "hedge_adverbs")

    def words(self, section: str, name: str) -> frozenset[str]:
        value = (self.raw.get(section) or {}).get(name) or []
        if isinstance(value, dict):
            return frozenset(value)
        return frozenset(str(v) for v in value)

    def mapping(self, section: str, name: str) -> dict[str, str]:
        return dict((self.raw.get(section) or {}).get(name) or {})


def mention(token: Token) -> Mention | None:
    return mention_at(token.doc, token.i)


REPORTING_HEADS = frozenset({"say", "deny", "claim", "insist", "state", "tell", "announce",
                             "confirm", "admit", "acknowledge", "reject", "warn", "add", "note",
                             "dismiss", "vow", "pledge", "promise", "argue"})


def resolve_pronoun(token: Token) -> Mention | None:
    """'he'/'she' -> the last person named before it; 'it'/'they'/'we' in a reported
    clause -> the reporter ("Pyongyang denied it had sold ...")."""
    if token.lower_ in ("it", "they", "we", "its", "their", "our"):
        head = token.head
        for t in chain_to_root(head)[1:5]:
            if t.lemma_.lower() in REPORTING_HEADS:
                subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.i != token.i:
                    m = mention(subj)
                    if m is not None and m.kind != "person" and not m.demonym:
                        return m
                break
        if token.dep_ in ("nsubj", "nsubjpass") and token.lower_ in ("it", "they"):
            return _previous_subject(token)
        return None
    if token.lower_ not in PERSONAL_PRONOUNS:
        return None
    best = None
    for m in mentions_of(token.doc):
        if m.start >= token.i:
            break
        if m.kind == "person":
            best = m
    return best


def _previous_subject(token: Token) -> Mention | None:
    """"Russia has turned to Iran. It received drones ...": a subject pronoun that opens
    its clause takes the state that was the main subject of the sentence before."""
    sent = token.sent
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.i < token.i for c in sent) or sent.start == 0:
        return None
    prev = token.doc[sent.start - 1].sent
    subj = next((c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    m = mention(subj)
    if m is None or m.demonym or not (m.kind == "country" or m.category in (
            "government", "military", "bloc", "group", "company")):
        return None
    if token.lower_ == "they" and not subj.conjuncts and subj.tag_ not in ("NNS", "NNPS"):
        return None
    return m


#: head nouns of a definite description, and the category of the actor it refers back to
DEFINITE_HEADS = {"group": "group", "militia": "group", "company": "company",
                  "firm": "company", "manufacturer": "company", "contractor": "company"}


def _definite_reference(token: Token) -> Mention | None:
    """"the mercenary group", "the company": the last actor of that category named before."""
    category = DEFINITE_HEADS.get(token.lemma_.lower())
    if category is None or not any(c.dep_ == "det" and c.lower_ == "the"
                                   for c in token.children):
        return None
    if any(c.dep_ in ("prep", "compound", "poss") for c in token.children):
        return None  # "the group of experts", "the Wagner group": named or described here
    best = None
    for m in mentions_of(token.doc):
        if m.start >= token.i:
            break
        if m.category == category:
            best = m
    return best


def actors(token: Token | None, *, follow_conj: bool = True) -> list[Mention]:
    """The actors a phrase headed by ``token`` names (demonym origins excluded)."""
    if token is None:
        return []
    out: list[Mention] = []
    heads = [token, *token.conjuncts] if follow_conj else [token]
    for t in heads:
        m = mention(t)
        if m is None:
            m = resolve_pronoun(t)
        if (m is None or m.category == "other") and t.lemma_.lower() in AGENCY_HEADS:
            found = [x for o in prep_objects(t, ["of"]) for x in actors(o, follow_conj=False)
                     if not x.demonym and x.category != "other"]
            m = found[-1] if found else m
        if m is None:
            for child in t.children:
                if child.dep_ == "appos" or (child.dep_ == "prep" and child.lower_ == "like"):
                    target = child if child.dep_ == "appos" else next(
                        (c for c in child.children if c.dep_ == "pobj"), None)
                    if target is not None:
                        out.extend(actors(target))
            # "the Wagner group", "Hyundai Rotem Co.", "the Wagner Group private military
            # company": a mention inside the compound (the parser often says nmod)
            for child in t.children:
                if m is None and child.dep_ in ("compound", "nmod") and child.i < t.i:
                    cm = mention(child)
                    if cm is not None and not cm.demonym:
                        m = cm
            if m is None:
                m = _definite_reference(t)
            if m is None and t.lemma_.lower() in GROUP_NOUNS:
                # "a group of Russian officials", "a delegation from Iran"
                out.extend(x for o in prep_objects(t, ["of", "from"]) for x in actors(o)
                           if x not in out)
        if m is not None and not m.demonym and m not in out:
            out.append(m)
        elif m is not None and m.demonym and t.pos_ in ("PROPN", "NOUN") and t.dep_ in (
                "nsubj", "pobj", "dobj", "conj", "nsubjpass", "poss", "dative"):
            # "the Russians", "Iranians": a demonym used as a noun names the state
            out.append(m)
    return out


def subject(verb: Token) -> tuple[Token | None, bool]:
    """The subject of ``verb`` (climbing control chains) and whether it is passive."""
    tok: Token | None = verb
    for _ in range(5):
        if tok is None:
            break
        for child in tok.children:
            if child.dep_ == "nsubj":
                if child.tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
                    return tok.head, False
                return child, False
            if child.dep_ == "nsubjpass":
                if child.tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
                    return tok.head, True
                return child, True
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in OBJECT_CONTROL:
            # object control: "urged Iran to send", "invited Kim to visit": the object acts
            obj = next((c for c in tok.head.children if c.dep_ == "dobj" and c.i < tok.i), None)
            if obj is not None:
                return obj, False
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ in (
                "VERB", "AUX"):
            # a gerund under a preposition: "accused Iran of sending" -> the object acts;
            # "met him after flying to Seoul" -> the verb's own subject acts
            prep, gov = tok.head, tok.head.head
            if prep.lower_ in ("of", "for") and gov.lemma_.lower() in GERUND_OBJECT_VERBS:
                obj = next((c for c in gov.children if c.dep_ == "dobj" and c.i < prep.i), None)
                if obj is not None:
                    return obj, False
            tok = gov
            continue
        if tok.dep_ in ("xcomp", "conj", "advcl", "pcomp") and tok.head is not tok:
            tok = tok.head
            if tok.pos_ in ("NOUN", "PROPN") and verb.dep_ == "xcomp":
                return None, False
            continue
        if tok.dep_ == "acl" and tok.tag_ == "VB" and mention(tok.head) is None:
            # "Russia's readiness to receive", "Iran's decision to send": the possessor acts
            owner = next((c for c in tok.head.children if c.dep_ == "poss"), None)
            if owner is not None and mention(owner) is not None:
                return owner, False
        if tok.dep_ == "acl" and tok.tag_ == "VB" and mention(tok.head) is None \
                and tok.head.dep_ in ("dobj", "attr") and tok.head.head.pos_ in ("VERB", "AUX"):
            # "reached an agreement to buy", "made a decision to send": the one who
            # reached or made it does what the infinitive says
            tok = tok.head.head
            continue
        if tok.dep_ in ("acl", "relcl"):
            head = tok.head
            if tok.tag_ == "VBG" and mention(head) is None:
                # "claims of Iran supplying weapons": the gerund's subject follows "of"
                for p in head.children:
                    if p.dep_ == "prep" and p.lower_ == "of" and p.i < tok.i:
                        obj = next((c for c in p.children if c.dep_ == "pobj"), None)
                        if obj is not None:
                            return obj, False
            return head, tok.tag_ == "VBN"
        break
    return None, False


def prep_objects(token: Token, preps: Iterable[str]) -> list[Token]:
    wanted = set(preps)
    out: list[Token] = []
    for child in token.children:
        if child.dep_ in ("prep", "dative") and child.lower_ in wanted:
            out.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
        elif child.dep_ == "agent" and "by" in wanted:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def children(token: Token, deps: Iterable[str]) -> list[Token]:
    wanted = set(deps)
    return [c for c in token.children if c.dep_ in wanted]


def chain_to_root(token: Token, limit: int = 8) -> list[Token]:
    out = [token]
    while out[-1].head is not out[-1] and len(out) < limit:
        out.append(out[-1].head)
    return out


def governors(token: Token) -> list[Token]:
    """Tokens governing ``token`` within its own clause chain (control, aux, noun heads)."""
    out = []
    tok = token
    for _ in range(4):
        if tok.head is tok or tok.dep_ not in ("xcomp", "dobj", "pobj", "prep", "acl", "amod",
                                               "compound", "nsubj", "nsubjpass", "attr"):
            break
        tok = tok.head
        out.append(tok)
    return out


def items_in(tokens: Iterable[Token], doc: Doc) -> list[ItemMention]:
    idx = {t.i for t in tokens}
    return [m for m in items_of(doc) if any(i in idx for i in range(m.start, m.end))]


def clause_tokens(head: Token) -> list[Token]:
    """The subtree of ``head`` without embedded clauses that have their own subject."""
    out: list[Token] = []
    stack = [head]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in ("ccomp", "relcl", "advcl") and c is not head:
                continue
            stack.append(c)
    return out


def is_negated(token: Token) -> bool:
    for t in (token, *governors(token)[:2]):
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no"):
                return True
        if t.dep_ == "pobj" and t.head.lower_ == "without":
            return True
    return False


def factuality(trigger: Token, lex: Lexicon) -> tuple[str, list[Mention]]:
    """'asserted', 'possible' or 'negated', with the deniers when a denial governs."""
    chain = chain_to_root(trigger)
    for t in chain[1:]:
        if t.lemma_.lower() in lex.denial_verbs:
            subj, _ = subject(t)
            return "negated", actors(subj)
    if is_negated(trigger):
        return "negated", []
    for t in chain[:4]:
        if t.lower_ == "never" or any(c.lower_ == "never" for c in t.children):
            return "negated", []
    # "calling the reports rumors": a denial word governing the trigger's clause
    for t in chain[1:4]:
        if any(c.lemma_.lower() in lex.denial_words for c in t.children if c.dep_ in (
                "oprd", "attr", "acomp", "xcomp")):
            return "negated", []
    for t in chain[:5]:
        for c in t.children:
            if c.dep_ == "aux" and c.lower_ in lex.hedge_modals:
                return "possible", []
            if (c.dep_ in ("amod", "advmod")
                    and c.lower_ in lex.hedges
                    and (t is trigger or t.dep_ == "xcomp")):
                return "possible", []
            if c.dep_ == "mark" and c.lower_ == "if":
                return "possible", []
        if t is not trigger and t.lemma_.lower() in lex.hedge_verbs:
            return "possible", []
        if t is not trigger and t.lemma_.lower() in lex.attribution_verbs:
            break  # hedges above "X said" belong to the reporter, not the fact
    return "asserted", []


def attribution(trigger: Token, lex: Lexicon) -> list[Mention]:
    """Who the sentence attributes the fact to: "according to X", "X said"."""
    sent = trigger.sent
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
            objs = [c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"]
            found = [m for o in objs for m in actors(o)]
            if found:
                return found
    for t in chain_to_root(trigger)[1:]:
        if t.lemma_.lower() in lex.attribution_verbs:
            subj, passive = subject(t)
            found = [m for o in prep_objects(t, ["by"]) for m in actors(o)] if passive else actors(subj)
            if found:
                return found
    # "..., a White House official said" with the claim as the sentence root
    root = sent.root
    for t in sent:
        if t.lemma_.lower() in lex.attribution_verbs and t.head is root and t is not trigger \
                and t.dep_ in ("parataxis", "ccomp", "advcl"):
            subj, _ = subject(t)
            found = actors(subj)
            if found:
                return found
    return []
