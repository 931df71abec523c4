"""Near-duplicate detection: the same wire story on several sites is one story.

Each text is reduced to the set of its word 5-shingles, and that set to a
MinHash signature of 128 values (universal hashing ``(a*x + b) mod p`` over a
stable 64-bit hash of each shingle; numpy, no randomness across processes).
The fraction of equal values estimates the Jaccard similarity of the shingle
sets. Candidates are found without a scan by locality-sensitive hashing: the
signature is cut into 32 bands of 4 rows, and texts sharing any band hash are
compared; with these sizes texts of Jaccard 0.5 collide with probability
~0.87 and of 0.2 with ~0.05. Two texts at or above :data:`SAME_STORY` are one
story.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 5
#: estimated Jaccard similarity of 5-shingles at which two texts are one story
SAME_STORY = 0.5

_PRIME = np.uint64((1 << 61) - 1)
_MASK = np.uint64((1 << 32) - 1)
_rng = np.random.default_rng(20241001)  # fixed seed: signatures must be stable forever
_A = _rng.integers(1, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)
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

    def bands(self) -> list[str]:
        """One hex key per band; equal keys in a band mark a candidate pair."""
        raw = self.values.astype("<u4").tobytes()
        width = ROWS * 4
        return [hashlib.blake2b(raw[i * width:(i + 1) * width], digest_size=8).hexdigest()
                for i in range(BANDS)]

    def similarity(self, other: Signature) -> float:
        return float(np.mean(self.values == other.values))


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> Signature:
    """The MinHash signature of ``text`` (an empty text has all-max values)."""
    grams = shingles(text)
    if not grams:
        return Signature(np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32))
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(g, digest_size=8).digest(), "little") for g in grams),
        dtype=np.uint64, count=len(grams),
    ) & _MASK
    # (a*x + b) mod p with a, x < 2**32 stays below 2**64: no overflow in uint64
    permuted = (np.outer(hashes, _A) + _B) % _PRIME
    return Signature((permuted.min(axis=0) & _MASK).astype(np.uint32))
