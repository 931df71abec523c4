"""The frame around a transfer: the deal it belongs to, what is paid, who is warned.

Readings that several transfer rules share and that look past the trigger's own
clause: "signed a deal with Y to export tanks" (Y is the other party),
"provided Y with food in return for shells" (the shells go the other way),
"warned X not to supply weapons" (a warning, not a transfer).
"""

from __future__ import annotations

from spacy.tokens import Token

from armswatch.nlp.clauses import actors, children, prep_objects
from armswatch.nlp.mentions import Mention

#: nouns whose modifiers name the parties of a deal, not its supplier
DEAL_NOUNS = frozenset({"deal", "contract", "agreement", "negotiation", "talk", "discussion",
                        "transaction", "trade", "trading"})


def payment_phrases(tok: Token) -> list[tuple[int, int]]:
    """Token ranges of "in return for X" / "in exchange for X" phrases on the verb."""
    out = []
    for p in children(tok, ["prep"]):
        for n in children(p, ["pobj"]):
            if p.lower_ == "in" and n.lemma_.lower() in ("return", "exchange"):
                out += [(f.left_edge.i, f.right_edge.i + 1) for f in children(n, ["prep"])
                        if f.lower_ == "for"]
    return out


def deal_partners(tok: Token) -> list[Mention]:
    """"signed a deal with Poland to export tanks": the other party of the deal that
    the verb's infinitive spells out."""
    if tok.dep_ not in ("advcl", "xcomp", "acl", "relcl") or tok.head is tok:
        return []
    gov = tok.head
    deals = [gov] if gov.lemma_.lower() in DEAL_NOUNS else [
        o for o in children(gov, ["dobj", "nsubjpass"]) if o.lemma_.lower() in DEAL_NOUNS]
    if not deals:
        return []
    found = [m for d in deals for o in prep_objects(d, ["with", "between"]) for m in actors(o)]
    if gov.pos_ in ("VERB", "AUX"):
        found += [m for o in prep_objects(gov, ["with"]) for m in actors(o)]
    return found


#: verbs that tell someone what (not) to do
ADMONISH_VERBS = frozenset({"warn", "urge", "ask", "tell", "call", "press", "caution",
                            "advise", "pressure", "push"})


def warned_against(tok: Token) -> bool:
    """"warned Beijing not to supply Russia with weapons": a warning, neither a transfer
    nor its denial."""
    return tok.dep_ in ("xcomp", "ccomp") and tok.head.lemma_.lower() in ADMONISH_VERBS \
        and any(c.dep_ == "neg" for c in tok.children)
