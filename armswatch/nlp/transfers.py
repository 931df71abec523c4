"""Arms transfers: who supplies whom with what, at which stage.

Three ways language states a transfer, each a rule here:

- a supply verb: the giver is the subject ("X supplied drones to Y",
  "X provided Y with drones", "drones were supplied by X");
- an acquisition verb: the receiver is the subject ("Y is buying shells from
  X", "Y received drones from X", "Y is seeking munitions from X"), and the
  use of foreign-made weapons ("Y used Iranian drones");
- a transfer noun: "X's sale of rockets to Y", "an arms deal between X and
  Y", "negotiations on a weapons sale", "reliant on X for arms".
"""

from __future__ import annotations

from functools import cached_property

from spacy.tokens import Doc, Span, Token

from armswatch.nlp.clauses import (
    Lexicon,
    RawFact,
    actors,
    attribution,
    chain_to_root,
    children,
    clause_tokens,
    factuality,
    items_in,
    prep_objects,
    subject,
)
from armswatch.nlp.deals import DEAL_NOUNS, deal_partners, payment_phrases, warned_against
from armswatch.nlp.items import ItemMention, items_of
from armswatch.nlp.mentions import Mention, mention_at

#: transfer nouns named from the receiving side: "Poland's purchase of", "Kyiv's request for"
ACQUIRING_NOUNS = frozenset({"purchase", "acquisition", "order", "import", "procurement",
                             "request"})
#: verbs whose subject carries out the transfer named by their object
DOER_VERBS = frozenset({"complete", "make", "carry", "conduct", "begin", "start", "take",
                        "receive", "get", "place", "finalize", "finalise", "arrange",
                        "execute", "resume", "continue", "step", "increase", "expand", "win"})
#: nouns that a designation names a piece of hardware with: "Rafale jets", "Patriot batteries"
HARDWARE_HEADS = frozenset({"jet", "battery", "system", "unit", "platform", "variant", "model",
                            "launcher", "interceptor", "plane", "vessel", "boat", "vehicle",
                            "fighter", "gun", "carrier", "helicopter"})
DESIGN_WORDS = frozenset({"designed", "type", "style", "based", "licensed", "copy", "copies",
                          "variant", "version", "versions", "derived", "inspired", "pattern"})


