"""Near-duplicate stories: MinHash estimates, grouping through the store, rebuilding old stores.

The texts are pseudo-random English-like prose from a fixed word list and seed:
news words in a Zipf mix, with a pool of stock sentences that unrelated texts
share now and then (as agency boilerplate does), so unrelated pairs have a
small but non-zero Jaccard similarity of their 5-shingles.
"""

from __future__ import annotations

import itertools
import random
import threading

import numpy as np
import pytest
from sqlalchemy import delete, insert, select, update

from armswatch.analysis.stories import (
    MINHASH_VERSION,
    NUM_PERM,
    SAME_STORY,
    Signature,
    permute,
    pick_story,
    shingle_hashes,
    shingles,
    signature,
)
from armswatch.model import Document
from armswatch.pipeline import Pipeline
from armswatch.store import Store
from armswatch.store import schema as t
from armswatch.store.stories import assign_stories, minhash_version, rebuild_stories

WORD_LIST = (
    "the of and to in a is that for it as was with be by on not this are or from at which but have an "
    "they were there been one all their has would when if no what more out up said its into than them "
    "only some could new about other time government ministry defence army navy air force missile "
    "drone drones shells ammunition rifles tanks aircraft helicopters radar contract deal delivery "
    "shipment export import supplier buyer officials report reported spokesman minister president "
    "agreement billion million dollars border port rail ship cargo sanctions intelligence satellite "
    "imagery north south east west russia ukraine iran korea china india turkey israel egypt saudi "
    "pakistan arms weapons systems components factory production licence embassy statement week "
    "month year last first second third according sources familiar matter talks visit delegation"
)
WORDS = WORD_LIST.split()
WEIGHTS = [1 / (rank + 1) ** 0.8 for rank in range(len(WORDS))]


