"""API load: 50 keep-alive clients against ``armswatch serve`` on a store of 100,000 facts.

Usage::

    .venv/bin/python benchmarks/api_load.py [--facts 100000] [--db PATH [--keep]] [--clients 50]
        [--duration 20] [--warmup 2] [--max-requests 200000] [--timeout 30] [--workers N]
        [--server-args "..."] [--server-log FILE] [--token TEXT] [--no-prime] [--cache-bust] [--seed 20260601]
        [--batch 500] [--json]
    .venv/bin/python benchmarks/api_load.py --self-test

1. *Store*: ``--facts`` synthetic facts (~5 per document, so ~20,000
   documents published 2022-2026 by three dozen publishers) of the five fact
   types, between ~40 states and ~200 companies and people, with stages,
   items, factualities (mostly asserted), dates and sources, each with one
   evidence span that slices its document's text exactly; ~5% of documents
   are republications of earlier ones (one story, several publishers). They
   are written through the store's own write path, as a run would
   (``Store.add_documents``, ``Store.save_extractions`` in batches, then
   ``Pipeline.consolidate`` which builds the events). Fixed seed. The file is
   built in a temporary directory, or at ``--db PATH`` (kept afterwards);
   ``--keep`` reuses a file built earlier by this script if its fact count
   and seed match.
2. *Server*: ``python -m armswatch serve --host 127.0.0.1 --port PORT --db DB``
   (+ ``--workers N`` if asked and the CLI has it, + ``--server-args``), ready
   when ``GET /api/health`` answers 200 (waits up to 120 s). Only loopback
   (127.0.0.1) is ever contacted.
3. *Load*: ``--clients`` concurrent HTTP/1.1 keep-alive connections, each
   looping over a shuffled mix of realistic requests for ``--duration``
   seconds (after ``--warmup`` seconds not counted), or until
   ``--max-requests``. Phases: the baseline ``/api/health`` (the cheapest
   endpoint), ``/api/register`` (with and without supplier, recipient, item and
   since filters, pages by offset), ``/api/facts?limit=50`` (type, actor,
   factuality, since filters, offsets), then the baseline again. Per phase:
   requests, errors (non-200 answers, connection failures, bad bodies), req/s
   and its ratio to the mean baseline throughput (the house rule: the machine
   is noisy, so ratios against a baseline measured in the same process),
   latency p50/p90/p99/max, the share answered from the server's response
   cache (``X-Cache: hit``), and CPU used by client and server. Targets: no
   errors, p99 < 100 ms. By default each measured phase starts with the
   server's response cache primed (every distinct request of the mix asked
   once): the steady state of a server in use. ``--no-prime`` measures from a
   cold cache; ``--cache-bust`` makes every query string unique, so
   that each request is computed (the worst case); without it the mix of
   3,000 distinct requests per family repeats, as analysts paging do.

The client is a lean asyncio one on raw streams, not httpx.AsyncClient: on
two cores shared with the server, client CPU time is taken from the server.
``--self-test`` measures it against a trivial stand-in server (this script,
``--stand-in PORT``) where it sustains several thousand requests/s on
one core, far above what the API serves, and checks the generator on a
small store. No timed assertions: the script prints; it exits 1 only when
there were errors, 2 when the server could not be started.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import math
import os
import platform
import random
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the only address this script ever connects to
DEFAULT_SEED = 20260601
TARGET_P99_MS = 100.0
OWNER = "benchmark api_load"  # the store's run command starts so: a file this script built
MARK = f"{OWNER} v3"  # ... with this generator (a new version rebuilds the file; v3: MinHash v2)
START_TIMEOUT = 120.0

# -- synthetic vocabulary --------------------------------------------------------

STATES = ("RU", "KP", "IR", "CN", "BY", "UA", "US", "GB", "FR", "DE", "PL", "TR", "IL", "IN", "PK",
          "SA", "AE", "EG", "KR", "JP", "TW", "SY", "IQ", "VE", "CU", "MM", "ER", "SD", "ML", "RS",
          "HU", "KZ", "AM", "AZ", "GE", "QA", "BR", "ZA", "IT", "CZ")
PUBLISHERS = (
    "Reuters", "Associated Press", "Agence France-Presse", "BBC News", "Al Jazeera", "Defense News",
    "Janes", "Breaking Defense", "The Guardian", "Financial Times", "The New York Times",
    "The Washington Post", "Kyiv Independent", "Meduza", "NK News", "Yonhap", "Nikkei Asia",
    "South China Morning Post", "Times of Israel", "Hurriyet Daily News", "Dawn", "The Hindu",
    "Arab News", "The National", "Middle East Eye", "Radio Free Europe", "Deutsche Welle", "Le Monde",
    "Euractiv", "Politico Europe", "Military Times", "War on the Rocks", "Army Recognition",
    "The Diplomat", "Caspian News", "Africa Report",
)
ITEM_PHRASES: dict[str, tuple[str, ...]] = {
    "ammunition": ("artillery shells", "152mm shells", "ammunition", "tank rounds", "munitions"),
    "artillery": ("howitzers", "self-propelled guns", "multiple rocket launchers"),
    "rockets": ("rockets", "unguided rockets"),
    "missiles": ("ballistic missiles", "cruise missiles", "anti-tank missiles"),
    "drones": ("attack drones", "reconnaissance drones", "loitering munitions"),
    "air_defence": ("air defence systems", "surface-to-air missile batteries"),
    "armoured_vehicles": ("tanks", "armoured personnel carriers", "infantry fighting vehicles"),
    "aircraft": ("fighter jets", "attack helicopters", "transport aircraft"),
    "ships": ("patrol boats", "corvettes", "submarines"),
    "small_arms": ("assault rifles", "machine guns", "sniper rifles"),
    "components": ("microelectronics", "machine tools", "engine parts", "dual-use components"),
    "raw_materials": ("nitrocellulose", "titanium", "explosive precursors"),
    "fuel": ("jet fuel", "diesel fuel"),
    "technology": ("satellite technology", "missile technology"),
    "troops": ("troops", "soldiers"),
    "weapons": ("weapons", "military equipment", "arms"),
}
ITEM_WEIGHTS = {"ammunition": 9, "drones": 8, "missiles": 7, "artillery": 5, "weapons": 6,
                "air_defence": 4, "armoured_vehicles": 4, "components": 5, "aircraft": 3, "ships": 2,
                "small_arms": 3, "rockets": 3, "raw_materials": 1, "fuel": 1, "technology": 2, "troops": 1}
TYPE_WEIGHTS = {"arms_transfer": 40, "sanction": 20, "diplomatic_contact": 15, "cooperation": 10,
                "statement": 15}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
FIRST_PUBLISHED = date(2022, 1, 1)
LAST_PUBLISHED = date(2026, 11, 20)

TRANSFER_TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("sought", "asserted"): ("{R} has asked {S} for {X}{D}.", "{R} requested {Q}{X} from {S}{D}.",
                             "{R} is seeking to buy {X} from {S}{D}."),
    ("sought", "possible"): ("{R} may ask {S} for {X}{D}.",),
    ("negotiating", "asserted"): ("{S} is negotiating the sale of {Q}{X} to {R}{B}{D}.",
                                  "{S} and {R} held talks on a deal for {X}{D}.",
                                  "{S} offered {Q}{X} to {R}{B}{D}."),
    ("negotiating", "possible"): ("{S} could open talks on selling {X} to {R}{D}.",),
    ("agreed", "asserted"): ("{S} signed a contract to supply {Q}{X} to {R}{B}{D}.",
                             "{S} agreed to send {Q}{X} to {R}{D}.", "{R} ordered {Q}{X} from {S}{B}{D}."),
    ("agreed", "possible"): ("{S} is expected to agree to supply {X} to {R}{D}.",),
    ("delivered", "asserted"): ("{S} delivered {Q}{X} to {R}{B}{D}.", "{S} shipped {Q}{X} to {R}{D}.",
                                "{R} received {Q}{X} from {S}{B}{D}."),
    ("delivered", "possible"): ("{S} may have delivered {X} to {R}{D}.",
                                "{S} could deliver {Q}{X} to {R}{D}."),
    ("delivered", "negated"): ("{S} denied supplying {X} to {R}.",
                               "{S} rejected reports that it had sent {X} to {R}."),
    ("agreed", "negated"): ("{S} denied that it had agreed to sell {X} to {R}.",),
}
SANCTION_TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("imposed", "asserted"): ("{I} imposed sanctions on {T}{D}.", "{I} added {T} to its sanctions list{D}.",
                              "{I} froze the assets of {T}{D}."),
    ("threatened", "asserted"): ("{I} threatened to sanction {T}{D}.",
                                 "{I} is considering sanctions against {T}."),
    ("lifted", "asserted"): ("{I} lifted sanctions on {T}{D}.",),
    ("imposed", "possible"): ("{I} could impose sanctions on {T}{D}.",),
    ("imposed", "negated"): ("{I} denied that it had sanctioned {T}.",),
}
CONTACT_TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("visit", "asserted"): ("{P} visited {P2}{D}.", "{P} travelled to {P2} for an official visit{D}."),
    ("meeting", "asserted"): ("{P} met {P2} in {CITY}{D}.", "{P} held talks with {P2}{D}."),
    ("letter", "asserted"): ("{P} sent a letter to {P2}{D}.",),
    ("call", "asserted"): ("{P} spoke by phone with {P2}{D}.",),
    ("meeting", "possible"): ("{P} is expected to meet {P2}{D}.",),
    ("meeting", "negated"): ("{P} denied meeting {P2}.",),
}
COOPERATION_TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("pledged", "asserted"): ("{P} and {P2} pledged to expand {M} cooperation{D}.",),
    ("agreed", "asserted"): ("{P} and {P2} signed a {M} cooperation agreement{D}.",
                             "A {M} pact between {P} and {P2} entered into force{D}."),
    ("agreed", "possible"): ("{P} and {P2} may sign a {M} cooperation treaty{D}.",),
    ("agreed", "negated"): ("{P} denied plans for a {M} pact with {P2}.",),
}
STATEMENT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "condemnation": ("{SP} condemned {T} over {WHY}{D}.", "{SP} called {WHY} by {T} a violation{D}."),
    "warning": ("{SP} warned {T} of consequences over {WHY}{D}.", "{SP} urged {T} to stop {WHY}{D}."),
    "accusation": ("{SP} accused {T} of {WHY}{D}.",),
}
DOMAIN_WORDS = {"military": ("military", "defence"), "economic": ("economic", "trade"),
                "general": ("strategic",)}
WHY = ("its weapons deliveries", "the missile launches", "supplying drones to the front",
       "violating the arms embargo", "the shipments of shells", "the transfer of fighter jets")
CITIES = ("Geneva", "Vienna", "Istanbul", "Doha", "Beijing", "Moscow", "Tehran", "New Delhi", "Riyadh",
          "Abu Dhabi", "Minsk", "Astana", "Baku", "Cairo", "Brussels", "Warsaw", "Seoul", "Tokyo")
FILLER_TEMPLATES = (
    "The {adj} {noun} in {place} drew {n} {plural} over the {period}.",
    "Analysts at {inst} said the {adj} {noun} reflected {adj2} {noun2} in {place}.",
    "Officials in {place} gave no further details on the {noun} or its {noun2}.",
    "Prices for {noun2} rose by {n} percent in {place}, {inst} reported.",
    "{inst} has tracked {n} {plural} since the {period} began.",
    "Satellite images taken on day {n} showed {adj} {plural} near {place}.",
    "The {noun} follows {n} {adj2} {plural} recorded by {inst}.",
)
FILLER_WORDS: dict[str, tuple[str, ...]] = {
    "adj": ("renewed", "unexpected", "long-delayed", "quiet", "costly", "disputed", "rapid", "limited",
            "covert", "sustained", "formal", "fragile", "regional", "secret", "public", "large"),
    "adj2": ("growing", "shifting", "persistent", "uneven", "mounting", "wider", "deeper", "new",
             "older", "seasonal", "logistical", "political", "industrial", "financial"),
    "noun": ("buildup", "shipment", "programme", "agreement", "exercise", "convoy", "tender", "audit",
             "review", "campaign", "investigation", "partnership", "dispute", "offensive", "summit"),
    "noun2": ("supply chains", "spare parts", "freight rates", "production lines", "insurance costs",
              "customs checks", "port traffic", "rail links", "defence budgets", "export controls"),
    "plural": ("flights", "trains", "vessels", "trucks", "containers", "inspections", "sorties",
               "launches", "convoys", "payments", "complaints", "meetings"),
    "place": ("the Black Sea", "the Caspian region", "the Red Sea", "the Baltic", "the Sahel",
              "the Korean peninsula", "the Gulf", "Central Asia", "the Caucasus", "the Eastern Mediterranean",
              "the South China Sea", "the Horn of Africa", "the Balkans", "the Levant"),
    "period": ("winter", "spring", "summer", "autumn", "past year", "first quarter", "last decade",
               "campaign", "ceasefire", "negotiations"),
    "inst": ("the Institute for Strategic Affairs", "Conflict Armament Monitor", "the Open Ledger Project",
             "Maritime Watch", "the Centre for Arms Studies", "Orbital Insight Group", "Trade Data Monitor",
             "the Baltic Security Forum", "Sahel Observatory", "the Pacific Defence Review"),
}
_SYLLABLES = ("ar", "vek", "zor", "tal", "bri", "mon", "kas", "dra", "vin", "sel", "tor", "nak", "ril",
              "gos", "pel", "yar", "zen", "lum", "kor", "bas", "dun", "mir", "tek", "val", "sol")
_COMPANY_SUFFIXES = ("Defence Systems", "Trading", "Aerotech", "Logistics", "Munitions", "Machine Works",
                     "Shipping", "Electronics", "Industrial Group", "Engineering", "Arms Export",
                     "Precision Tools")
_FIRST = ("Ivan", "Olga", "Dmitri", "Kim", "Ali", "Reza", "Farid", "Li", "Wei", "Hassan", "Maria", "John",
          "Sergei", "Elena", "Omar", "Yusuf", "Anna", "Pavel", "Chen", "Lee", "Nadia", "Viktor")
_LAST = ("Petrovan", "Karimov", "Solberg", "Ahmadi", "Novak", "Rahimi", "Zhukovsky", "Tanaka", "Haddad",
         "Morales", "Kowalczyk", "Demir", "Bashir", "Orlovsky", "Jang", "Mirzaev", "Falk", "Duran")


@dataclass(frozen=True)
class Actor:
    """A mention the generator writes: its text and the Entity the extractor would give."""

    text: str
    kind: str
    country: str | None

    def entity(self) -> Any:
        from armswatch.model import Entity

        return Entity(self.text, self.kind, self.country)


@dataclass(frozen=True)
class Pools:
    states: tuple[Actor, ...]
    state_weights: tuple[float, ...]
    companies: tuple[Actor, ...]
    officials: tuple[Actor, ...]
    brokers: tuple[Actor, ...]
    designations: dict[str, tuple[str, ...]]


def make_pools(seed: int) -> Pools:
    """The actors: ~40 states (Zipf-like weights), ~130 companies, ~70 people; fixed by the seed."""
    from armswatch.resolve import EntityResolver

    rng = random.Random(seed)
    vocab = EntityResolver().vocabulary
    states = tuple(Actor(vocab.country_name(code), "country", code) for code in STATES)
    weights = tuple(1 / (i + 1) ** 0.8 for i in range(len(STATES)))
    names: set[str] = set()
    companies: list[Actor] = []
    while len(companies) < 130:
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()
        name = f"{stem} {rng.choice(_COMPANY_SUFFIXES)}"
        if name not in names:
            names.add(name)
            companies.append(Actor(name, "organization", rng.choice(STATES)))
    people: list[str] = []
    while len(people) < 70:
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        if name not in names:
            names.add(name)
            people.append(name)
    officials = tuple(Actor(n, "person", rng.choice(STATES[:20])) for n in people[:50])
    brokers = tuple(Actor(n, "person", None) for n in people[50:])
    designations = {cat: tuple(f"{rng.choice('ABKMNRST')}{rng.choice('ABHKMSVZ')}-{rng.randint(2, 600)}"
                               for _ in range(6))
                    for cat in ("missiles", "drones", "air_defence", "armoured_vehicles", "aircraft",
                                "artillery", "rockets", "ships")}
    return Pools(states, weights, tuple(companies), officials, brokers, designations)


class Generator:
    """Synthetic documents with facts whose evidence slices the text exactly."""

    def __init__(self, pools: Pools, seed: int) -> None:
        self.pools = pools
        self.rng = random.Random(seed + 1)
        self._items = list(ITEM_WEIGHTS)
        self._item_weights = [ITEM_WEIGHTS[c] for c in self._items]
        self._types = list(TYPE_WEIGHTS)
        self._type_weights = [TYPE_WEIGHTS[t] for t in self._types]
        #: earlier (Document, facts) by number of facts: what a republication copies
        self.made: dict[int, list[tuple[Any, list[Any]]]] = {}

    # actors
    def state(self) -> Actor:
        return self.rng.choices(self.pools.states, self.pools.state_weights)[0]

    def party(self, state_share: float = 0.8) -> Actor:
        if self.rng.random() < state_share:
            return self.state()
        if self.rng.random() < 0.5:
            return self.rng.choice(self.pools.officials)
        return self.rng.choice(self.pools.companies)

    def pair(self, first: Callable[[], Actor], second: Callable[[], Actor]) -> tuple[Actor, Actor]:
        a = first()
        for _ in range(20):
            b = second()
            if b.text != a.text:
                return a, b
        return a, next(s for s in self.pools.states if s.text != a.text)

    def date_clause(self, published: date) -> tuple[str, tuple[str, ...]]:
        """`` in August 2023`` (or a day, or nothing) before publication, and its expression."""
        roll = self.rng.random()
        if roll < 0.35:
            return "", ()
        when = published - timedelta(days=self.rng.randint(0, 540))
        if roll < 0.75:
            expr = f"in {MONTHS[when.month - 1]} {when.year}"
        else:
            expr = f"on {when.day} {MONTHS[when.month - 1]} {when.year}"
        return " " + expr, (expr,)

    def factuality(self, negatable: bool = True) -> str:
        roll = self.rng.random()
        if roll < 0.86:
            return "asserted"
        return "possible" if roll < 0.95 or not negatable else "negated"

    def sentence(self, kind: str, published: date) -> tuple[str, dict[str, Any]]:
        """One fact sentence and the Fact fields it states (evidence and doc id added later)."""
        rng = self.rng
        when, dates = self.date_clause(published)
        if kind == "arms_transfer":
            supplier, recipient = self.pair(lambda: self.party(0.85), self.state)
            factuality = self.factuality()
            stage = rng.choice(("delivered", "agreed")) if factuality == "negated" else rng.choices(
                ("sought", "negotiating", "agreed", "delivered"), (1, 2, 3, 4))[0]
            cats = rng.choices(self._items, self._item_weights, k=rng.choice((1, 1, 1, 2)))
            cats = list(dict.fromkeys(cats))
            phrases, designations = [], []
            for cat in cats:
                phrase = rng.choice(ITEM_PHRASES[cat])
                if cat in self.pools.designations and rng.random() < 0.3:
                    code = rng.choice(self.pools.designations[cat])
                    designations.append(code)
                    phrase = f"{code} {phrase}"
                phrases.append(phrase)
            quantity = str(rng.choice((12, 24, 40, 100, 250, 300, 1000, 5000))) if rng.random() < 0.3 else ""
            brokers = self.pools.brokers + self.pools.companies[:30]
            broker = rng.choice(brokers) if rng.random() < 0.1 else None
            template = rng.choice(TRANSFER_TEMPLATES[(stage, factuality)])
            roles: dict[str, tuple[Actor, ...]] = {"supplier": (supplier,), "recipient": (recipient,)}
            if broker is not None and "{B}" in template:
                roles["broker"] = (broker,)
            text = template.format(S=supplier.text, R=recipient.text, X=" and ".join(phrases),
                                   Q=f"{quantity} " if quantity and "{Q}" in template else "",
                                   B=f" through {broker.text}" if "broker" in roles and broker else "",
                                   D=when)
            fields: dict[str, Any] = {
                "stage": stage, "items": tuple(cats), "designations": tuple(designations),
                "quantities": (quantity,) if quantity and "{Q}" in template else ()}
        elif kind == "sanction":
            imposer, target = self.pair(self.state, lambda: self.party(0.3))
            factuality = self.factuality()
            stage = "imposed" if factuality != "asserted" else rng.choices(
                ("imposed", "threatened", "lifted"), (6, 2, 1))[0]
            template = rng.choice(SANCTION_TEMPLATES[(stage, factuality)])
            text = template.format(I=imposer.text, T=target.text, D=when)
            roles = {"imposer": (imposer,), "target": (target,)}
            fields = {"stage": stage}
        elif kind == "diplomatic_contact":
            first, second = self.pair(lambda: self.party(0.5), lambda: self.party(0.6))
            factuality = self.factuality()
            contact = "meeting" if factuality != "asserted" else rng.choice(
                ("visit", "meeting", "letter", "call"))
            template = rng.choice(CONTACT_TEMPLATES[(contact, factuality)])
            text = template.format(P=first.text, P2=second.text, CITY=rng.choice(CITIES), D=when)
            roles = {"participant": (first, second)}
            fields = {"kind": contact}
        elif kind == "cooperation":
            first, second = self.pair(self.state, self.state)
            factuality = self.factuality()
            stage = "agreed" if factuality != "asserted" else rng.choice(("pledged", "agreed"))
            domain = rng.choices(("military", "economic", "general"), (5, 3, 2))[0]
            template = rng.choice(COOPERATION_TEMPLATES[(stage, factuality)])
            text = template.format(P=first.text, P2=second.text, M=rng.choice(DOMAIN_WORDS[domain]), D=when)
            text = text[0].upper() + text[1:]
            roles = {"participant": (first, second)}
            fields = {"stage": stage, "domain": domain}
        else:
            speaker, target = self.pair(lambda: self.party(0.6), lambda: self.party(0.7))
            factuality = "asserted"
            statement = rng.choice(("condemnation", "warning", "accusation"))
            template = rng.choice(STATEMENT_TEMPLATES[statement])
            text = template.format(SP=speaker.text, T=target.text, WHY=rng.choice(WHY), D=when)
            roles = {"speaker": (speaker,), "target": (target,)}
            fields = {"kind": statement}
        source: tuple[Actor, ...] = ()
        if kind != "statement" and rng.random() < 0.25:
            source = (rng.choice(self.pools.states[:12] + self.pools.officials[:10]),)
            text = f"{text[:-1]}, {source[0].text} said."
        fields.update(type=kind, factuality=factuality, dates=dates,
                      roles={r: tuple(a.entity() for a in actors) for r, actors in roles.items()},
                      source=tuple(a.entity() for a in source))
        return text, fields

    def filler(self) -> str:
        words = {k: self.rng.choice(v) for k, v in FILLER_WORDS.items()}
        text = self.rng.choice(FILLER_TEMPLATES).format(n=self.rng.randint(2, 980), **words)
        return text[0].upper() + text[1:]

    def document(self, number: int, n_facts: int) -> tuple[Any, list[Any]]:
        """A new document with ``n_facts`` facts, or (~5%) a republication of an earlier one."""
        from armswatch.model import Document, Evidence, Fact

        rng = self.rng
        publisher = rng.choice(PUBLISHERS)
        host = publisher.lower().replace(" ", "").replace("-", "") + ".example"
        earlier = self.made.get(n_facts)
        if earlier and rng.random() < 0.05:  # same number of facts: the total stays exact
            original, facts = rng.choice(earlier)
            text = f"{original.text}\n\n(Republished by {publisher} as item {number}.)\n"
            published = date.fromisoformat(original.published) + timedelta(days=rng.randint(0, 3))
            doc = Document(doc_id=f"api-load-{number:06d}", text=text, title=original.title,
                           url=f"https://{host}/news/{published.year}/{number}",
                           published=published.isoformat(), source=publisher)
            doc_id = doc.content_hash[:32]
            return doc, [Fact(**{**f.__dict__, "doc_id": doc_id}) for f in facts]
        published = FIRST_PUBLISHED + timedelta(days=rng.randint(0, (LAST_PUBLISHED - FIRST_PUBLISHED).days))
        kinds = rng.choices(self._types, self._type_weights, k=n_facts)
        parts: list[str] = []
        spans: list[tuple[int, int, dict[str, Any]]] = []
        offset = 0
        pieces: list[tuple[str, dict[str, Any] | None]] = [(self.filler(), None)]
        for kind in kinds:
            pieces.append(self.sentence(kind, published))
            if rng.random() < 0.6:
                pieces.append((self.filler(), None))
        pieces.append((self.filler(), None))
        title = f"{pieces[1][0].split(' ', 3)[0]} {rng.choice(('deal', 'report', 'talks', 'shipments'))}" \
                f" {rng.choice(('under scrutiny', 'in focus', 'raise questions', 'confirmed'))}"
        parts.append(title + "\n\n")
        offset = len(parts[0])
        for i, (sentence, fields) in enumerate(pieces):
            sep = "" if i == 0 else ("\n\n" if i % 3 == 0 else " ")
            parts.append(sep)
            offset += len(sep)
            if fields is not None:
                spans.append((offset, offset + len(sentence), fields))
            parts.append(sentence)
            offset += len(sentence)
        text = "".join(parts) + "\n"
        doc = Document(doc_id=f"api-load-{number:06d}", text=text, title=title,
                       url=f"https://{host}/news/{published.year}/{number}", published=published.isoformat(),
                       source=publisher)
        doc_id = doc.content_hash[:32]
        facts = [Fact(**fields, evidence=(Evidence(text[start:end], start, end),), doc_id=doc_id)
                 for start, end, fields in spans]
        earlier = self.made.setdefault(n_facts, [])
        if len(earlier) < 500 or rng.random() < 0.1:
            earlier.append((doc, facts))
        return doc, facts

    def documents(self, total_facts: int) -> Iterator[tuple[Any, list[Any]]]:
        """Documents until exactly ``total_facts`` facts (3-7 per document, ~5 on average)."""
        left, number = total_facts, 0
        while left > 0:
            n = min(left, self.rng.choice((3, 4, 5, 5, 6, 7)))
            doc, facts = self.document(number, n)
            number += 1
            left -= len(facts)
            yield doc, facts


@dataclass
class StoreInfo:
    path: str
    facts: int
    documents: int
    events: int
    entities: int
    stories: int
    reused: bool
    seconds: float = 0.0
    write_seconds: float = 0.0
    consolidate_seconds: float = 0.0


def store_mark(facts: int, seed: int) -> str:
    return f"{MARK} facts={facts} seed={seed}"


def inspect_store(path: Path) -> tuple[dict[str, int], list[str]] | None:
    """Counts and run commands of a store this script built at ``path``; None for any other file.

    Ownership is read first (without migrating anything); a store of ours made by an
    older ArmsWatch is then migrated, as the server would do anyway.
    """
    from sqlalchemy import MetaData, Table, create_engine, select

    from armswatch.store import Store

    engine = create_engine(f"sqlite:///{path.resolve()}")
    try:
        runs = Table("runs", MetaData(), autoload_with=engine)
        with engine.connect() as conn:
            commands = [str(c) for c in conn.execute(select(runs.c.command)).scalars()]
    except Exception:  # noqa: BLE001 - anything unreadable is not ours
        return None
    finally:
        engine.dispose()
    if not any(c.startswith(OWNER) for c in commands):
        return None
    with Store.open(str(path)) as store:
        return store.counts(), commands


def prepare_store(path: Path, *, facts: int, seed: int, keep: bool, batch: int,
                  out: TextIO = sys.stdout) -> StoreInfo:
    """Reuse (``keep``) or (re)build the store at ``path``; a file not built here is never replaced."""
    if path.exists():
        found = inspect_store(path)
        if found is None:
            sys.exit(f"error: {path} exists and was not built by this script; choose another --db")
        counts, commands = found
        if keep and counts["facts"] == facts and store_mark(facts, seed) in commands and counts["events"]:
            print(f"store: reusing {path} ({counts['facts']} facts)", file=out)
            return StoreInfo(str(path), counts["facts"], counts["documents"], counts["events"],
                             counts["entities"], counts["stories"], reused=True)
        print(f"store: {path} holds {counts['facts']} facts (seed/count differ or not --keep): rebuilding",
              file=out)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return build_store(path, facts=facts, seed=seed, batch=batch, out=out)


def build_store(path: Path, *, facts: int, seed: int, batch: int, out: TextIO = sys.stdout) -> StoreInfo:
    from armswatch.analysis.stories import signature
    from armswatch.model import EXTRACTOR_VERSION
    from armswatch.pipeline import Pipeline
    from armswatch.store import Store

    start = time.perf_counter()
    generator = Generator(make_pools(seed), seed)
    store = Store.open(str(path))
    try:
        run_id = store.start_run(store_mark(facts, seed))
        pending: list[tuple[Any, list[Any]]] = []
        written, reported = 0, 0

        def flush() -> None:
            results = store.add_documents([(doc, "url", signature(doc.text)) for doc, _ in pending],
                                          run_id=run_id)
            extractions = [(r.document_id, fs) for r, (_, fs) in zip(results, pending, strict=True)
                           if r.created]
            if len(extractions) != len(pending):
                raise RuntimeError("a generated text was stored twice: the generator repeats itself")
            store.save_extractions(extractions, extractor_version=EXTRACTOR_VERSION, run_id=run_id)
            pending.clear()

        for doc, doc_facts in generator.documents(facts):
            pending.append((doc, doc_facts))
            written += len(doc_facts)
            if len(pending) >= batch:
                flush()
                if written - reported >= facts / 10:
                    reported = written
                    print(f"  ... {written} facts written ({time.perf_counter() - start:.0f} s)", file=out,
                          flush=True)
        if pending:
            flush()
        write_seconds = time.perf_counter() - start
        events = Pipeline(store).consolidate()  # the pipeline's own consolidation step
        store.finish_run(run_id, status="completed")
        counts = store.counts()
    finally:
        store.close()
    seconds = time.perf_counter() - start
    return StoreInfo(str(path), counts["facts"], counts["documents"], events, counts["entities"],
                     counts["stories"], reused=False, seconds=seconds, write_seconds=write_seconds,
                     consolidate_seconds=seconds - write_seconds)


# -- request mixes -----------------------------------------------------------------

def request_mixes(pools: Pools, seed: int, size: int = 3000) -> dict[str, list[str]]:
    """Shuffled request paths per endpoint family, naming only actors the store holds."""
    rng = random.Random(seed + 2)
    codes = [s.country or "" for s in pools.states]

    def state() -> str:
        pick = rng.choices(pools.states, pools.state_weights)[0]
        return (pick.country or pick.text) if rng.random() < 0.8 else pick.text

    def page(deep: float = 0.05) -> int:
        if rng.random() < deep:
            return 50 * rng.randint(10, 100)
        return 50 * rng.choice((0, 0, 0, 0, 1, 1, 2, 3, 5, 8))

    def since() -> str:
        return f"{rng.randint(2022, 2026)}-{rng.randint(1, 12):02d}-01"

    register: list[str] = []
    facts: list[str] = []
    for _ in range(size):
        params: dict[str, Any] = {}
        roll = rng.random()
        if roll < 0.2:
            pass
        elif roll < 0.4:
            params["supplier"] = state()
        elif roll < 0.55:
            params["recipient"] = state()
        elif roll < 0.7:
            params["item"] = rng.choices(list(ITEM_WEIGHTS), list(ITEM_WEIGHTS.values()))[0]
        elif roll < 0.85:
            params["supplier"], params["recipient"] = state(), rng.choice(codes)
        elif roll < 0.95:
            params["supplier"] = state()
            params["item"] = rng.choice(list(ITEM_WEIGHTS))
        else:
            params["since"] = since()
        offset = page()
        if offset:
            params["offset"] = offset
        register.append("/api/register" + (f"?{urlencode(params)}" if params else ""))

        params = {"limit": 50}
        roll = rng.random()
        if roll < 0.2:
            pass
        elif roll < 0.4:
            params["type"] = rng.choices(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))[0]
        elif roll < 0.6:
            params["actor"] = state() if rng.random() < 0.7 else rng.choice(
                pools.companies + pools.officials).text
        elif roll < 0.7:
            params["factuality"] = rng.choice(("possible", "negated", "asserted"))
        elif roll < 0.85:
            params["type"] = "arms_transfer"
            params["actor"] = state()
        elif roll < 0.95:
            params["actor"] = state()
            params["factuality"] = rng.choice(("asserted", "negated"))
        else:
            params["since"] = since()
        offset = page()
        if offset:
            params["offset"] = offset
        facts.append(f"/api/facts?{urlencode(params)}")
    return {"health": ["/api/health"], "register": register, "facts": facts}


# -- the client ----------------------------------------------------------------------

class ProtocolError(Exception):
    """An answer that is not well-formed HTTP/1.1."""


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool, bool]:
    """Status, body, whether the connection stays open and whether the server says
    ``X-Cache: hit`` (its response cache answered), of one HTTP/1.1 response."""
    line = await reader.readline()
    if not line:
        raise ConnectionResetError("connection closed by the server")
    parts = line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise ProtocolError(f"bad status line {line[:60]!r}")
    status = int(parts[1])
    keep_alive = parts[0] != b"HTTP/1.0"
    length: int | None = None
    chunked = hit = False
    while True:
        header = await reader.readline()
        if header in (b"\r\n", b"\n"):
            break
        if not header:
            raise ConnectionResetError("connection closed inside the headers")
        name, _, value = header.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            token = value.strip().lower()
            keep_alive = b"close" not in token and (keep_alive or b"keep-alive" in token)
        elif name == b"x-cache":
            hit = value.strip().lower() == b"hit"
    if status in (204, 304) or 100 <= status < 200:
        return status, b"", keep_alive, hit
    if chunked:
        chunks: list[bytes] = []
        while True:
            size_line = await reader.readline()
            if not size_line:
                raise ConnectionResetError("connection closed inside a chunked body")
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return status, b"".join(chunks), keep_alive, hit
            chunks.append(await reader.readexactly(size))
            if (await reader.readexactly(2)) != b"\r\n":
                raise ProtocolError("chunk not followed by CRLF")
    if length is not None:
        return status, await reader.readexactly(length), keep_alive, hit
    return status, await reader.read(), False, hit


@dataclass
class PhaseStats:
    name: str
    clients: int
    latencies: list[float] = field(default_factory=list)  # seconds, of every answered request
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)  # connection errors, bad bodies
    bytes: int = 0
    cache_hits: int = 0
    elapsed: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float | None = None

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + sum(self.failures.values())

    @property
    def errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if s != 200) + sum(self.failures.values())

    @property
    def rate(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return 1000 * ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def summary(self) -> dict[str, Any]:
        return {
            "requests": self.requests, "errors": self.errors, "seconds": round(self.elapsed, 3),
            "req_per_s": round(self.rate, 1), "p50_ms": round(self.percentile(50), 2),
            "p90_ms": round(self.percentile(90), 2), "p99_ms": round(self.percentile(99), 2),
            "max_ms": round(self.percentile(100), 2),
            "mean_kb": round(self.bytes / 1024 / max(1, sum(self.statuses.values())), 1),
            "cache_hits": self.cache_hits,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "failures": dict(self.failures),
            "client_cpu_s": round(self.client_cpu, 2),
            "server_cpu_s": None if self.server_cpu is None else round(self.server_cpu, 2),
        }


def check_body(family: str, body: bytes) -> bool:
    """A full JSON check of a sample of answers (cheap prefix check for the rest is done inline)."""
    try:
        data = json.loads(body)
    except ValueError:
        return False
    if family == "health":
        return isinstance(data, dict) and data.get("status") == "ok"
    return isinstance(data, dict) and isinstance(data.get("items"), list) and "total" in data


async def run_phase(name: str, family: str, paths: Sequence[str], *, port: int, clients: int,
                    duration: float, max_requests: int, timeout: float, headers: dict[str, str],
                    seed: int, server_pid: int | None, cache_bust: bool = False) -> PhaseStats:
    """``clients`` keep-alive connections looping over ``paths`` for ``duration`` seconds.

    Every client connects first; the clock starts when all are connected. Latency is
    from writing the request to the last byte of the answer.
    """
    stats = PhaseStats(name, clients)
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())

    def build(path: str) -> bytes:
        return (f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n{extra}\r\n"
                .encode("ascii"))

    requests = [build(p) for p in paths]
    budget = [max_requests]
    busted = [0]
    deadline = [math.inf]
    connected = [0]
    all_connected, go = asyncio.Event(), asyncio.Event()

    async def connect() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.wait_for(asyncio.open_connection(HOST, port, limit=1 << 20), timeout)

    async def client(index: int) -> None:
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        position = random.Random(seed * 1000 + index).randrange(len(requests))
        sample = 0
        try:
            conn = await connect()
        except (OSError, TimeoutError) as exc:
            stats.failures[f"connect {type(exc).__name__}"] += 1
        connected[0] += 1
        if connected[0] == clients:
            all_connected.set()
        await go.wait()
        while budget[0] > 0 and time.perf_counter() < deadline[0]:
            budget[0] -= 1
            index = position % len(requests)
            position += 1
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = await connect()
                reader, writer = conn
                if cache_bust:  # a query string never seen before: no cached answer
                    busted[0] += 1
                    path = paths[index]
                    writer.write(build(f"{path}{'&' if '?' in path else '?'}_={busted[0]}"))
                else:
                    writer.write(requests[index])
                await writer.drain()
                status, body, keep_alive, hit = await asyncio.wait_for(read_response(reader), timeout)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    ProtocolError, ValueError) as exc:
                stats.failures[type(exc).__name__] += 1
                if conn is not None:
                    conn[1].close()
                conn = None
                continue
            stats.latencies.append(time.perf_counter() - started)
            stats.bytes += len(body)
            stats.cache_hits += hit
            if status == 200:
                sample += 1
                if body[:1] != b"{" or (sample % 50 == 1 and not check_body(family, body)):
                    stats.failures["bad body"] += 1
                    continue
            stats.statuses[status] += 1
            if not keep_alive:
                writer.close()
                conn = None
        if conn is not None:
            conn[1].close()

    tasks = [asyncio.create_task(client(i)) for i in range(clients)]
    await all_connected.wait()
    cpu0, server0 = time.process_time(), process_tree_cpu(server_pid)
    start = time.perf_counter()
    deadline[0] = start + duration
    go.set()
    await asyncio.gather(*tasks)
    stats.elapsed = time.perf_counter() - start
    stats.client_cpu = time.process_time() - cpu0
    server1 = process_tree_cpu(server_pid)
    stats.server_cpu = None if server0 is None or server1 is None else server1 - server0
    return stats


def process_tree_cpu(pid: int | None) -> float | None:
    """User + system CPU seconds of a process and its descendants (Linux /proc), else None."""
    if pid is None or not Path("/proc").is_dir():
        return None
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()  # after "pid (comm) "
        child = int(entry.name)
        children.setdefault(int(fields[1]), []).append(child)
        times[child] = (int(fields[11]) + int(fields[12])) / tick
    if pid not in times:
        return None
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo.extend(children.get(current, ()))
    return total


# -- the server ------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def health_status(port: int, headers: dict[str, str]) -> int | None:
    """Status of GET /api/health on loopback, None when nothing answers (no proxies involved)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        conn.request("GET", "/api/health", headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        conn.close()


def serve_supports(option: str) -> bool | None:
    """Whether ``armswatch serve --help`` lists ``option``; None if the command does not run."""
    try:
        done = subprocess.run([sys.executable, "-m", "armswatch", "serve", "--help"], cwd=ROOT,
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return option in done.stdout


class Server:
    """A server subprocess whose output goes to a log file; stopped (by its pid) on exit."""

    def __init__(self, command: list[str], log_path: Path) -> None:
        self.command = command
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(command, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)

    def wait_ready(self, port: int, headers: dict[str, str], timeout: float = START_TIMEOUT) -> float:
        """Seconds until /api/health answered 200; raises RuntimeError if it never does."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with status {self.proc.returncode}")
            status = health_status(port, headers)
            if status == 200:
                return time.perf_counter() - start
            time.sleep(0.25)
        raise RuntimeError(f"GET /api/health did not answer 200 within {timeout:.0f} s")

    def log_tail(self, lines: int = 30) -> str:
        self._log.flush()
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# -- the stand-in server (for --self-test) ----------------------------------------------

async def stand_in(port: int) -> None:
    """A trivial keep-alive HTTP/1.1 server: health with Content-Length, register chunked,
    facts with Content-Length, ``X-Cache: hit`` and ``Connection: close`` on every 97th
    answer, 404 elsewhere."""
    row = {"event_id": "e-0", "supplier": ["RU"], "recipient": ["KP"], "items": ["ammunition"]}
    register = json.dumps({"items": [row] * 50, "total": 1234, "limit": 50, "offset": 0}).encode()
    fact = {"id": "f-0", "type": "arms_transfer", "evidence": [{"text": "x" * 200}]}
    facts = json.dumps({"items": [fact] * 50,
                        "total": 100000, "limit": 50, "offset": 0}).encode()
    health = b'{"status": "ok", "version": "stand-in", "counts": {}}'
    served = [0]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                path = line.split()[1].split(b"?")[0]
                served[0] += 1
                close = False
                if path == b"/api/health":
                    head, body = b"HTTP/1.1 200 OK", health
                elif path == b"/api/register":
                    chunks = [register[i:i + 1000] for i in range(0, len(register), 1000)]
                    payload = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
                    writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                                 b"transfer-encoding: chunked\r\n\r\n" + payload)
                    await writer.drain()
                    continue
                elif path == b"/api/facts":
                    head, body = b"HTTP/1.1 200 OK\r\nx-cache: hit", facts
                    close = served[0] % 97 == 0
                else:
                    head, body = b"HTTP/1.1 404 Not Found", b'{"detail": "Not Found"}'
                writer.write(head + b"\r\ncontent-type: application/json\r\ncontent-length: %d\r\n%s\r\n"
                             % (len(body), b"connection: close\r\n" if close else b"") + body)
                await writer.drain()
                if close:
                    break
        except (OSError, IndexError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, HOST, port, backlog=512)
    async with server:
        await server.serve_forever()


# -- load, report, main --------------------------------------------------------------

PHASES = (("health (before)", "health"), ("register", "register"), ("facts", "facts"),
          ("health (after)", "health"))


async def prime(port: int, paths: Sequence[str], *, clients: int, timeout: float,
                headers: dict[str, str]) -> int:
    """Request each of ``paths`` once, ``clients`` at a time; returns how many answered 200."""
    queue = list(reversed(paths))
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    done = [0]

    async def worker() -> None:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port, limit=1 << 20), timeout)
        try:
            while queue:
                path = queue.pop()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n{extra}\r\n".encode("ascii"))
                await writer.drain()
                status, _body, keep_alive, _hit = await asyncio.wait_for(read_response(reader), timeout)
                done[0] += status == 200
                if not keep_alive:
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(min(clients, len(paths)))))
    return done[0]


async def run_load(port: int, mixes: dict[str, list[str]], phases: Sequence[tuple[str, str]],
                   args: argparse.Namespace, headers: dict[str, str], server_pid: int | None,
                   out: TextIO) -> tuple[list[PhaseStats], dict[str, int]]:
    """Each phase after its warm-up; returns the phases and the errors seen while warming up."""
    results: list[PhaseStats] = []
    warmup_errors: dict[str, int] = {}
    for number, (name, family) in enumerate(phases):
        common: dict[str, Any] = {"port": port, "clients": args.clients, "max_requests": args.max_requests,
                                  "timeout": args.timeout, "headers": headers, "server_pid": server_pid,
                                  "cache_bust": args.cache_bust}
        if args.prime and not args.cache_bust and family != "health":
            primed = await prime(port, sorted(set(mixes[family])), clients=args.clients,
                                 timeout=args.timeout, headers=headers)
            print(f"  {name}: primed {primed} distinct requests", file=out, flush=True)
        if args.warmup > 0:
            warm = await run_phase(f"{name} warm-up", family, mixes[family], duration=args.warmup,
                                   seed=args.seed + 100 + number, **common)
            warmup_errors[name] = warm.errors
            if warm.errors:
                bad = {str(k): v for k, v in warm.statuses.items() if k != 200}
                print(f"  {name} warm-up: {warm.errors} errors: {dict(warm.failures)} {bad}", file=out,
                      flush=True)
        stats = await run_phase(name, family, mixes[family], duration=args.duration,
                                seed=args.seed + number, **common)
        print(f"  {name}: {stats.requests} requests in {stats.elapsed:.1f} s, {stats.errors} errors",
              file=out, flush=True)
        results.append(stats)
    return results, warmup_errors


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _cpu(seconds: float | None, elapsed: float) -> str:
    return "-" if seconds is None or not elapsed else f"{100 * seconds / elapsed:.0f}%"


def report(results: Sequence[PhaseStats], out: TextIO = sys.stdout) -> dict[str, Any]:
    """Print the table; return the numbers, with ratios against the mean baseline throughput."""
    baselines = [s.rate for s in results if s.name.startswith("health")]
    baseline = sum(baselines) / len(baselines) if baselines else math.nan
    print(f"{'phase':17}{'requests':>9}{'errors':>7}{'req/s':>9}{'ratio':>7}{'p50 ms':>8}{'p90 ms':>8}"
          f"{'p99 ms':>8}{'max ms':>8}{'kB':>7}{'hits':>6}{'client':>8}{'server':>8}", file=out)
    numbers: dict[str, Any] = {}
    for s in results:
        summary = s.summary()
        summary["ratio_to_baseline"] = round(s.rate / baseline, 3) if baseline else None
        numbers[s.name] = summary
        ratio = f"{s.rate / baseline:.3f}" if baseline else "-"
        print(f"{s.name:17}{s.requests:>9}{s.errors:>7}{s.rate:>9.1f}{ratio:>7}{s.percentile(50):>8.1f}"
              f"{s.percentile(90):>8.1f}{s.percentile(99):>8.1f}{s.percentile(100):>8.1f}"
              f"{summary['mean_kb']:>7.1f}{_pct(s.cache_hits, s.requests):>6}"
              f"{_cpu(s.client_cpu, s.elapsed):>8}{_cpu(s.server_cpu, s.elapsed):>8}", file=out)
        if s.errors:
            bad = {**{f"HTTP {k}": v for k, v in s.statuses.items() if k != 200}, **s.failures}
            print(f"{'':17}errors: {bad}", file=out)
    if len(baselines) == 2 and baselines[0]:
        print(f"baseline /api/health: {baseline:.1f} req/s (mean of before and after; after/before "
              f"{baselines[1] / baselines[0]:.3f}); ratio = phase req/s / baseline; "
              "hits = answers from the server's response cache (X-Cache: hit); "
              "client/server = CPU use in % of one core", file=out)
    return {"baseline_req_per_s": round(baseline, 1), "phases": numbers}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=100_000, help="facts in the store (default 100000)")
    parser.add_argument("--db", type=Path, default=None,
                        help="SQLite file to build (and keep) the store in (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true",
                        help="reuse the --db file built earlier by this script if fact count and seed match")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"generator seed (default {DEFAULT_SEED})")
    parser.add_argument("--batch", type=int, default=500,
                        help="documents per store transaction (default 500)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent connections (default 50)")
    parser.add_argument("--duration", type=float, default=None,
                        help="seconds per phase (default 20; 3 with --self-test)")
    parser.add_argument("--warmup", type=float, default=2.0,
                        help="uncounted seconds before each phase (default 2)")
    parser.add_argument("--max-requests", type=int, default=200_000,
                        help="at most this many requests per phase (default 200000)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request before it fails")
    parser.add_argument("--workers", type=int, default=None,
                        help="pass --workers N to armswatch serve (only if its CLI has the option)")
    parser.add_argument("--server-args", default="", help="more arguments for armswatch serve (one string)")
    parser.add_argument("--server-log", type=Path, default=None,
                        help="write the server's output to this file (default: a temporary one)")
    parser.add_argument("--token", default=None, help="send Authorization: Bearer TOKEN (for --read token)")
    parser.add_argument("--prime", action=argparse.BooleanOptionalAction, default=True,
                        help="before each measured phase, request every distinct path of its mix once: "
                             "the steady state of a server analysts have been using, its cache warm "
                             "(default; --no-prime measures from a cold cache)")
    parser.add_argument("--cache-bust", action="store_true",
                        help="add a unique _=N parameter to every request, so that no answer comes from "
                             "the server's response cache")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON at the end")
    parser.add_argument("--self-test", action="store_true",
                        help="check the generator on a small store and the client against a stand-in server")
    parser.add_argument("--stand-in", type=int, default=None, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.duration is None:
        args.duration = 3.0 if args.self_test else 20.0
    if args.keep and args.db is None:
        parser.error("--keep needs --db PATH")
    if args.db is not None and "://" in str(args.db):
        parser.error("--db takes a SQLite file path")
    if min(args.facts, args.clients, args.batch, args.max_requests) < 1 or args.duration <= 0:
        parser.error("--facts, --clients, --batch, --max-requests and --duration must be positive")
    forbidden = {"--host", "--port", "--db"} & {a.split("=")[0] for a in shlex.split(args.server_args)}
    if forbidden:
        parser.error(f"--server-args may not set {', '.join(sorted(forbidden))}: this script sets them")
    return args


def print_store(info: StoreInfo, out: TextIO) -> None:
    print(f"store: {info.path}: {info.facts} facts, {info.documents} documents ({info.stories} stories), "
          f"{info.entities} entities, {info.events} events", file=out)
    if not info.reused:
        print(f"generation: {info.seconds:.1f} s (generate + write {info.write_seconds:.1f} s, "
              f"consolidate {info.consolidate_seconds:.1f} s)", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.stand_in is not None:
        asyncio.run(stand_in(args.stand_in))
        return 0
    if args.self_test:
        return self_test(args)
    out = sys.stdout
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    with tempfile.TemporaryDirectory(prefix="aw-api-load-") as tmp:
        db = args.db.resolve() if args.db else Path(tmp) / "api-load.db"
        info = prepare_store(db, facts=args.facts, seed=args.seed, keep=args.keep, batch=args.batch, out=out)
        print_store(info, out)

        extra = shlex.split(args.server_args)
        has_workers = serve_supports("--workers")
        if has_workers is None:
            print("error: `python -m armswatch serve --help` fails: the server is not available", file=out)
            return 2
        if args.workers is not None:
            if has_workers:
                extra += ["--workers", str(args.workers)]
            else:
                print("note: armswatch serve has no --workers option; --workers ignored", file=out)
        port = free_port()
        command = [sys.executable, "-m", "armswatch", "serve", "--host", HOST, "--port", str(port),
                   "--db", str(db), *extra]
        with Server(command, args.server_log or Path(tmp) / "server.log") as server:
            try:
                ready = server.wait_ready(port, headers)
            except RuntimeError as exc:
                print(f"error: {exc}; server output:\n{server.log_tail()}", file=out)
                return 2
            print(f"server: {' '.join(command[1:])} (pid {server.proc.pid}) ready in {ready:.1f} s", file=out)
            print(f"load: {args.clients} keep-alive clients (raw asyncio HTTP/1.1), {args.duration:g} s per "
                  f"phase after {args.warmup:g} s warm-up, at most {args.max_requests} requests", file=out)
            mixes = request_mixes(make_pools(args.seed), args.seed)
            results, warmup_errors = asyncio.run(run_load(port, mixes, PHASES, args, headers,
                                                          server.proc.pid, out))
            if server.proc.poll() is not None:
                print(f"error: the server died during the load; output:\n{server.log_tail()}", file=out)
            elif sum(s.errors for s in results) + sum(warmup_errors.values()):
                print(f"server output (last lines):\n{server.log_tail(40)}", file=out)
    numbers = report(results, out)
    warm_errors = sum(warmup_errors.values())
    errors = sum(s.errors for s in results) + warm_errors
    worst = max((s.percentile(99) for s in results if not s.name.startswith("health")), default=math.nan)
    verdict = "ok" if not errors else "FAILED"
    print(f"targets: errors {errors} (of which {warm_errors} in warm-ups) -> {verdict}; "
          f"p99 register/facts worst {worst:.1f} ms (target < {TARGET_P99_MS:.0f} ms: "
          f"{'met' if worst < TARGET_P99_MS else 'not met'})", file=out)
    if args.json:
        print(json.dumps({"store": info.__dict__, "clients": args.clients, "duration": args.duration,
                          "warmup_errors": warmup_errors, "python": platform.python_version(),
                          "cpus": os.cpu_count(), **numbers}, indent=2), file=out)
    return 1 if errors else 0


# -- self-test -----------------------------------------------------------------------

def verify_store(path: Path, facts: int) -> list[str]:
    """Problems with a generated store: counts, exact evidence slices, variety of the data."""
    from sqlalchemy import select

    from armswatch.store import Store
    from armswatch.store import schema as t

    problems: list[str] = []
    with Store.open(str(path), upgrade=False) as store, store.engine.connect() as conn:
        counts = store.counts()
        if counts["facts"] != facts:
            problems.append(f"{counts['facts']} facts stored, {facts} wanted")
        if not counts["events"] or counts["events"] >= counts["facts"]:
            problems.append(f"{counts['events']} events from {counts['facts']} facts")
        if counts["stories"] >= counts["documents"]:
            problems.append("no republished document shares a story")
        if counts.get("documents_done") != counts["documents"]:
            problems.append("documents not all done")
        ev = t.evidence.c
        rows = conn.execute(select(ev.start, ev.end, ev.text, t.documents.c.text)
                            .join(t.facts, t.facts.c.id == t.evidence.c.fact_id)
                            .join(t.documents, t.documents.c.id == t.facts.c.document_id)).all()
        if len(rows) != facts:
            problems.append(f"{len(rows)} evidence spans for {facts} facts")
        bad = [r for r in rows if r[3][r[0]:r[1]] != r[2] or not r[2].endswith(".")]
        if bad:
            problems.append(f"{len(bad)} evidence spans do not slice their text, e.g. {bad[0][:3]}")
        types = Counter(conn.execute(select(t.facts.c.type)).scalars())
        factualities = Counter(conn.execute(select(t.facts.c.factuality)).scalars())
        years = {str(p)[:4] for p in conn.execute(select(t.documents.c.published)).scalars()}
        publishers = set(conn.execute(select(t.documents.c.source)).scalars())
        dated = conn.execute(select(t.facts.c.event_date).where(t.facts.c.event_date.is_not(None))).first()
    if set(types) != set(TYPE_WEIGHTS):
        problems.append(f"fact types {dict(types)}")
    if set(factualities) != {"asserted", "possible", "negated"} or factualities["asserted"] < facts / 2:
        problems.append(f"factualities {dict(factualities)}")
    if not {"2022", "2026"} <= years:
        problems.append(f"publication years {sorted(years)}")
    if len(publishers) < 20:
        problems.append(f"{len(publishers)} publishers")
    if dated is None:
        problems.append("no fact has an event date")
    print(f"  types {dict(types)}; factualities {dict(factualities)}; years {sorted(years)}; "
          f"{len(publishers)} publishers")
    return problems


def self_test(args: argparse.Namespace) -> int:
    """Generator on a small store, client against the stand-in server (never the real API)."""
    out = sys.stdout
    problems: list[str] = []
    small = min(args.facts, 3000)
    with tempfile.TemporaryDirectory(prefix="aw-api-load-test-") as tmp:
        print(f"self-test 1: generate a store of {small} facts", file=out)
        path = Path(tmp) / "self-test.db"
        info = build_store(path, facts=small, seed=args.seed, batch=min(args.batch, 200), out=out)
        print_store(info, out)
        problems += verify_store(path, small)
        again = prepare_store(path, facts=small, seed=args.seed, keep=True, batch=200, out=out)
        if not again.reused:
            problems.append("--keep did not reuse the store just built")

        print("self-test 2: the client against the stand-in server", file=out)
        port = free_port()
        command = [sys.executable, str(Path(__file__).resolve()), "--stand-in", str(port)]
        mixes = {**request_mixes(make_pools(args.seed), args.seed), "missing": ["/api/missing?x=1"]}
        with Server(command, Path(tmp) / "stand-in.log") as server:
            try:
                server.wait_ready(port, {}, timeout=30)
            except RuntimeError as exc:
                print(f"error: stand-in: {exc}\n{server.log_tail()}", file=out)
                return 2
            phases = (*PHASES, ("missing (404s)", "missing"))
            results, warmup_errors = asyncio.run(run_load(port, mixes, phases, args, {}, server.proc.pid,
                                                          out))
        report(results, out)
        by_name = {s.name: s for s in results}
        for s in results[:-1]:
            if s.errors or not s.requests:
                problems.append(f"{s.name}: {s.errors} errors in {s.requests} requests")
        warm_errors = sum(n for name, n in warmup_errors.items() if not name.startswith("missing"))
        if warm_errors:
            problems.append(f"{warm_errors} errors in warm-ups")
        missing = by_name["missing (404s)"]
        if not missing.requests or missing.statuses[404] != missing.requests:
            problems.append(f"404s not counted as errors: {missing.summary()}")
        if not by_name["facts"].cache_hits or by_name["register"].cache_hits:
            problems.append("X-Cache: hit not counted right")
        if by_name["facts"].requests < 200:
            problems.append("too few facts requests to exercise Connection: close")
    for problem in problems:
        print(f"FAIL: {problem}", file=out)
    print("self-test: ok" if not problems else f"self-test: {len(problems)} problems", file=out)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
