"""Analysed names: what the scorer needs to know about one name, computed once.

rigour turns a name into tagged parts with symbols: ``NAME`` (the same
given or family name across scripts and spellings, from Wikidata),
``NICK`` (Bibi ~ Benjamin), ``ORGCLS`` (a legal form's class: OOO ~ LLC),
``NUM`` (forty-four ~ 44), ``INITIAL``, ``LOC`` and others. We keep that
analysis and add what rigour leaves to the caller: a Latin fallback for
scripts it does not latinise (Han, Thai, Ethiopic, ...), the numbers a name
carries (which must agree for companies and vessels) and the canonical ASCII
form used for whole-name similarity and display.

Analysis costs ~30 microseconds a name, so results are cached; the index
calls :func:`analyse` lazily for the candidates it scores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normality import ascii_text
from rigour.names import Name, NamePart, NamePartTag, NameTypeTag, analyze_names
from rigour.text.scripts import DENSE_SCRIPTS, text_scripts

from armswatch.sanctions.matching.conventions import ABJADS
from armswatch.sanctions.matching.normalise import normalise_name, prepare
from armswatch.sanctions.matching.parts import NameForm

_DIGITS = re.compile(r"\d+")
_TAG_SCHEMA = {
    NameTypeTag.PER: "Person", NameTypeTag.ORG: "Organization", NameTypeTag.ENT: "LegalEntity",
    NameTypeTag.OBJ: "Vessel", NameTypeTag.UNK: None,
}


@dataclass(frozen=True, slots=True, eq=False)
class AnalysedName:
    """One name analysed for one kind of party (person, organisation, object)."""

    original: str
    tag: NameTypeTag
    #: rigour's analysis of the name as written (keeps the script: NAME symbols work across scripts)
    name: Name | None
    #: the analysis of its Latin transliteration, when rigour leaves some parts unlatinised
    latin: Name | None
    #: canonical ASCII form (see ``normalise_name``)
    normalised: str
    #: numbers written in the name (digits and number words), as integers in text
    numbers: frozenset[str]
    #: ``name`` and ``latin`` prepared for alignment
    form: NameForm | None
    latin_form: NameForm | None
    #: Arabic names as written, articles on their words (``form`` has them apart, as Latin
    #: lists do): names in the same script compare best so; None when no article was split
    written_form: NameForm | None
    #: syllabic or logographic scripts (Han, Hangul, kana) the name is written in
    dense_scripts: frozenset[str]
    #: written in a script without short vowels (Arabic, Hebrew, Syriac, Thaana)
    abjad: bool = False

    @property
    def sorted_form(self) -> str:
        """The normalised form, its parts sorted for persons (whose order varies)."""
        if self.tag == NameTypeTag.PER:
            return " ".join(sorted(self.normalised.split()))
        return self.normalised

    @property
    def parts(self) -> tuple[NamePart, ...]:
        return () if self.name is None else self.name.parts

    @property
    def is_empty(self) -> bool:
        return self.name is None or not self.name.parts


def _one_name(tag: NameTypeTag, text: str) -> Name | None:
    names = analyze_names(tag, [text], consolidate=False, infer_initials=tag == NameTypeTag.PER)
    if not names:
        return None
    # one input string may come back as one Name; pick the longest if rigour split it
    return max(names, key=lambda n: len(n.parts))


def _numbers(name: Name | None, normalised: str) -> frozenset[str]:
    found = set(_DIGITS.findall(normalised))
    if name is not None:
        for span in name.spans:
            if span.symbol.category.value == "NUM" and len(span.parts) > 1:
                # "forty four" is 44; its parts' own values (40, 4) are not separate numbers
                found.add(span.symbol.id)
                found.difference_update(str(p.integer) for p in span.parts if p.integer is not None)
        for part in name.parts:
            if part.tag == NamePartTag.NUM and part.integer is not None and not part.form.isdigit():
                found.add(str(part.integer))
    return frozenset(str(int(n)) for n in found if len(n) < 19)


@lru_cache(maxsize=200_000)
def analyse(original: str, tag: NameTypeTag) -> AnalysedName:
    """Analyse ``original`` as a name of kind ``tag`` (cached)."""
    text = prepare(original, tag)
    name = _one_name(tag, text) if text else None
    dense = frozenset(text_scripts(text) & DENSE_SCRIPTS) if text else frozenset()
    latin: Name | None = None
    if name is not None and any(not p.latinize for p in name.parts):
        latin_text = ascii_text(text) or ""
        latin = _one_name(tag, latin_text) if latin_text.strip() else None
    abjad = bool(text and text_scripts(text) & ABJADS)
    written: Name | None = None
    if abjad and (unsplit := prepare(original, tag, split_articles=False)) != text:
        written = _one_name(tag, unsplit)
    normalised = normalise_name(original, _TAG_SCHEMA[tag])
    return AnalysedName(original=original, tag=tag, name=name, latin=latin, normalised=normalised,
                        numbers=_numbers(name, normalised),
                        form=NameForm.of(name) if name is not None else None,
                        latin_form=NameForm.of(latin) if latin is not None else None,
                        written_form=NameForm.of(written) if written is not None else None,
                        dense_scripts=dense, abjad=abjad)