class Prose:
    """A seeded source of English-like sentences, some from a shared stock."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.stock = [self._words(8, 16) for _ in range(40)]

    def _words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(WORDS, WEIGHTS, k=self.rng.randint(low, high))).capitalize() + "."

    def sentence(self) -> str:
        return self.rng.choice(self.stock) if self.rng.random() < 0.12 else self._words(8, 22)

    def paragraph(self, sentences: int = 4) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def text(self, low: int = 5, high: int = 40) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))


def jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


def v1_signature(text: str) -> Signature:
    """Version 1, kept here to show what the tests catch: (a*x + b) mod p with a, x < 2**32."""
    rng = np.random.default_rng(20241001)
    a = rng.integers(1, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)
    b = rng.integers(0, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)
    hashes = shingle_hashes(shingles(text))
    permuted = (np.multiply.outer(hashes, a) + b) % np.uint64((1 << 61) - 1)
    return Signature((permuted.min(axis=0) & np.uint64(0xFFFFFFFF)).astype(np.uint32))


def tiny_footer() -> str:
    """A boilerplate line one of whose 5-shingles happens to hash below 2**16.

    Such a shingle won nearly every permutation of version 1, so every text
    carrying the line looked ~0.9 similar to every other one.
    """
    for i in itertools.count():
        words = f"filed by the agency desk{i}"
        if shingle_hashes([words.encode()])[0] < 1 << 16:
            return f" {words.capitalize()}."
    raise AssertionError


FOOTER = tiny_footer()


@pytest.fixture(scope="module")
def unrelated() -> list[str]:
    """200 unrelated texts; every other one ends with the same boilerplate line."""
    prose = Prose(2024)
    return [prose.text() + (FOOTER if i % 2 else "") for i in range(200)]


# -- (a) estimates track the true Jaccard similarity ----------------------------------------


def test_unrelated_texts_are_estimated_as_unrelated(unrelated: list[str]) -> None:
    sigs = [signature(text) for text in unrelated]
    true, estimated = [], []
    for i, j in itertools.combinations(range(len(unrelated)), 2):
        true.append(jaccard(unrelated[i], unrelated[j]))
        estimated.append(sigs[i].similarity(sigs[j]))
    error = np.abs(np.array(estimated) - np.array(true))
    overlapping = np.array(true) > 0
    assert overlapping.sum() > 500  # the stock sentences make some pairs share shingles
    assert error.mean() < 0.1
    assert error[overlapping].mean() < 0.05
    assert error.max() < 0.2
    assert max(estimated) < SAME_STORY


def test_estimates_track_the_jaccard_similarity_over_its_whole_range() -> None:
    prose = Prose(7)
    errors = []
    for _ in range(60):
        paragraphs = [prose.paragraph() for _ in range(10)]
        kept = prose.rng.randint(0, 10)  # the others rewritten: Jaccard from ~0 to 1
        changed = paragraphs[:kept] + [prose.paragraph() for _ in range(10 - kept)]
        a, b = " ".join(paragraphs), " ".join(changed)
        errors.append(abs(signature(a).similarity(signature(b)) - jaccard(a, b)))
    assert np.mean(errors) < 0.05
    assert max(errors) < 0.2


# -- (b) near-duplicates are still one story through the store --------------------------------


def add(store: Store, text: str, name: str) -> str:
    return store.add_document(Document(doc_id=name, text=text), origin="text", run_id=None,
                              signature=signature(text)).story_id


def test_edited_copies_of_an_article_are_one_story_and_other_articles_are_not(store: Store) -> None:
    prose = Prose(11)
    headline = "North Korean shells reach Russian units near the front, officials say."
    paragraphs = [prose.paragraph() for _ in range(8)]
    article = headline + "\n\n" + "\n\n".join(paragraphs)
    new_headline = ("Pyongyang's artillery shipments to Moscow grow, Seoul intelligence says.\n\n"
                    + "\n\n".join(paragraphs[:3] + [prose.paragraph()] + paragraphs[4:]))
    words = article.split()
    for position in prose.rng.sample(range(len(words)), 8):
        words[position] = prose.rng.choice(WORDS)
    edited = " ".join(words)
    wire = "Reuters | World | " + "\n\n".join([headline, *paragraphs[:-1]]) + " Reporting by staff."
    copies = {"headline and paragraph changed": new_headline, "eight words edited": edited,
              "site boilerplate, last paragraph cut": wire}
    for text in copies.values():
        assert SAME_STORY < jaccard(article, text) < 0.9

    story = add(store, article, "original")
    assert {name: add(store, text, name) for name, text in copies.items()} == dict.fromkeys(copies, story)
    others = [add(store, prose.text(20, 40), f"other-{i}") for i in range(30)]
    assert story not in others and len(set(others)) == len(others)


def test_unrelated_texts_sharing_boilerplate_are_separate_stories(store: Store,
                                                                  unrelated: list[str]) -> None:
    with_footer = unrelated[1::2][:60]
    stories = [add(store, text, f"u{i}") for i, text in enumerate(with_footer)]
    assert len(set(stories)) == 60
    assert store.counts()["stories"] == 60


def test_the_best_match_wins_whatever_the_order_of_candidates() -> None:
    scored = [(0.6, "d1", "s1"), (0.8, "d2", "s2"), (0.8, "d3", "s3"), (0.4, "d4", "s4")]
    for order in itertools.permutations(scored):
        assert pick_story(order) == "s3"
    assert pick_story([(0.49, "d1", "s1")]) is None
    assert pick_story([]) is None


# -- (c) every permutation is its own hash -----------------------------------------------------


def winner_shares(hashes: np.ndarray) -> np.ndarray:
    """How many of the permutations each shingle hash wins (has the minimum of)."""
    return np.bincount(permute(hashes).argmin(axis=0), minlength=len(hashes))


@pytest.mark.parametrize("kind", ["texts", "consecutive", "tiny"])
def test_no_shingle_wins_most_permutations(kind: str, unrelated: list[str]) -> None:
    if kind == "texts":  # the shingle hashes of real texts
        sets = [shingle_hashes(sorted(shingles(text))) for text in unrelated[:50]]
    elif kind == "consecutive":  # structured keys: 1..n
        sets = [np.arange(1, n + 1, dtype=np.uint64) for n in (50, 200, 1000)]
    else:  # one very small hash among random ones (version 1 let it win nearly everything)
        rng = np.random.default_rng(5)
        sets = [np.r_[np.uint64(small), rng.integers(1 << 20, 1 << 32, size=300, dtype=np.uint64)]
                for small in (0, 1, 2, 1000, 1 << 16)]
    for hashes in sets:
        wins = winner_shares(hashes)
        assert wins.max() <= max(12, 4 * NUM_PERM / len(hashes)), (kind, len(hashes), wins.max())
        assert (wins > 0).sum() >= min(len(hashes), NUM_PERM) * 0.5


def test_the_signature_is_the_minimum_of_each_permutation() -> None:
    text = Prose(3).text(400, 400)  # ~6000 words: more shingles than one chunk of the computation
    hashes = shingle_hashes(shingles(text))
    assert len(hashes) > 4096
    assert np.array_equal(signature(text).values, permute(hashes).min(axis=0).astype(np.uint32))
    assert signature("").values.tolist() == [0xFFFFFFFF] * NUM_PERM
    assert signature("two words").values.tolist() == signature("Two, words!").values.tolist()


def test_version_1_failed_these_checks(unrelated: list[str]) -> None:
    """The checks above catch the defect of version 1 (so they test something)."""
    sigs = [v1_signature(text) for text in unrelated[1::2]]  # those with the footer
    estimates = np.array([a.similarity(b) for a, b in itertools.combinations(sigs, 2)])
    assert np.median(estimates) > 0.8
    footer_hash = shingle_hashes(shingles(FOOTER))
    assert len(footer_hash) == 1 and footer_hash[0] < 1 << 16


# -- rebuilding the stories of a store made with version 1 ------------------------------------


def corpus(seed: int = 19) -> list[str]:
    """Unrelated texts and clusters of edited copies, in ingest order."""
    prose = Prose(seed)
    texts = [prose.text(10, 30) for _ in range(40)]
    for base in (3, 17, 25):
        paragraphs = texts[base].split(". ")
        for k in range(3):
            cut = prose.rng.randrange(len(paragraphs))
            texts.append(f"Copy {k}. " + ". ".join(paragraphs[:cut] + paragraphs[cut + 1:]))
    return texts


def store_snapshot(store: Store) -> dict[str, object]:
    with store.engine.connect() as conn:
        return {
            "stories": dict(conn.execute(select(t.documents.c.id, t.documents.c.story_id)).tuples().all()),
            "minhash": dict(conn.execute(select(t.documents.c.id, t.documents.c.minhash)).tuples().all()),
            "bands": sorted(conn.execute(select(t.document_bands)).tuples().all()),
        }


def make_version_1(store: Store) -> None:
    """Turn the store back into one written by version 1, with scrambled stories."""
    with store.transaction() as conn:
        ids = list(conn.execute(select(t.documents.c.id, t.documents.c.text)).tuples().all())
        conn.execute(delete(t.document_bands))
        for doc_id, text in ids:
            old = v1_signature(text)
            conn.execute(update(t.documents).where(t.documents.c.id == doc_id)
                         .values(minhash=old.to_bytes(), story_id=ids[0][0]))
            conn.execute(insert(t.document_bands), [
                {"band": i, "hash": h, "document_id": doc_id} for i, h in enumerate(old.bands())])
        conn.execute(update(t.store_state).values(minhash_version=1))


def ingest(store: Store, texts: list[str]) -> None:
    for i, text in enumerate(texts):
        add(store, text, f"doc-{i}")


def test_rebuild_gives_the_stories_of_a_fresh_ingest(store: Store) -> None:
    texts = corpus()
    ingest(store, texts)
    fresh = store_snapshot(store)
    assert len(set(fresh["stories"].values())) == 40  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        assert minhash_version(conn) == MINHASH_VERSION  # a new store starts current (migration 0006)
    assert rebuild_stories(store) == 0
    assert store_snapshot(store) == fresh

    make_version_1(store)
    assert store_snapshot(store) != fresh
    generation = store.generation()
    assert rebuild_stories(store, read_batch=7) == len(texts)
    assert store_snapshot(store) == fresh
    assert store.generation() == generation + 1  # one write transaction
    with store.engine.connect() as conn:
        assert minhash_version(conn) == MINHASH_VERSION
    assert rebuild_stories(store) == 0
    assert store.generation() == generation + 1


def test_rebuild_takes_in_documents_that_arrive_while_it_reads(store: Store) -> None:
    texts = corpus(23)
    ingest(store, texts[:30])
    make_version_1(store)
    late = iter(texts[30:])

    def progress(_phase: str, done: int, _total: int | None) -> None:
        if done:  # a concurrent run stores a document between the reads
            add(store, next(late), f"late-{done}")

    assert rebuild_stories(store, progress=progress, read_batch=10) == 33
    rebuilt = store_snapshot(store)["stories"]
    with store.engine.connect() as conn:
        order = [r.id for r in conn.execute(select(t.documents.c.id, t.documents.c.text)
                                            .order_by(t.documents.c.ingested_at, t.documents.c.id))]
        text_of = dict(conn.execute(select(t.documents.c.id, t.documents.c.text)).tuples().all())
    sigs = [signature(text_of[i]) for i in order]
    expected = assign_stories(order, np.stack([s.values for s in sigs]),
                              np.array([s.band_keys() for s in sigs], dtype=np.uint64))
    assert rebuilt == dict(zip(order, expected, strict=True))


def test_the_pipeline_repairs_an_old_store_before_it_runs(store: Store) -> None:
    texts = corpus(29)
    ingest(store, texts)
    fresh = store_snapshot(store)
    make_version_1(store)
    Pipeline(store).run([], extract=False)
    assert store_snapshot(store) == fresh
    with store.engine.connect() as conn:
        assert minhash_version(conn) == MINHASH_VERSION


def test_assigning_stories_in_memory_matches_the_store(store: Store) -> None:
    texts = corpus(31)
    ingest(store, texts)
    sigs = [signature(text) for text in texts]
    with store.engine.connect() as conn:
        stored = dict(conn.execute(select(t.documents.c.name, t.documents.c.story_id)).tuples().all())
        ids = dict(conn.execute(select(t.documents.c.name, t.documents.c.id)).tuples().all())
    order = [ids[f"doc-{i}"] for i in range(len(texts))]
    assigned = assign_stories(order, np.stack([s.values for s in sigs]),
                              np.array([s.band_keys() for s in sigs], dtype=np.uint64))
    assert assigned == [stored[f"doc-{i}"] for i in range(len(texts))]
    assert assign_stories([], np.empty((0, NUM_PERM), np.uint32), np.empty((0, 32), np.uint64)) == []


def test_two_rebuilds_at_once_do_the_work_once(db_url: str) -> None:
    stores = [Store.open(db_url) for _ in range(2)]
    try:
        texts = corpus(37)
        ingest(stores[0], texts)
        fresh = store_snapshot(stores[0])
        make_version_1(stores[0])
        done: list[int] = []
        threads = [threading.Thread(target=lambda s=s: done.append(rebuild_stories(s, read_batch=5)))
                   for s in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(done) == [0, len(texts)]
        assert store_snapshot(stores[1]) == fresh
    finally:
        for opened in stores:
            opened.close()
