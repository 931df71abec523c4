"""Name screening: normalisation, name comparison, qualifiers, the index and its explanations.

The index is built from a dozen hand-made entries (``fixtures/matching/entries.json``),
so these tests do not depend on the list importers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.model import Alias, ListEntry
from armswatch.sanctions.matching import (
    DEFAULT_THRESHOLD,
    Match,
    Query,
    ScreeningIndex,
    compare_names,
    name_parts,
    normalise_name,
)
from armswatch.sanctions.matching.qualifiers import normalise_identifier, schemata_compatible
from armswatch.sanctions.matching.results import total

FIXTURE = Path(__file__).parent / "fixtures" / "matching" / "entries.json"


@pytest.fixture(scope="module")
def entries() -> list[ListEntry]:
    return [ListEntry.from_dict(item) for item in json.loads(FIXTURE.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def index(entries: list[ListEntry]) -> ScreeningIndex:
    return ScreeningIndex(entries)


def top(index: ScreeningIndex, query: Query, **kwargs: float) -> Match:
    results = index.screen(query, **kwargs)  # type: ignore[arg-type]
    assert results, f"nothing found for {query}"
    return results[0]


# -- normalisation -----------------------------------------------------------------


@pytest.mark.parametrize(("name", "schema", "expected"), [
    ("PUTIN, Vladimir Vladimirovich", "Person", "vladimir vladimirovich putin"),
    ("Владимир Путин", None, "vladimir putin"),
    ("김정은", "Person", "gim jeong eun"),
    ("贝拉克·奥巴马", None, "bei la ke ao ba ma"),
    ("باراك أوباما", "Person", "barak awbama"),
    ("Dr. Rami Makhlouf", "Person", "rami makhlouf"),
    ("General Motors Company", None, "general motors company"),
    ("Open Joint Stock Company Gazprom", "Company", "ojsc gazprom"),
    ("The World Bank", "Organization", "world bank"),
    ("SergeiLavrov", "Person", "sergei lavrov"),
    ("Ig0r Sech1n", "Person", "igor sechin"),
    ("Nantahala Capital Offshore Fund, Ltd.", "Company", "nantahala capital offshore fund ltd"),
    ("MV Hellenic Spirit", "Vessel", "hellenic spirit"),
    ("Al Qa'ida", "Organization", "al qaida"),
    ("Frost, William W.", "Person", "william w frost"),
])
def test_normalise_name(name: str, schema: str | None, expected: str) -> None:
    assert normalise_name(name, schema) == expected


def test_name_parts_are_the_words_of_the_normalised_name() -> None:
    assert name_parts("KIM, Jong-Un", "Person") == ("jong", "un", "kim")
    assert name_parts("") == ()


@settings(max_examples=300, deadline=None)
@given(name=st.text(max_size=40), schema=st.sampled_from([None, "Person", "Company", "Vessel"]))
def test_normalise_name_never_raises_and_is_idempotent(name: str, schema: str | None) -> None:
    once = normalise_name(name, schema)
    assert once == normalise_name(once, schema)
    assert once == once.strip()
    assert all(c.isascii() for c in once)


# -- comparing names ------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(name1=st.text(max_size=30), name2=st.text(max_size=30),
       schema=st.sampled_from([None, "Person", "Company", "Vessel"]))
def test_compare_names_never_raises(name1: str, name2: str, schema: str | None) -> None:
    comparison = compare_names(name1, name2, schema=schema)
    assert 0.0 <= comparison.score <= 1.0
    assert comparison.match == (comparison.score >= DEFAULT_THRESHOLD)
    assert comparison.explanation


@pytest.mark.parametrize(("name1", "name2", "schema"), [
    ("John Smith", "Smith, John", "Person"),  # OFAC order
    ("Vladimir Putin", "PUTIN, Vladimir Vladimirovich", "Person"),  # the list adds a patronymic
    ("Hans J Friedrich", "Hans Joachim Friedrich", "Person"),  # initial
    ("N. Nazarbayev", "Nursultan Nazarbayev", "Person"),
    ("Dr. Rami Makhlouf", "Rami Makhlouf", "Person"),  # honorific
    ("Vladmir Putin", "Vladimir Putin", "Person"),  # typo
    ("SergeiLavrov", "Sergei Lavrov", "Person"),
    ("Ig0r Sech1n", "Igor Sechin", "Person"),
    ("OAO Gazprom", "Open Joint Stock Company Gazprom", "Company"),  # legal forms
    ("Siemens Aktiengesellschaft", "Siemens AG", "Company"),
    ("Iskusstvo Krasoty", "LIMITED LIABILITY COMPANY ISKUSSTVO KRASOTY", "Company"),
    ("Brigade Forty-Four", "Brigade 44", "Organization"),  # number words
    ("Hellenic Spirit", "MV Hellenic Spirit", "Vessel"),
    ("Владимир Путин", "Vladimir Putin", "Person"),  # scripts
    ("محمد حسن", "HASSAN, Mohammad", "Person"),
    ("عبد الفتاح السيسي", "Abdel Fattah el-Sisi", "Person"),
    ("김정은", "KIM Jong Un", "Person"),
])
def test_same_party(name1: str, name2: str, schema: str) -> None:
    comparison = compare_names(name1, name2, schema=schema)
    assert comparison.match, comparison.explanation


@pytest.mark.parametrize(("name1", "name2", "schema"), [
    ("Vessel 1", "Vessel 2", "Vessel"),  # numbers must agree
    ("Management Company 23", "Management Company 24", "Company"),
    ("Sergey Viktorovich Lavrov", "Sergey Borisovich Lavrov", "Person"),  # contradicting patronymics
    ("Frost, William G.", "William W Frost", "Person"),  # contradicting initials
    ("Barack Obama", "George Hussein Onyango Obama", "Person"),
    ("SALMAN BIN MUHAMMAD AL-RAWI", "MUHAMMAD BIN SALMAN AL-RAWI", "Person"),  # father and son
    ("Management Company", "Westminister Management Company", "Company"),  # generic words only
    ("김종은", "김정은", "Person"),  # one Hangul syllable is a different name
    ("Hafez al-Assad", "Bashar al-Assad", "Person"),
])
def test_different_parties(name1: str, name2: str, schema: str) -> None:
    comparison = compare_names(name1, name2, schema=schema)
    assert not comparison.match, comparison.explanation


def test_person_name_order_is_ignored_and_said() -> None:
    comparison = compare_names("Jong Un Kim", "KIM Jong Un", schema="Person")
    assert comparison.score == pytest.approx(1.0)
    assert "order ignored" in comparison.explanation


def test_legal_forms_weigh_little() -> None:
    same_form = compare_names("Deutsche Bank AG", "Deutsche Bank AG", schema="Company").score
    other_form = compare_names("Deutsche Bank AG", "Deutsche Bank GmbH", schema="Company").score
    other_name = compare_names("Deutsche Bank AG", "Deutsche Kredit AG", schema="Company").score
    assert same_form > other_form > other_name
    # a different legal form costs a few points (AG and GmbH are different companies, or one
    # company reincorporated), a different name word many
    assert other_form > 0.7 > 0.5 > other_name


def test_comparison_features_add_up_to_the_score() -> None:
    comparison = compare_names("Olaf Scholze", "Olaf Scholz", schema="Person")
    names = [f.name for f in comparison.features]
    assert names[:2] == ["name_alignment", "name_jaro_winkler"]
    assert comparison.score == pytest.approx(total(comparison.features))
    assert "'olaf'" in comparison.features[0].detail
    assert "similar letters" in comparison.features[1].detail


def test_number_mismatch_is_a_feature() -> None:
    comparison = compare_names("Vessel 1", "Vessel 2", schema="Vessel")
    mismatch = [f for f in comparison.features if f.name == "number_mismatch"]
    assert mismatch and mismatch[0].weight < 0
    assert "Numbers differ: 1 vs 2." in comparison.explanation


# -- the index ----------------------------------------------------------------------------


def test_len_and_add(entries: list[ListEntry]) -> None:
    index = ScreeningIndex(entries[:3])
    assert len(index) == 3
    assert not index.screen(Query("Sergey Lavrov", schema="Person"))
    index.add([e for e in entries if e.entry_id == "P4"])
    assert len(index) == 4
    assert top(index, Query("Sergey Lavrov", schema="Person")).entry.entry_id == "P4"


def test_empty_index_and_empty_query(index: ScreeningIndex) -> None:
    assert ScreeningIndex().screen(Query("Vladimir Putin")) == []
    assert index.screen(Query("   ")) == []


@pytest.mark.parametrize(("query", "entry_id"), [
    (Query("Владимир Путин"), "P1"),  # Cyrillic finds the Latin listing
    (Query("김정은"), "P2"),  # Hangul
    (Query("بشار الأسد", schema="Person"), "P3"),  # Arabic
    (Query("Bashar Assad", schema="Person"), "P3"),
    (Query("Kim Jong-un", schema="Person"), "P2"),
    (Query("Sergey Lavrov"), "P4"),
    (Query("OAO Gazprom", schema="Company"), "C1"),
    (Query("Tactical Missiles Corp JSC", schema="Company"), "C2"),
    (Query("OOO Oboronnye Initsiativy", schema="Organization"), "C3"),
    (Query("Victory 1", schema="Vessel"), "V1"),
])
def test_screen_finds(index: ScreeningIndex, query: Query, entry_id: str) -> None:
    assert top(index, query).entry.entry_id == entry_id


def test_cross_script_without_original_script_alias() -> None:
    entry = ListEntry(list="t", entry_id="A1", schema="Person", name="AL-ASSAD, Bashar")
    match = top(ScreeningIndex([entry]), Query("بشار الأسد", schema="Person"))
    assert match.score >= DEFAULT_THRESHOLD


def test_person_query_never_matches_a_vessel(index: ScreeningIndex) -> None:
    for match in index.screen(Query("Putin", schema="Person"), threshold=0.0):
        assert match.entry.schema == "Person"
    assert top(index, Query("Putin", schema="Vessel")).entry.entry_id == "V2"


@pytest.mark.parametrize(("query", "entry", "compatible"), [
    ("Company", "Organization", True), ("Organization", "Company", True),
    ("Company", "LegalEntity", True), ("Person", "LegalEntity", True),
    ("Person", "Vessel", False), ("Company", "Person", False), ("Vessel", "Aircraft", False),
    (None, "Vessel", True),
])
def test_schemata_compatible(query: str | None, entry: str, compatible: bool) -> None:
    assert schemata_compatible(query, entry) is compatible


def test_vessel_numbers_must_agree(index: ScreeningIndex) -> None:
    assert not index.screen(Query("Victory 2", schema="Vessel"))


def test_country_and_birth_date_qualify(index: ScreeningIndex) -> None:
    results = index.screen(Query("Mohammad Hassan", schema="Person", country="SY", birth_date="1981"),
                           threshold=0.0)
    assert [m.entry.entry_id for m in results[:2]] == ["P7", "P6"]
    best, other = results[0], results[1]
    assert {f.name for f in best.features} >= {"country_agrees", "birth_date_agrees"}
    assert {f.name for f in other.features} >= {"country_disagrees", "birth_date_disagrees"}
    assert "Country SY agrees." in best.explanation
    assert "Date of birth 1981 agrees with 1981-04-02." in best.explanation
    assert best.score > other.score


def test_birth_date_is_year_tolerant(index: ScreeningIndex) -> None:
    match = top(index, Query("Sergey Lavrov", schema="Person", birth_date="1951"))
    assert not [f for f in match.features if f.name.startswith("birth_date")]  # a year off: no verdict
    match = top(index, Query("Sergey Lavrov", schema="Person", birth_date="1950-07"))
    assert [f.name for f in match.features if f.name.startswith("birth_date")] == ["birth_date_agrees"]


def test_identifier_is_a_strong_match(index: ScreeningIndex) -> None:
    match = top(index, Query("Some Ship", schema="Vessel", identifiers=("IMO 9123456",)))
    assert match.entry.entry_id == "V1"
    assert match.score >= DEFAULT_THRESHOLD  # the name alone would not match
    feature = next(f for f in match.features if f.name == "identifier_match")
    assert feature.weight >= DEFAULT_THRESHOLD
    assert "9123456" in match.explanation
    assert normalise_identifier("IMO 9123456") == normalise_identifier("9123456")


def test_weak_alias_counts_less(index: ScreeningIndex) -> None:
    weak = top(index, Query("Sergey Shoygu", schema="Person"))
    assert weak.matched_name == "SHOYGU, Sergey"
    assert any(f.name == "weak_alias" and f.weight < 0 for f in weak.features)
    assert "weak alias" in weak.explanation
    entry = ListEntry.from_dict({**weak.entry.to_dict(), "aliases": [{"name": "SHOYGU, Sergey"}]})
    strong = top(ScreeningIndex([entry]), Query("Sergey Shoygu", schema="Person"))
    assert strong.score > weak.score


def test_explanation_reads_like_the_brief(index: ScreeningIndex) -> None:
    match = top(index, Query("Kim Jong Un", schema="Person", country="KP", birth_date="1984"))
    assert match.entry.entry_id == "P2"
    assert match.explanation.startswith("Name 'Kim Jong Un' matches ")
    assert "(all 3 name parts" in match.explanation
    assert "Country KP agrees." in match.explanation
    assert "Date of birth 1984 agrees with 1984-01-08." in match.explanation
    assert match.score == pytest.approx(total(match.features))
    assert all(f.detail for f in match.features)


def test_results_are_ordered_limited_and_thresholded(index: ScreeningIndex) -> None:
    results = index.screen(Query("Mohammad Hassan", schema="Person"), threshold=0.0, limit=10)
    scores = [m.score for m in results]
    assert scores == sorted(scores, reverse=True)
    assert len(index.screen(Query("Mohammad Hassan", schema="Person"), threshold=0.0, limit=1)) == 1
    assert all(m.score >= 0.99 for m in index.screen(Query("Mohammad Hassan"), threshold=0.99))


def test_match_names_the_alias_that_matched(index: ScreeningIndex) -> None:
    match = top(index, Query("Oboronnye Initsiativy", schema="Company"))
    assert match.entry.entry_id == "C3"
    assert match.matched_name == "Oboronnye Initsiativy OOO"
    entry = ListEntry(list="t", entry_id="X", schema="Person", name="Ali Hassan",
                      aliases=(Alias("Abu Bakr al-Shami"),))
    assert top(ScreeningIndex([entry]), Query("Abu Bakr al Shami")).matched_name == "Abu Bakr al-Shami"


def test_namesakes_beyond_the_first_few_are_returned() -> None:
    namesakes = [ListEntry(list="t", entry_id=f"N{i}", schema="Person", name="HASSAN, Mohammad",
                           birth_dates=(f"19{50 + i}",)) for i in range(8)]
    results = ScreeningIndex(namesakes).screen(Query("Mohammad Hassan", schema="Person"), limit=10)
    assert len(results) == 8
    assert len(ScreeningIndex(namesakes).screen(Query("Mohammad Hassan", schema="Person"), limit=3)) == 3
