"""Name text normalisation: every name, whatever its script, to one comparable form.

Sanctions lists and the texts we screen spell the same party in many ways:
``PUTIN, Vladimir Vladimirovich`` (OFAC's family-name-first order),
``Владимир Путин``, ``VladimirPutin``, ``Dr. Rami Makhlouf``, ``OAO Gazprom``
next to ``Open Joint Stock Company Gazprom``. Matching works on what is left
when these surface differences are gone, so they are removed here, once, with
general rules only (no rule names a party).

Two levels live here:

* :func:`prepare` makes the text-level repairs that must happen *before*
  rigour analyses a name (it cannot undo them afterwards): splitting words
  glued in camel case, turning digits used as letters back into letters in
  person names, putting OFAC's ``LAST, First`` into reading order,
  splitting Korean names into syllables (one syllable, one name part) and
  the Arabic article from the name it is written onto (``الأسد``).
* :func:`normalise_name` and :func:`name_parts` give the canonical Latin
  ASCII form used for display, tokens in the index and whole-name similarity:
  transliterated (ICU, via normality), casefolded, without punctuation,
  honorifics or articles, and with legal forms replaced by rigour's compare
  form (``Limited Liability Company`` -> ``llc``) so that they count less.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from normality import ascii_text
from rigour.names import (
    NameTypeTag,
    extract_org_types,
    remove_obj_prefixes,
    remove_org_prefixes,
    remove_person_prefixes,
    replace_org_types_compare,
)

#: FollowTheMoney schema -> the kind of name rigour should expect
SCHEMA_TAGS: dict[str, NameTypeTag] = {
    "Person": NameTypeTag.PER,
    "Company": NameTypeTag.ORG,
    "Organization": NameTypeTag.ORG,
    "PublicBody": NameTypeTag.ORG,
    "LegalEntity": NameTypeTag.ENT,
    "Vessel": NameTypeTag.OBJ,
    "Aircraft": NameTypeTag.OBJ,
    "Airplane": NameTypeTag.OBJ,
}

# digits typed for look-alike letters ("Ig0r Sech1n"); only undone inside words
# of person names, which never contain digits of their own
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"})
_WORD = re.compile(r"\w+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]{2,}")
# the Arabic article written onto a name (الأسد, al-Assad); not the ال of الله (Allah)
# (nor of the compounds عبد ال... , Abd al-...: "Abdel Fattah" is one name)
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06ff])(?<!\u0639\u0628\u062f )\u0627\u0644"
                             r"(?=[\u0600-\u06ff]{2,})(?!\u0644\u0647(?![\u0600-\u06ff]))")
_ICU_JUNK = re.compile(r"['\u02bc\u02bf\u02be`]")


def type_tag(schema: str | None) -> NameTypeTag:
    """The rigour name type for a FollowTheMoney schema (``UNK`` when unknown)."""
    if schema is None:
        return NameTypeTag.UNK
    return SCHEMA_TAGS.get(schema, NameTypeTag.ENT)


def _split_camel_case(text: str) -> str:
    """``VladimirPutin`` -> ``Vladimir Putin``: a capital after three lower-case letters.

    Three letters keep ``McKesson``, ``LeBron`` and ``MacDonald`` whole.
    """
    if text.isupper() or text.islower() or text.istitle():
        return text  # no capital follows a lower-case letter
    out: list[str] = []
    lower_run = 0
    for char in text:
        if char.isupper() and lower_run >= 3:
            out.append(" ")
        lower_run = lower_run + 1 if char.islower() else 0
        out.append(char)
    return "".join(out)


def _undo_leet(text: str) -> str:
    """``Ig0r Sech1n`` -> ``Igor Sechin`` for words that mix letters and digits."""
    if not any(c.isdigit() for c in text):
        return text

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            return word.translate(_LEET)
        return word

    return _WORD.sub(fix, text)


def _looks_like_family_first(head: str, tail: str) -> bool:
    """Whether ``head, tail`` is a list's ``LAST, First`` rather than ``Name, Ltd.``."""
    if not head.strip() or not tail.strip() or any(c.isdigit() for c in head + tail):
        return False
    if extract_org_types(tail):
        return False
    return len(head.split()) <= 4 and len(tail.split()) <= 5


def _reorder_family_first(text: str) -> str:
    """``PUTIN, Vladimir`` -> ``Vladimir PUTIN`` (only a single comma counts)."""
    if text.count(",") != 1:
        return text
    head, tail = text.split(",")
    if not _looks_like_family_first(head, tail):
        return text
    return f"{tail.strip()} {head.strip()}"


def _split_hangul(text: str) -> str:
    """``김정은`` -> ``김 정 은``: a Korean name part is one syllable block.

    Romanised lists write ``KIM Jong Un`` or ``Kim Jong-un``; splitting the
    syllables lets each be transliterated and compared on its own.
    """
    return _HANGUL_RUN.sub(lambda m: " ".join(m.group(0)), text)


def _split_arabic_article(text: str) -> str:
    """``الأسد`` -> ``ال أسد``: Latin lists write the article apart (``AL-ASSAD``)."""
    return _ARABIC_ARTICLE.sub("\u0627\u0644 ", text) if "\u0627\u0644" in text else text


def prepare(name: str, tag: NameTypeTag, *, split_articles: bool = True) -> str:
    """Text repairs made before analysis (see the module docstring)."""
    text = unicodedata.normalize("NFC", name).strip()
    text = _split_camel_case(text)
    if tag in (NameTypeTag.PER, NameTypeTag.UNK):
        text = _split_hangul(text)
        if split_articles:
            text = _split_arabic_article(text)
        text = _reorder_family_first(text)
    if tag == NameTypeTag.PER:
        text = _undo_leet(text)
    return text


def _strip_prefixes(text: str, tag: NameTypeTag) -> str:
    if tag == NameTypeTag.PER:
        return remove_person_prefixes(text)
    if tag in (NameTypeTag.ORG, NameTypeTag.ENT):
        return remove_org_prefixes(replace_org_types_compare(text))
    if tag == NameTypeTag.OBJ:
        return remove_obj_prefixes(text)
    return text


def _latin_ascii(text: str) -> str:
    """Transliterate, casefold and reduce to ``[a-z0-9]`` words separated by one space."""
    text = ascii_text(_ICU_JUNK.sub("", text)) or ""
    return " ".join(_NON_ALNUM.split(text.casefold())).strip()


@lru_cache(maxsize=65536)
def _normalise(name: str, tag: NameTypeTag) -> str:
    text = name
    # Each pass only removes words or swaps them for their canonical form, so a
    # few passes reach a fixed point ("Dr.-Ing. Hans" loses "dr" then "ing").
    for _ in range(5):
        result = _latin_ascii(_strip_prefixes(prepare(text, tag), tag))
        if result == text:
            break
        text = result
    return text


def normalise_name(name: str, schema: str | None = None) -> str:
    """The canonical Latin ASCII form of a name: ``'PUTIN, Vladimir'`` -> ``'vladimir putin'``.

    With a ``schema``, honorifics (Person), articles and legal forms
    (organisations) and vessel prefixes (``MV``) are normalised as well.
    Never raises; idempotent: ``normalise_name(normalise_name(x)) ==
    normalise_name(x)``.
    """
    return _normalise(name, type_tag(schema))


def name_parts(name: str, schema: str | None = None) -> tuple[str, ...]:
    """The parts (words) of the normalised name, in reading order."""
    return tuple(normalise_name(name, schema).split())
