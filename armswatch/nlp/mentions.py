"""Actor mentions: states, people, organizations, groups, with the state each acts for.

A spaCy component. It first computes every candidate mention (gazetteer
phrases from the vocabulary, spaCy's PERSON/ORG entities, "demonym + body"
phrases such as "Russian officials"), then annotates the Doc once: the chosen
mentions go to ``doc.user_data["aw_mentions"]`` and a token index to
``doc.user_data["aw_token_mention"]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from armswatch.vocab import Vocabulary, load_vocabulary

#: common nouns that, with a demonym or a state possessive, name a body that
#: acts for that state ("Russian officials", "Iran's foreign ministry")
BODY_NOUNS = frozenset(
    """
    official officials government governments regime authorities authority ministry
    ministries military army navy forces force intelligence diplomat diplomats leader
    leadership president minister spokesman spokesperson spokeswoman administration embassy
    mission delegation delegations officer officers agency agencies service services
    companies company firms firm entities entity side state media envoy ambassador commander
    commanders presidency cabinet parliament court prosecutors lawmakers legislators
    ministers counterpart counterparts official's troops soldiers
    """.split()  # noqa: SIM905
)
#: titles that precede a person's name and carry the state in front of them
TITLE_WORDS = frozenset(
    """
    president minister leader secretary spokesman spokesperson spokeswoman chief ambassador
    envoy general admiral director adviser advisor advisers chairman premier prime foreign
    defense defence deputy vice head commander king queen crown prince supreme counterpart
    dictator official senator representative coordinator
    """.split()  # noqa: SIM905
)
STOP_TITLE_DEPS = frozenset({"punct", "cc", "prep"})


@dataclass(frozen=True)
class Mention:
    """A span of tokens that names an actor."""

    start: int
    end: int
    name: str
    kind: str
    country: str | None
    #: state, seat, government, bloc, military, intelligence, company, group,
    #: media, person, body (demonym phrase), other
    category: str
    #: a bare demonym such as "Iranian" (an origin, not an actor by itself)
    demonym: bool = False

    @property
    def key(self) -> str:
        """States by ISO code, everyone else by name."""
        if self.kind == "country" and self.country:
            return self.country
        return self.name.casefold()

    @property
    def is_state_like(self) -> bool:
        """States and bodies that act for a state or bloc (can impose, supply, sign)."""
        return self.category in {
            "state",
            "seat",
            "government",
            "bloc",
            "military",
            "intelligence",
            "body",
        } or (self.kind == "country")


class MentionFinder:
    """Finds actor mentions with phrase matching and a few syntactic rules."""

    def __init__(self, nlp: Language, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary or load_vocabulary()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries: dict[str, tuple[str, str, str | None, str, bool]] = {}
        self._add_patterns(nlp)

    def _add(
        self, nlp: Language, key: str, phrases: set[str], entry: tuple[str, str, str | None, str, bool]
    ) -> None:
        self.entries[key] = entry
        docs = [nlp.make_doc(p) for p in sorted(phrases) if p]
        self.matcher.add(key, docs)

    def _add_patterns(self, nlp: Language) -> None:
        voc = self.vocabulary
        for code, c in voc.countries.items():
            names = {c.name, *c.aliases}
            names |= {f"the {n}" for n in names if n.startswith(("United", "Republic"))}
            self._add(nlp, f"C:{code}", names, (c.name, "country", code, "state", False))
            if c.seats:
                self._add(nlp, f"S:{code}", set(c.seats), (c.name, "country", code, "seat", False))
            if c.demonyms:
                self._add(nlp, f"D:{code}", set(c.demonyms), (c.name, "country", code, "state", True))
        for i, o in enumerate(voc.organizations):
            self._add(nlp, f"O:{i}", {o.name, *o.aliases}, (o.name, o.kind, o.country, o.category, False))
        for i, p in enumerate(voc.people):
            self._add(nlp, f"P:{i}", {p.name, *p.aliases}, (p.name, "person", p.country, "person", False))

    # -- compute -----------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        mentions = self.find(doc)
        self.set_annotations(doc, mentions)
        return doc

    def find(self, doc: Doc) -> list[Mention]:
        spans: list[Span] = []
        # every state named anywhere, kept for titles ("Russian President ...") so the
        # matcher runs once per document, not again per person
        countries: list[tuple[int, int, str]] = []
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            spans.append(Span(doc, start, end, label=key))
            if key[:2] in ("C:", "D:", "S:"):
                countries.append((start, end, key[2:]))
        # spaCy's people and organizations the gazetteer does not know
        for ent in doc.ents:
            if ent.label_ in ("PERSON", "ORG"):
                ent_start = ent.start + (1 if doc[ent.start].lower_ == "the" else 0)
                if ent_start < ent.end:
                    spans.append(Span(doc, ent_start, ent.end, label=f"N:{ent.label_}"))
        # known bodies by their last token: an entity span that ends with one ("the U.S.
        # Commerce Department's Bureau of Industry and Security") is that body
        tails = {sp.end: sp for sp in spans if sp.label_[:2] not in ("C:", "D:", "S:", "N:")}
        chosen = filter_spans(spans)
        found = (self._mention(doc, span, countries, tails) for span in chosen)
        mentions: list[Mention] = [m for m in found if m is not None]
        mentions = self._add_body_phrases(doc, mentions)
        mentions = _link_people(mentions)
        return sorted(mentions, key=lambda m: m.start)

    def _mention(self, doc: Doc, span: Span, countries: list[tuple[int, int, str]],
                 tails: dict[int, Span]) -> Mention | None:
        key = span.label_
        text = span.text.strip()
        if key.startswith("N:"):
            if not any(t.is_alpha and t.text[:1].isupper() for t in span):
                return None
            if key == "N:PERSON":
                return Mention(
                    span.start, span.end, text, "person", self._title_country(doc, span, countries), "person"
                )
            tail = tails.get(span.end)
            if tail is not None and tail.start > span.start:
                name, kind, country, category, _ = self.entries[tail.label_]
                if kind != "person":
                    return Mention(span.start, span.end, name, kind, country, category)
            country = self._title_country(doc, span, countries) or self._country_of_tokens(
                countries, span.start, span.end
            )
            return Mention(span.start, span.end, text, "organization", country, "other")
        name, kind, country, category, demonym = self.entries[key]
        if kind == "person":
            name = name if len(span) < len(name.split()) else text
            return Mention(span.start, span.end, name, kind, country, category)
        if kind == "country":
            name = name if demonym else text
            if text.lower().startswith("the "):
                name = text[4:]
            return Mention(span.start, span.end, name, kind, country, category, demonym)
        return Mention(span.start, span.end, text, kind, country, category)

    @staticmethod
    def _country_of_tokens(countries: list[tuple[int, int, str]], start: int, end: int) -> str | None:
        """The first state named wholly within tokens ``start:end``."""
        return next((code for s, e, code in countries if start <= s and e <= end), None)

    def _title_country(self, doc: Doc, span: Span, countries: list[tuple[int, int, str]]) -> str | None:
        """The state in a title before a name: "Russian President Vladimir Putin"."""
        i = span.start - 1
        start = span.start
        while i >= 0 and span.start - i <= 7:
            tok = doc[i]
            if tok.dep_ in STOP_TITLE_DEPS and tok.text not in ("of", "'s", "’s", ","):
                break
            if tok.is_sent_start:
                start = i
                break
            start = i
            i -= 1
        if start >= span.start:
            return None
        window = [t for t in doc[start : span.start]]
        if not any(t.lower_ in TITLE_WORDS for t in window):
            return None
        return self._country_of_tokens(countries, start, span.start)

    def _add_body_phrases(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """ "Russian officials", "Iran's foreign ministry", "US intelligence"."""
        covered = {i for m in mentions for i in range(m.start, m.end)}
        by_start = {m.start: m for m in mentions}
        out = list(mentions)
        for m in mentions:
            if m.country is None or m.kind not in ("country",):
                continue
            last = doc[m.end - 1]
            head = last.head
            if head.i < m.end or head.i in covered or head.lower_ not in BODY_NOUNS:
                continue
            if last.dep_ not in ("amod", "compound", "poss", "nmod"):
                continue
            if head.dep_ in ("amod", "compound") and head.head.pos_ == "NOUN":
                continue  # "North Korean military equipment": military describes the goods
            # the phrase runs from the demonym to the body noun
            text = doc[m.start : head.i + 1].text
            out.append(Mention(m.start, head.i + 1, text, "organization", m.country, "body"))
            out.remove(by_start[m.start])
            covered.update(range(m.start, head.i + 1))
        return out

    @staticmethod
    def set_annotations(doc: Doc, mentions: list[Mention]) -> None:
        doc.user_data["aw_mentions"] = mentions
        index: dict[int, int] = {}
        for n, m in enumerate(mentions):
            for i in range(m.start, m.end):
                index[i] = n
        doc.user_data["aw_token_mention"] = index


def _link_people(mentions: list[Mention]) -> list[Mention]:
    """A surname alone ("Kirby") takes the full name and state of its earlier mention."""
    seen: dict[str, Mention] = {}
    out = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.kind == "person":
            parts = m.name.split()
            prior = seen.get(parts[-1]) if len(parts) == 1 else None
            if prior is not None:
                m = Mention(m.start, m.end, prior.name, "person", m.country or prior.country, "person")
            elif m.country is None and len(parts) > 1 and parts[-1] in seen:
                m = Mention(m.start, m.end, m.name, "person", seen[parts[-1]].country, "person")
            if len(parts) > 1:
                for part in (parts[-1], parts[0]):
                    if part not in seen or seen[part].country is None:
                        seen[part] = m
        out.append(m)
    return out


def mentions_of(doc: Doc) -> list[Mention]:
    return doc.user_data.get("aw_mentions", [])


def mention_at(doc: Doc, i: int) -> Mention | None:
    n = doc.user_data.get("aw_token_mention", {}).get(i)
    return None if n is None else doc.user_data["aw_mentions"][n]
