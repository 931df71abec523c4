"""Plain-language explanations: the features of a score, as a compliance officer reads them.

A score alone cannot be reviewed. The explanation says which name matched
which listed name, which parts agreed (and how: same spelling, same name in
another script, an initial, a nickname), which did not, and what the other
evidence (country, date of birth, identifiers) added or took away, e.g.
"Name 'Kim Jong Un' matches alias 'KIM Jong Un' (all 3 name parts, order
ignored). Country KP agrees."
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rigour.names import NameTypeTag

from armswatch.sanctions.matching.results import Feature

if TYPE_CHECKING:
    from armswatch.sanctions.matching.compare import NameEvidence

#: features whose detail is a sentence of the explanation in its own right
QUALIFIERS = ("number_mismatch", "identifier_match", "country_agrees", "country_disagrees",
              "birth_date_agrees", "birth_date_disagrees", "weak_alias")


def _order_ignored(evidence: NameEvidence) -> bool:
    """Whether the paired parts of a person name stand in a different order on each side."""
    if evidence.query.tag != NameTypeTag.PER:
        return False
    q_order = evidence.query.normalised.split()
    r_order = evidence.result.normalised.split()
    pairs = [(link.query.split()[0], link.result.split()[0]) for link in evidence.links
             if link.query and link.result]
    positions = [(q_order.index(q), r_order.index(r)) for q, r in pairs if q in q_order and r in r_order]
    positions.sort()
    return any(b[1] < a[1] for a, b in zip(positions, positions[1:], strict=False))


def describe_name(evidence: NameEvidence) -> str:
    """How the parts of two names line up, in a phrase: "all 3 name parts, order ignored"."""
    links = evidence.links
    if not links:
        return "no name parts to compare"
    paired = [link for link in links if link.query and link.result and link.score > 0]
    exact = all(link.how == "identical" for link in paired)
    count = sum(max(len(link.query.split()), len(link.result.split())) for link in links)
    agree = sum(max(len(link.query.split()), len(link.result.split())) for link in paired)
    if len(paired) == len(links) and exact:
        text = f"all {count} name part{'s' if count != 1 else ''}"
    else:
        shown = "; ".join(link.describe() for link in links)
        text = f"{agree} of {count} name parts agree: {shown}"
    if _order_ignored(evidence):
        text += ", order ignored"
    return text


def _name_sentence(features: Sequence[Feature], evidence: NameEvidence, matched_name: str,
                   kind: str) -> str:
    by_name = {f.name: f for f in features}
    query = evidence.query.original
    if "name_same_script" in by_name:
        return f"Name '{query}' and {kind} '{matched_name}': {by_name['name_same_script'].detail}."
    alignment = by_name.get("name_alignment")
    jw = by_name.get("name_jaro_winkler")
    score = alignment.value if alignment is not None else 0.0
    verb = "matches" if score >= 0.9 else "resembles" if score >= 0.6 else "differs from"
    how = alignment.detail if alignment is not None else ""
    letters = f"; {jw.value:.0%} similar letters" if jw is not None and jw.value < 1.0 else ""
    return f"Name '{query}' {verb} {kind} '{matched_name}' ({how}{letters})."


def explain(features: Sequence[Feature], evidence: NameEvidence, *, matched_name: str,
            kind: str = "name") -> str:
    """Sentences for a score: the name comparison first, then each qualifier."""
    sentences = [_name_sentence(features, evidence, matched_name, kind)]
    for feature in features:
        if feature.name in QUALIFIERS:
            detail = feature.detail[:1].upper() + feature.detail[1:]
            sentences.append(detail if detail.endswith(".") else detail + ".")
    return " ".join(sentences)
