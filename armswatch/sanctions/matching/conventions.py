"""Naming conventions of particular traditions and scripts, as general rules.

Each rule here describes how a naming tradition or a writing system works,
not a particular name:

* Arabic and related naming chains a person's name to their father's with a
  particle (``Muhammad bin Salman``): the part after ``bin`` is the father's
  name, so the same parts reversed across the particle are father and son;
* abjads (Arabic, Persian, Hebrew, Syriac, Thaana scripts) leave short vowels
  unwritten, so a transliteration lacks the vowels of a Latin spelling
  (``الأسد`` -> ``asd`` for ``Assad``): compare consonant skeletons;
* in syllabic and logographic scripts (Han, Hangul, kana) one sign is one
  syllable, so names in the same such script are compared sign by sign, not
  through transliterations that may make distinct names look alike.
"""

from __future__ import annotations

from functools import lru_cache

from normality import ascii_text
from rapidfuzz.distance import Levenshtein

#: particles before a father's (or ancestor's) name in Arabic and related naming
PATRONYMIC_PARTICLES = frozenset({"bin", "ben", "ibn", "bint", "binti", "ould", "walad"})
#: scripts without letters for short vowels
ABJADS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})


def father_names(parts: list[str]) -> frozenset[str] | None:
    """Parts that follow a patronymic particle (``bin Salman``): a father's, not one's own name.

    ``None`` when the name has no such particle, so nothing can be said.
    """
    if not any(p in PATRONYMIC_PARTICLES for p in parts):
        return None
    return frozenset(b for a, b in zip(parts, parts[1:], strict=False) if a in PATRONYMIC_PARTICLES)


def lineage_differs(query_part: str, result_part: str, query_fathers: frozenset[str] | None,
                    result_fathers: frozenset[str] | None) -> bool:
    """Whether a paired part is one's own name on one side and a father's on the other.

    ``Salman bin Muhammad`` is Muhammad's son; ``Muhammad bin Salman`` his
    father, perhaps. Only names that both use the particles can tell.
    """
    if query_fathers is None or result_fathers is None:
        return False
    return (query_part in query_fathers) != (result_part in result_fathers)


def skeleton(text: str) -> str:
    """The consonants of a word, doubled letters once: ``Assad``, ``asd`` -> ``sd``."""
    letters = [c for c in text if c.isalpha() and c not in "aeiouyw"]
    return "".join(c for i, c in enumerate(letters) if i == 0 or c != letters[i - 1])


@lru_cache(maxsize=8192)
def bones(form: str) -> str:
    """The skeleton of a name part, transliterated first if it is not Latin; '' if too short."""
    latin = form if form.isascii() else (ascii_text(form) or "").lower()
    return skeleton(latin) if len(latin) >= 3 else ""


def script_similarity(query: str, result: str) -> float:
    """Similarity of two names in the same syllabic script, sign by sign.

    One sign is one syllable, so one different sign in a three-sign Korean
    name is a different name, though the transliterations may look alike.
    """
    q = "".join(c for c in query if c.isalpha())
    r = "".join(c for c in result if c.isalpha())
    # squared: one sign in four differing leaves 56%, not 75%
    return Levenshtein.normalized_similarity(q, r) ** 2 if q and r else 0.0
