"""Compare two names: the name features behind every score.

A name score is the sum of weighted features:

* ``name_alignment`` (weight 0.9): the parts of the two names aligned by
  spelling, symbol and edit distance (see :mod:`.names`);
* ``name_jaro_winkler`` (weight 0.1): Jaro-Winkler similarity of the whole
  normalised names (parts sorted for persons, whose order varies), which
  rewards a name that is close letter by letter even when its parts are cut
  differently (``Goodwill`` ~ ``Good Will``). On the development pairs a
  larger weight lowered F1 (whole-name similarity cannot see that one
  differing part of five makes another person), so it only breaks ties;
* ``name_same_script`` replaces both when the two names are written in the
  same syllabic script (Han, Hangul, kana): there a sign is a syllable, and
  comparing transliterations would blur distinct names together;
* ``number_mismatch`` (negative): companies and vessels whose names carry
  different numbers are different parties.

:data:`DEFAULT_THRESHOLD` and the weights here and in :mod:`.names` were tuned
on the development half of nomenklatura's name-matching benchmark
(``benchmarks/screen_quality.py``), with general rules only: F1 is flat
(0.885-0.888) for thresholds from 0.70 to 0.75; 0.75 keeps the precision up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rapidfuzz.distance import JaroWinkler
from rigour.names import NameTypeTag, extract_org_types

from armswatch.sanctions.matching.analysis import AnalysedName, analyse
from armswatch.sanctions.matching.conventions import script_similarity
from armswatch.sanctions.matching.explain import describe_name, explain
from armswatch.sanctions.matching.names import align_names
from armswatch.sanctions.matching.normalise import type_tag
from armswatch.sanctions.matching.parts import PartLink
from armswatch.sanctions.matching.results import Comparison, Feature, total

#: the score from which two names are taken to name the same party
DEFAULT_THRESHOLD = 0.75
W_ALIGNMENT = 0.9
W_JARO_WINKLER = 0.1
W_NUMBER_MISMATCH = -0.4


@dataclass(frozen=True, slots=True)
class NameEvidence:
    """How two names were aligned: what the explanation is written from."""

    query: AnalysedName
    result: AnalysedName
    links: tuple[PartLink, ...]
    same_script: bool = False


def _jaro_winkler(query: AnalysedName, result: AnalysedName) -> float:
    a, b = query.sorted_form, result.sorted_form
    if not a or not b:
        return 0.0
    return JaroWinkler.normalized_similarity(a, b)


def _literal(query: AnalysedName, result: AnalysedName) -> bool:
    return bool(query.normalised) and query.normalised == result.normalised


def _alignment(query: AnalysedName, result: AnalysedName) -> tuple[float, tuple[PartLink, ...]]:
    """Best alignment over the written forms and, across scripts, the transliterations."""
    if query.form is None or result.form is None:
        return 0.0, ()
    tag = query.tag
    abjad = query.abjad or result.abjad
    best = align_names(query.form, result.form, tag, abjad=abjad)
    if best[0] < 1.0 and (query.latin_form is not None or result.latin_form is not None):
        latin = align_names(query.latin_form or query.form, result.latin_form or result.form, tag,
                            abjad=abjad)
        best = max(best, latin, key=lambda found: found[0])
    if best[0] < 1.0 and query.abjad and result.abjad and (query.written_form or result.written_form):
        written = align_names(query.written_form or query.form, result.written_form or result.form, tag,
                              abjad=True)
        best = max(best, written, key=lambda found: found[0])
    return best


def _number_mismatch(query: AnalysedName, result: AnalysedName) -> bool:
    if query.tag == NameTypeTag.PER:
        return False
    return bool(query.numbers) and bool(result.numbers) and query.numbers != result.numbers


def name_features(query: AnalysedName, result: AnalysedName, *,
                  detailed: bool = True) -> tuple[list[Feature], NameEvidence]:
    """The features comparing two analysed names of the same kind.

    With ``detailed=False`` the alignment's description is left empty (it
    costs as much as the alignment): the index describes only the matches it
    returns, with :func:`describe_alignment`.
    """
    shared_scripts = query.dense_scripts & result.dense_scripts
    if shared_scripts:
        value = script_similarity(query.original, result.original)
        script = "/".join(sorted(shared_scripts))
        features = [Feature("name_same_script", value, 1.0,
                            f"'{query.original}' ~ '{result.original}': {value:.0%} of {script} signs agree")]
        return features, NameEvidence(query, result, (), same_script=True)
    if _literal(query, result):
        links = tuple(PartLink(p, p, 1.0, 1.0, "identical") for p in result.normalised.split())
        align, jw = 1.0, 1.0
    else:
        align, links = _alignment(query, result)
        jw = _jaro_winkler(query, result)
    evidence = NameEvidence(query, result, links)
    features = [
        Feature("name_alignment", align, W_ALIGNMENT, describe_name(evidence) if detailed else ""),
        Feature("name_jaro_winkler", jw, W_JARO_WINKLER,
                f"'{query.normalised}' ~ '{result.normalised}': {jw:.0%} similar letters"),
    ]
    if _number_mismatch(query, result):
        q = ", ".join(sorted(query.numbers))
        r = ", ".join(sorted(result.numbers))
        features.append(Feature("number_mismatch", 1.0, W_NUMBER_MISMATCH,
                                f"numbers differ: {q} vs {r}"))
    return features, evidence


def describe_alignment(features: list[Feature], evidence: NameEvidence) -> list[Feature]:
    """The features with the alignment described (see ``name_features(detailed=False)``)."""
    return [replace(f, detail=describe_name(evidence)) if f.name == "name_alignment" and not f.detail else f
            for f in features]


def _tags_for(name1: str, name2: str, schema: str | None) -> tuple[NameTypeTag, ...]:
    """Without a schema, read the names as organisations if either has a legal form, else both ways."""
    if schema is not None:
        return (type_tag(schema),)
    if extract_org_types(name1) or extract_org_types(name2):
        return (NameTypeTag.ENT,)
    return (NameTypeTag.PER, NameTypeTag.ENT)


def compare_names(name1: str, name2: str, *, schema: str | None = None) -> Comparison:
    """Compare a name (``name1``, the query) with another (``name2``, e.g. a listed name).

    Order matters only a little: parts found in ``name1`` alone count for
    more than parts found in ``name2`` alone (lists add patronymics and
    middle names that a query often leaves out).
    """
    best: tuple[float, list[Feature], NameEvidence] | None = None
    for tag in _tags_for(name1, name2, schema):
        features, evidence = name_features(analyse(name1, tag), analyse(name2, tag))
        score = total(features)
        if best is None or score > best[0]:
            best = (score, features, evidence)
    assert best is not None
    score, features, evidence = best
    return Comparison(score=score, match=score >= DEFAULT_THRESHOLD, features=tuple(features),
                      explanation=explain(features, evidence, matched_name=name2, kind="name"))