class TransferRules:
    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        s = "arms_transfer"
        self.supply = lex.words(s, "supply_verbs")
        self.acquire = lex.words(s, "acquire_verbs")
        self.use = lex.words(s, "use_verbs")
        self.seek = lex.words(s, "seek_verbs")
        self.nouns = lex.mapping(s, "nouns")
        self.verb_stage = lex.mapping(s, "verb_stage")
        self.sought_gov = lex.words(s, "sought_governors")
        self.negotiating_gov = lex.words(s, "negotiating_governors")
        self.agreed_gov = lex.words(s, "agreed_governors")
        self.purpose = lex.words(s, "purpose_verbs")
        self.reliance = lex.words(s, "reliance_words")
        self.doers = self.agreed_gov | self.negotiating_gov | self.sought_gov | DOER_VERBS

    @cached_property
    def all_triggers(self) -> frozenset[str]:
        return self.supply | self.acquire | self.use | frozenset(self.nouns) | self.reliance

    def find(self, doc: Doc) -> list[RawFact]:
        facts: list[RawFact] = []
        if not items_of(doc):
            return facts
        item_sents = {doc[m.start].sent.start for m in items_of(doc)}
        for sent in doc.sents:
            if sent.start not in item_sents:
                continue
            used: set[int] = set()
            for tok in sent:
                lemma = tok.lemma_.lower()
                if lemma not in self.all_triggers or tok.i in used:
                    continue
                fact = None
                if tok.pos_ in ("VERB",) or (tok.pos_ == "AUX" and lemma == "get"):
                    if lemma in self.supply:
                        fact = self._supply(tok, sent)
                    if fact is None and lemma in self.acquire:
                        fact = self._acquire(tok, sent)
                    if fact is None and lemma in self.use:
                        fact = self._use(tok, sent)
                    if fact is None and lemma in self.reliance:
                        fact = self._reliance(tok, sent)
                elif tok.pos_ in ("NOUN", "PROPN"):
                    if lemma in self.nouns:
                        fact = self._noun(tok, sent)
                elif tok.pos_ == "ADJ" and lemma in self.reliance:
                    fact = self._reliance(tok, sent)
                if fact is not None and warned_against(tok):
                    fact = None
                if fact is not None:
                    used.update(t.i for t in tok.subtree if t.lemma_.lower() in self.nouns)
                    facts.append(self._finish(fact))
        return facts

    # -- rules ---------------------------------------------------------------
    def _clause_items(self, tok: Token) -> list[ItemMention]:
        return self._goods(items_in(clause_tokens(tok), tok.doc), tok.doc)

    def _goods(self, items: list[ItemMention], doc: Doc) -> list[ItemMention]:
        """Drop items that only modify another noun: "drone trainers", "missile tests"."""
        spans = {i for m in items for i in range(m.start, m.end)}
        out = []
        for m in items:
            last = doc[m.end - 1]
            if last.dep_ == "compound" and last.head.i not in spans \
                    and last.head.lemma_.lower() not in self.nouns \
                    and not (m.designation and last.head.lemma_.lower() in HARDWARE_HEADS):
                continue
            out.append(m)
        return out

    def _supply(self, tok: Token, sent: Span) -> RawFact | None:
        items = self._clause_items(tok)
        subj, passive = subject(tok)
        suppliers: list[Mention] = []
        recipients: list[Mention] = []
        if passive:
            suppliers = [m for o in prep_objects(tok, ["by"]) for m in actors(o)]
            if subj is not None and mention_at(tok.doc, subj.i) is not None:
                recipients = actors(subj)
            elif subj is not None:
                items = items or items_in(subj.subtree, tok.doc)
        else:
            suppliers = actors(subj)
        recipients += [m for o in self._objects_prep(tok, ["to", "into"]) for m in actors(o)]
        item_tokens = {i for m in items for i in range(m.start, m.end)}
        for o in children(tok, ["dative", "dobj"]):
            # a designation the parser also reads as a name ("Marder vehicles") is goods
            found = [m for m in actors(o) if m.start not in item_tokens]
            if found and not any(o.i in range(i.start, i.end) for i in items):
                recipients += found
                # "provided Russia with drones"
        recipients += self._purpose_recipients(tok)
        if not recipients:
            recipients = deal_partners(tok)
        # "provided Y with food in return for munitions": the munitions go the other way
        payment = payment_phrases(tok)
        goods = [i for i in items if not any(i.start in range(a, b) for a, b in payment)]
        if items and not goods:
            suppliers, recipients = recipients, suppliers
        items = goods or items
        if not items:
            return None
        suppliers = [m for m in suppliers if m not in recipients]
        if not suppliers and not recipients:
            return None
        return RawFact("arms_transfer", sent, tok,
                       roles={"supplier": suppliers, "recipient": recipients},
                       stage=self.verb_stage.get(tok.lemma_.lower(), "delivered"), items=items)

    @staticmethod
    def _objects_prep(tok: Token, preps: list[str]) -> list[Token]:
        """Prepositions on the verb or, as the parser often attaches them, on its object."""
        out = prep_objects(tok, preps)
        for o in children(tok, ["dobj"]):
            for x in o.subtree:
                if x is not o and x.dep_ == "prep" and x.lower_ in preps and x.head.pos_ in (
                        "NOUN", "PROPN"):
                    out += [c for c in x.children if c.dep_ == "pobj"]
            out += [p for c in o.conjuncts for p in prep_objects(c, preps)]
        return out

    def _purpose_recipients(self, tok: Token) -> list[Mention]:
        """"sent troops to support Russia's invasion" -> Russia."""
        out: list[Mention] = []
        for c in tok.children:
            if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in self.purpose:
                for o in children(c, ["dobj"]):
                    out += actors(o) or [m for p in children(o, ["poss"]) for m in actors(p)]
                for o in prep_objects(c, ["for", "with"]):
                    out += actors(o)
        return out

    def _acquire(self, tok: Token, sent: Span) -> RawFact | None:
        items = self._clause_items(tok)
        if not items:
            return None
        subj, passive = subject(tok)
        recipients = [m for o in prep_objects(tok, ["by"]) for m in actors(o)] if passive else actors(subj)
        suppliers = [m for o in self._objects_prep(tok, ["from"]) for m in actors(o)]
        if not suppliers:
            suppliers = [m for m in deal_partners(tok) if m not in recipients]
        if not suppliers:
            # "additional North Korean military equipment": the origin of the goods
            suppliers = self._origins(items, recipients, tok.doc)
        if not recipients and not suppliers:
            return None
        lemma = tok.lemma_.lower()
        stage = self.verb_stage.get(lemma, "delivered")
        if lemma == "take" and not any(c.lemma_ == "delivery" for c in tok.children):
            return None
        return RawFact("arms_transfer", sent, tok,
                       roles={"supplier": suppliers, "recipient": recipients},
                       stage=stage, items=items)

    def _origins(self, items: list[ItemMention], recipients: list[Mention],
                 doc: Doc) -> list[Mention]:
        """"North Korean military equipment": a demonym before the item names its origin."""
        taken = {r.country for r in recipients}
        out: list[Mention] = []
        for item in items:
            for t in doc[max(0, item.start - 4):item.start]:
                m = mention_at(doc, t.i)
                # a demonym, or a name that runs into the item ("North Korean military
                # equipment" read as "North Korean military" + "military equipment")
                if m is None or not (m.demonym or (m.country and m.end > item.start)) \
                        or m.country in taken or m in out:
                    continue
                if any(a.lower_ in DESIGN_WORDS for a in doc[m.end:m.end + 2]):
                    continue
                out.append(m)
        return out

    def _use(self, tok: Token, sent: Span) -> RawFact | None:
        """"Russian forces are using Iranian drones": made abroad, used at home."""
        subj, passive = subject(tok)
        users = [m for o in prep_objects(tok, ["by"]) for m in actors(o)] if passive \
            else actors(subj)
        objects = [subj] if passive and subj is not None else children(tok, ["dobj"])
        suppliers: list[Mention] = []
        items: list[ItemMention] = []
        for o in objects:
            found = items_in(o.subtree, tok.doc)
            if not found:
                continue
            for t in o.subtree:
                m = mention_at(tok.doc, t.i)
                if m is None or not m.demonym or t.dep_ not in ("amod", "compound", "nmod"):
                    continue
                after = tok.doc[m.end:m.end + 2]
                if any(a.lower_ in DESIGN_WORDS for a in after):
                    continue
                suppliers.append(m)
                items += found
        users = [u for u in users if u.country not in {s.country for s in suppliers}]
        if not suppliers or not users or not items:
            return None
        return RawFact("arms_transfer", sent, tok,
                       roles={"supplier": suppliers, "recipient": users},
                       stage="delivered", items=items)

    def _reliance(self, tok: Token, sent: Span) -> RawFact | None:
        """"reliant on X for arms", "turning to X for weapons"."""
        # "has become reliant on X": the parser hangs the phrases on the copula
        heads = [tok]
        if tok.pos_ == "ADJ" and tok.head is not tok and tok.head.pos_ in ("AUX", "VERB"):
            heads.append(tok.head)
        ons = [o for h in heads for o in prep_objects(h, ["on", "to", "upon"]) if o.i > tok.i]
        suppliers = [m for o in ons for m in actors(o)]
        for o in ons:
            for c in o.children:
                if c.dep_ == "prep" and c.lower_ in ("like", "including"):
                    suppliers += [m for p in children(c, ["pobj"]) for m in actors(p)]
            # "North Korea, as well as Iran": spaCy attaches the second as conj/appos
            for c in o.subtree:
                m = mention_at(tok.doc, c.i)
                if m is not None and not m.demonym and m not in suppliers and m.kind == "country":
                    suppliers.append(m)
        if ons:
            # "... as well as Iran" hung on the verb as a coordinator
            for c in heads[-1].children:
                if c.dep_ == "cc" and c.lower_ == "as" and c.i > ons[0].i:
                    suppliers += [m for p in children(c, ["pobj"]) for m in actors(p)
                                  if m not in suppliers]
        # "for the arms" may hang on any verb above: take the first after the supplier
        fors = [f for h in [*heads, *chain_to_root(heads[-1])[1:3]]
                for f in prep_objects(h, ["for"]) if f.i > tok.i]
        items = [i for f in fors[:1] for i in items_in(f.subtree, tok.doc)]
        if not suppliers or not items:
            return None
        head = tok if tok.pos_ == "VERB" else tok.head
        subj, _ = subject(head)
        recipients = actors(subj)
        if not recipients:
            return None
        return RawFact("arms_transfer", sent, tok,
                       roles={"supplier": suppliers, "recipient": recipients},
                       stage="delivered", items=items)

    def _noun(self, tok: Token, sent: Span) -> RawFact | None:
        lemma = tok.lemma_.lower()
        doc = tok.doc
        # the items must belong to this noun: "arms deal", "sale of rockets", "deal to export tanks"
        items = self._goods(items_in([c for c in tok.subtree if c.i <= tok.i + 12], doc), doc)
        if not items:
            return None
        stage = self.nouns[lemma]
        acquiring = lemma in ACQUIRING_NOUNS
        suppliers: list[Mention] = []
        recipients: list[Mention] = []
        modifier_parties: list[Mention] = []
        # modifiers name the actor on the noun's own side: "North Korea's sale", "Russian purchases"
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod"):
                found = actors(c, follow_conj=False)
                m = mention_at(doc, c.i)
                if m is not None and m.demonym and m not in found:
                    found = [m]
                if m is not None and m.demonym:
                    # "Russian and North Korean talks": coordinated demonyms, both parties
                    found += [x for x in (mention_at(doc, d.i) for d in c.conjuncts)
                              if x is not None and x.demonym and x not in found]
                if lemma in DEAL_NOUNS:
                    modifier_parties.extend(found)
                else:
                    (recipients if acquiring else suppliers).extend(found)
        suppliers += [m for o in prep_objects(tok, ["from", "by"]) for m in actors(o)]
        recipients += [m for o in prep_objects(tok, ["to", "for"]) for m in actors(o)]
        for o in prep_objects(tok, ["of", "for"]):
            recipients += [m for p in prep_objects(o, ["to"]) for m in actors(p)]
            suppliers += [m for p in prep_objects(o, ["from"]) for m in actors(p)]
        # a deal's parties: the subject of the verb that governs it and "with"/"between"
        subject_side: list[Mention] = []
        other_side = modifier_parties + [m for o in prep_objects(tok, ["between", "with"])
                                         for m in actors(o)]
        head = tok.head
        governing = head if tok.dep_ in ("dobj", "nsubjpass", "nsubj") and head.pos_ in (
            "VERB", "AUX") else None
        if governing is not None:
            hl = governing.lemma_.lower()
            if hl in self.agreed_gov:
                stage = "agreed"
            elif hl in self.negotiating_gov:
                stage = "negotiating"
            if tok.dep_ == "dobj" and hl in self.doers:
                subj, _ = subject(governing)
                found = actors(subj)
                if hl in ("take", "receive", "get", "place"):
                    recipients += found
                elif lemma in ("deal", "contract", "agreement", "negotiation", "talk",
                               "transaction", "trade"):
                    subject_side += found
                else:
                    (recipients if acquiring else suppliers).extend(found)
            other_side += [m for o in prep_objects(governing, ["with", "between"])
                           for m in actors(o)]
            # "approved the sale of missiles to Saudi Arabia": the parser puts "to" on the verb
            to_side = [m for o in prep_objects(governing, ["to"]) for m in actors(o)]
            from_side = [m for o in prep_objects(governing, ["from"]) for m in actors(o)]
            if lemma not in DEAL_NOUNS:
                recipients += [] if acquiring else to_side
                suppliers += from_side
        # direction from a purpose verb: "a deal with Poland to export tanks"
        # (not a relative clause: "a food-for-arms deal, in which X would provide food")
        purpose = [c for c in tok.subtree if c.pos_ == "VERB"
                   and c.lemma_.lower() in self.supply | self.acquire
                   and not any(a.dep_ == "relcl" for a in chain_to_root(c)
                               if tok.i != a.i and tok in a.ancestors)]
        if governing is not None:
            purpose += [c for c in governing.children if c.dep_ in ("advcl", "xcomp")
                        and c.lemma_.lower() in self.supply | self.acquire]
        direction = purpose[0].lemma_.lower() if purpose else None
        if direction is not None:
            verb = purpose[0]
            if direction in self.supply:
                suppliers += subject_side
                recipients += other_side + [m for o in self._objects_prep(verb, ["to"])
                                            for m in actors(o)]
            else:
                recipients += subject_side
                suppliers += other_side + [m for o in self._objects_prep(verb, ["from"])
                                           for m in actors(o)]
            subject_side, other_side = [], []
        parties = [m for m in subject_side + other_side
                   if m not in suppliers and m not in recipients]
        undirected = False
        if parties:
            if suppliers and not recipients:
                recipients = parties
            elif recipients and not suppliers:
                suppliers = parties
            elif not suppliers and not recipients and len({m.key for m in parties}) >= 2:
                undirected = True
                suppliers = recipients = parties
        if not suppliers and recipients:
            suppliers = self._origins(items, recipients, doc)
        if not suppliers and not recipients:
            return None
        return RawFact("arms_transfer", sent, tok,
                       roles={"supplier": suppliers, "recipient": list(recipients)},
                       stage=stage, items=items, undirected=undirected)

    def _finish(self, fact: RawFact) -> RawFact:
        tok = fact.trigger
        fact.factuality, deniers = factuality(tok, self.lex)
        fact.source = deniers or attribution(tok, self.lex)
        for t in chain_to_root(tok)[1:5]:
            lemma = t.lemma_.lower()
            if lemma in self.sought_gov and fact.stage in ("delivered", "agreed"):
                fact.stage = "sought" if fact.trigger.lemma_.lower() in self.acquire else fact.stage
                break
            if lemma in self.negotiating_gov and fact.stage in ("delivered", "agreed"):
                fact.stage = "negotiating"
                break
            if lemma in self.agreed_gov and fact.stage == "delivered":
                fact.stage = "agreed"
                break
        if any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall") for c in tok.children) \
                and fact.stage == "delivered" and fact.factuality == "asserted":
            fact.stage = "agreed"
        if fact.trigger.lemma_.lower() in self.seek:
            fact.stage = "sought"
        return fact

