"""Near-duplicate detection: the same wire story on several sites is one story.

Each text is reduced to the set of its word 5-shingles, and that set to a
MinHash signature of 128 values. Every shingle gets a stable 32-bit hash x
(blake2b; no randomness across processes), and permutation i maps it to the
top 32 bits of ``(a_i*x + b_i) mod 2**64``, with a_i, b_i 64-bit numbers drawn
once from a fixed seed: multiply-add-shift hashing, which for 32-bit keys is
2-independent (Dietzfelbinger), so the 128 permutations order the shingles
independently of each other. The fraction of equal values estimates the
Jaccard similarity of the shingle sets.

Candidates are found without a scan by locality-sensitive hashing: the
signature is cut into 32 bands of 4 rows, and texts sharing any band hash are
compared; with these sizes texts of Jaccard 0.5 collide with probability
~0.87 and of 0.2 with ~0.05. Two texts at or above :data:`SAME_STORY` are one
story; a new text joins the story of the most similar earlier text
(:func:`pick_story`).

:data:`MINHASH_VERSION` names the scheme. Version 1 computed ``(a*x + b) mod
(2**61 - 1)`` with a, x < 2**32: a*x < 8p hardly wraps, so the permutations
were nearly monotone in x and the shingle with the smallest x won most of
them, making unrelated texts that shared any such shingle look ~0.9 similar.
Stores remember the version their signatures were made with;
:func:`armswatch.store.stories.rebuild_stories` recomputes older ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

#: the signature scheme; stored signatures, bands and stories of an older version are rebuilt
MINHASH_VERSION = 2

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 5
#: estimated Jaccard similarity of 5-shingles at which two texts are one story
SAME_STORY = 0.5

_MASK = np.uint64((1 << 32) - 1)
_SHIFT = np.uint64(32)
_rng = np.random.default_rng(20241001)  # fixed seed: signatures must be stable forever
_A = _rng.integers(0, 1 << 64, size=NUM_PERM, dtype=np.uint64, endpoint=False)
_B = _rng.integers(0, 1 << 64, size=NUM_PERM, dtype=np.uint64, endpoint=False)
_CHUNK = 4096  # shingles permuted at once: bounds memory for very long texts
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Signature:
    """A text's MinHash: ``values`` has :data:`NUM_PERM` unsigned 32-bit ints."""

    values: np.ndarray

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Signature:
        return cls(np.frombuffer(raw, dtype="<u4").astype(np.uint32))

    def band_keys(self) -> list[int]:
        """One 64-bit key per band (the big-endian value of :meth:`bands`)."""
        raw = self.values.astype("<u4").tobytes()
        width = ROWS * 4
        return [int.from_bytes(hashlib.blake2b(raw[i * width:(i + 1) * width], digest_size=8).digest(),
                               "big") for i in range(BANDS)]

    def bands(self) -> list[str]:
        """One hex key per band; equal keys in a band mark a candidate pair."""
        return [band_hex(key) for key in self.band_keys()]

    def similarity(self, other: Signature) -> float:
        return float(np.mean(self.values == other.values))


def band_hex(key: int) -> str:
    """A band key as stored (16 hex digits)."""
    return f"{key:016x}"


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def shingle_hashes(grams: Iterable[bytes]) -> np.ndarray:
    """Stable 32-bit hashes of shingles (as uint64)."""
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(g, digest_size=8).digest(), "little") & 0xFFFFFFFF
         for g in grams), dtype=np.uint64)


def permute(hashes: np.ndarray) -> np.ndarray:
    """The value of each shingle hash under each permutation: shape (len(hashes), NUM_PERM).

    Multiply-add-shift: the top 32 bits of ``(a*x + b) mod 2**64`` (uint64 arithmetic
    wraps around by design).
    """
    with np.errstate(over="ignore"):
        return (np.multiply.outer(hashes, _A) + _B) >> _SHIFT


def signature(text: str) -> Signature:
    """The MinHash signature of ``text`` (an empty text has all-max values)."""
    hashes = shingle_hashes(shingles(text))
    if not len(hashes):
        return Signature(_EMPTY.copy())
    low = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(hashes), _CHUNK):
        np.minimum(low, permute(hashes[start:start + _CHUNK]).min(axis=0), out=low)
    return Signature(low.astype(np.uint32))


def pick_story(scored: Iterable[tuple[float, str, str]]) -> str | None:
    """The story of the best candidate at or above :data:`SAME_STORY`, or None.

    ``scored`` holds (estimated similarity, document id, story id) of earlier
    documents; the most similar wins, ties go to the greatest document id, so
    the choice does not depend on the order the candidates come in.
    """
    best = max(((score, doc_id, story) for score, doc_id, story in scored if score >= SAME_STORY),
               default=None)
    return best[2] if best else None
