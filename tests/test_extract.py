"""The extractor on sentences written for these tests (not copied from the dev set).

Each case states a fact the way news language does and checks what an
analyst would: the ISO codes, the stage, the factuality, the items, and that
evidence offsets slice the text exactly.
"""

from __future__ import annotations

import pytest

from armswatch.model import Fact

pytestmark = pytest.mark.slow


def _facts(extractor, text: str, kind: str) -> list[Fact]:  # type: ignore[no-untyped-def]
    return [f for f in extractor.extract_text(text) if f.type == kind]


def _codes(fact: Fact, role: str) -> set[str | None]:
    return {e.country for e in fact.role(role)}


@pytest.mark.parametrize(
    ("text", "supplier", "recipient", "stage", "factuality", "item"),
    [
        ("Iran shipped hundreds of Shahed-136 drones to Russia last year, Ukrainian "
         "intelligence said.", "IR", "RU", "delivered", "asserted", "drones"),
        ("Belarus has provided Russia with tanks and ammunition, according to the report.",
         "BY", "RU", "delivered", "asserted", "armoured_vehicles"),
        ("Pyongyang denied that it had sold artillery shells to Moscow.",
         "KP", "RU", "delivered", "negated", "ammunition"),
        ("Russia could receive ballistic missiles from Iran within weeks.",
         "IR", "RU", "delivered", "possible", "missiles"),
        ("Russia is seeking to acquire more artillery ammunition from North Korea.",
         "KP", "RU", "sought", "asserted", "ammunition"),
        ("Poland signed a contract to buy 96 Apache helicopters from the United States.",
         "US", "PL", "agreed", "asserted", "aircraft"),
        ("Syria is buying Chinese fighter jets.", "CN", "SY", "agreed", "asserted", "aircraft"),
        ("The Democratic People's Republic of Korea has never exported weapons to Russia, "
         "the ministry said.", "KP", "RU", "delivered", "negated", "weapons"),
    ],
)
def test_arms_transfer(extractor, text, supplier, recipient, stage, factuality, item) -> None:  # type: ignore[no-untyped-def]
    facts = _facts(extractor, text, "arms_transfer")
    assert len(facts) == 1, facts
    fact = facts[0]
    assert supplier in _codes(fact, "supplier")
    assert recipient in _codes(fact, "recipient")
    assert (fact.stage, fact.factuality) == (stage, factuality)
    assert item in fact.items


def test_designation_and_quantity_are_kept(extractor) -> None:  # type: ignore[no-untyped-def]
    (fact,) = _facts(extractor, "Iran shipped hundreds of Shahed-136 drones to Russia.",
                     "arms_transfer")
    assert "Shahed-136" in fact.designations
    assert any("hundreds" in q for q in fact.quantities)


def test_source_is_attributed(extractor) -> None:  # type: ignore[no-untyped-def]
    (fact,) = _facts(extractor, "North Korea delivered rockets to Russia, South Korean "
                     "officials said on Monday.", "arms_transfer")
    assert "KR" in {e.country for e in fact.source}


def test_evidence_offsets_slice_the_text(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Background paragraph about the war.\n\nAnalysts say Tehran sent drones to "
            "Moscow in August. Officials in Kyiv agree.")
    facts = extractor.extract_text(text)
    assert facts
    for fact in facts:
        for ev in fact.evidence:
            assert text[ev.start:ev.end] == ev.text
            assert "drones" in ev.text


def test_mentions_of_one_happening_merge(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("North Korea shipped artillery shells to Russia in September. "
            "Officials said North Korea shipped more shells to Russia by rail.")
    facts = _facts(extractor, text, "arms_transfer")
    assert len(facts) == 1
    assert len(facts[0].evidence) == 2


@pytest.mark.parametrize(
    ("text", "imposer", "target", "stage"),
    [
        ("The US Treasury on Tuesday imposed sanctions on Rosoboronexport.", "US",
         "Rosoboronexport", "imposed"),
        ("The European Union will impose new sanctions on Iran over drone deliveries.",
         None, "Iran", "threatened"),
    ],
)
def test_sanction(extractor, text, imposer, target, stage) -> None:  # type: ignore[no-untyped-def]
    (fact,) = _facts(extractor, text, "sanction")
    names = {e.name for e in fact.role("imposer")} | _codes(fact, "imposer")
    assert imposer in names or (imposer is None and "European Union" in names)
    assert target in {e.name for e in fact.role("target")}
    assert fact.stage == stage


@pytest.mark.parametrize(
    "text",
    [
        "The club was sanctioned with a fine of CHF 20,000 by the FIFA Disciplinary Committee.",
        "Stuff the cooked pasta shells with ricotta and bake for twenty minutes.",
        "Hold your arms straight and lower the dumbbells slowly.",
        "Sanctions are restrictions imposed by governments to change behaviour.",
        "The army ordered 200 new rifles from a domestic manufacturer.",
    ],
)
def test_silent_on_look_alikes(extractor, text) -> None:  # type: ignore[no-untyped-def]
    assert extractor.extract_text(text) == []


def test_diplomatic_visit(extractor) -> None:  # type: ignore[no-untyped-def]
    (fact,) = _facts(extractor, "Russian Foreign Minister Sergei Lavrov visited Pyongyang "
                     "on Monday.", "diplomatic_contact")
    assert fact.kind == "visit"
    assert {"RU", "KP"} <= {e.country for e in fact.role("participant")}


def test_cooperation_agreement(extractor) -> None:  # type: ignore[no-untyped-def]
    (fact,) = _facts(extractor, "Russia and Belarus signed a military cooperation agreement "
                     "in Minsk.", "cooperation")
    assert (fact.stage, fact.domain) == ("agreed", "military")


def test_condemnation(extractor) -> None:  # type: ignore[no-untyped-def]
    (fact,) = _facts(extractor, "Japan condemned North Korea's missile launch on Sunday.",
                     "statement")
    assert fact.kind == "condemnation"
    assert _codes(fact, "speaker") == {"JP"}
    assert "KP" in _codes(fact, "target")


def test_ids_are_deterministic(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Iran shipped drones to Russia."
    assert [f.id for f in extractor.extract_text(text)] == [
        f.id for f in extractor.extract_text(text)]


def test_object_control_verbs_pass_the_action_to_their_object(extractor) -> None:  # type: ignore[no-untyped-def]
    (fact,) = _facts(extractor, "Officials in Beijing urged Iran to send drones to Russia.",
                     "arms_transfer")
    assert _codes(fact, "supplier") == {"IR"}
    (visit,) = _facts(extractor, "Putin also invited Kim Jong Un to visit Moscow.",
                      "diplomatic_contact")
    assert visit.factuality == "possible"
    assert {"KP", "RU"} <= {e.country for e in visit.role("participant")}


def test_an_agency_named_through_of_phrases_is_the_imposer(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The U.S. Department of the Treasury's Office of Foreign Assets Control (OFAC) today "
            "sanctioned two banks.")
    facts = _facts(extractor, text, "sanction")
    assert len(facts) == 1
    imposer = facts[0].role("imposer")
    assert [(e.name, e.country) for e in imposer] == [("Treasury's Office of Foreign Assets Control", "US")]
    assert facts[0].role("target") == ()  # "two banks" names no one


def test_a_known_body_at_the_end_of_a_longer_name_is_that_body(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The U.S. Commerce Department's Bureau of Industry and Security (BIS) added 11 entities to "
            "the Entity List.")
    facts = _facts(extractor, text, "sanction")
    assert [(e.name, e.country) for f in facts for e in f.role("imposer")] == [
        ("Bureau of Industry and Security", "US")]
