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


# -- constructions added for recall (each with invented sentences) ----------------------
@pytest.mark.parametrize(
    ("text", "supplier", "recipient", "stage", "factuality"),
    [
        # a gerund after "accuse/blame X of/for": X does it
        ("London accused Minsk of sending armoured vehicles to Moscow.",
         "BY", "RU", "delivered", "asserted"),
        ("Canada blamed Tehran for supplying attack drones to Moscow.",
         "IR", "RU", "delivered", "asserted"),
        # the party named by a compound that the parser reads as nmod
        ("The Wagner Group private military company has received a shipment of rifles "
         "from Pyongyang.", "KP", None, "delivered", "asserted"),
        # "dependent on X, as well as Y, for arms", with "for" hung on a higher verb
        ("Analysts have argued that Caracas has grown dependent on Moscow, as well as "
         "Beijing, for the fighter jets it flies.", "RU", "VE", "delivered", "asserted"),
        # an infinitive on a deal noun: "signed a deal with Y to export/buy"
        ("South Korea signed a deal with Poland to export 180 tanks.",
         "KR", "PL", "agreed", "asserted"),
        ("Egypt reached an agreement with France to buy 30 Rafale jets.",
         "FR", "EG", "agreed", "asserted"),
        # "a decision to send" is agreed; "the capacity to supply" is only possible
        ("Germany made the decision to send Leopard tanks to Ukraine.",
         "DE", "UA", "agreed", "asserted"),
        ("Iran has the capacity to supply ballistic missiles to Venezuela.",
         "IR", "VE", "delivered", "possible"),
        # a possessor does what the infinitive on its noun says, not the sentence's subject
        ("The envoy praised Serbia's decision to sell howitzers to Armenia.",
         "RS", "AM", "agreed", "asserted"),
        # efforts and attempts to get something are seeking it
        ("London vowed to counter Belarus's efforts to obtain drones from Iran.",
         "IR", "BY", "sought", "asserted"),
        # payment in kind goes the other way
        ("Moscow would provide Pyongyang with grain in return for artillery shells.",
         "KP", "RU", "delivered", "possible"),
    ],
)
def test_transfer_constructions(extractor, text, supplier, recipient, stage, factuality) -> None:  # type: ignore[no-untyped-def]
    facts = _facts(extractor, text, "arms_transfer")
    assert len(facts) >= 1, facts
    fact = facts[0]
    assert supplier in _codes(fact, "supplier")
    if recipient is not None:
        assert recipient in _codes(fact, "recipient")
    assert (fact.stage, fact.factuality) == (stage, factuality)


def test_as_well_as_names_a_second_supplier(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Analysts have argued that Caracas has grown dependent on Moscow, as well as "
            "Beijing, for the fighter jets it flies.")
    facts = _facts(extractor, text, "arms_transfer")
    assert {c for f in facts for c in _codes(f, "supplier")} == {"RU", "CN"}


def test_wagner_named_inside_a_longer_noun_phrase(extractor) -> None:  # type: ignore[no-untyped-def]
    (fact,) = _facts(extractor, "The Wagner Group private military company has received a "
                     "shipment of rifles from Pyongyang.", "arms_transfer")
    assert "Wagner Group" in {e.name for e in fact.role("recipient")}


def test_coordinated_demonyms_name_both_parties_of_talks(extractor) -> None:  # type: ignore[no-untyped-def]
    (fact,) = _facts(extractor, "Diplomats said Iranian and Belarusian talks on a drone sale "
                     "had stalled.", "arms_transfer")
    assert {"IR", "BY"} <= _codes(fact, "supplier") | _codes(fact, "recipient")
    assert fact.stage == "negotiating"


def test_subject_pronoun_takes_the_previous_sentences_state(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Venezuela has turned to new partners since the embargo. It recently received "
            "a first shipment of drones from Iran.")
    (fact,) = _facts(extractor, text, "arms_transfer")
    assert (_codes(fact, "supplier"), _codes(fact, "recipient")) == ({"IR"}, {"VE"})


@pytest.mark.parametrize(
    "text",
    [
        # "it" with no state subject before it resolves to nothing
        "The report was published on Monday. It recently received praise from Iran for "
        "its coverage of drones.",
        # a designation before an unrelated noun is not goods
        "Iran tested a Shahab-3 engine for the first time.",
        # reliance on a state for something other than arms
        "The company became dependent on China for its revenue.",
    ],
)
def test_silent_on_transfer_look_alikes(extractor, text) -> None:  # type: ignore[no-untyped-def]
    assert _facts(extractor, text, "arms_transfer") == []


def test_an_arms_deal_is_not_a_cooperation_agreement(extractor) -> None:  # type: ignore[no-untyped-def]
    assert _facts(extractor, "South Korea signed a deal with Poland to export 180 tanks.",
                  "cooperation") == []
    (coop,) = _facts(extractor, "South Korea signed a trade deal with Poland.", "cooperation")
    assert coop.stage == "agreed"


def test_hosting_troops_is_not_a_meeting(extractor) -> None:  # type: ignore[no-untyped-def]
    assert _facts(extractor, "Belarus hosts Russian troops near the border.",
                  "diplomatic_contact") == []
    assert _facts(extractor, "Vladimir Putin hosted Kim Jong Un at the Kremlin.",
                  "diplomatic_contact")


def test_one_meeting_named_by_title_and_by_name_is_one_fact(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Vladimir Putin met the North Korean leader in Vladivostok on Wednesday. "
            "\"We are glad,\" the Russian leader said during talks with Kim Jong Un.")
    facts = _facts(extractor, text, "diplomatic_contact")
    assert len(facts) == 1, facts


def test_the_group_refers_back_to_the_last_named_group(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The Wagner Group has lost hundreds of fighters near Bakhmut. Officials fear "
            "Pyongyang will send the mercenary group more rockets.")
    (fact,) = _facts(extractor, text, "arms_transfer")
    assert "Wagner Group" in {e.name for e in fact.role("recipient")}
    assert _codes(fact, "supplier") == {"KP"}
    # with no group named before, "the group" names no one
    assert _facts(extractor, "Officials fear Pyongyang will send the mercenary group more "
                  "rockets.", "arms_transfer") == []


def test_warning_not_to_supply_is_no_transfer(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "German Chancellor Olaf Scholz warned Beijing not to supply Russia with weapons."
    assert _facts(extractor, text, "arms_transfer") == []
    (warning,) = _facts(extractor, text, "statement")
    assert warning.kind == "warning"
    # a plain negation is still a negated transfer
    (fact,) = _facts(extractor, "Tehran did not send missiles to Moscow.", "arms_transfer")
    assert fact.factuality == "negated"


def test_a_state_does_not_warn_itself(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Japan is worried Iran is preparing to ship drones to Russia and urged Tehran to "
            "stop, Prime Minister Fumio Kishida said.")
    (fact,) = _facts(extractor, text, "statement")
    assert "IR" not in _codes(fact, "speaker")
    assert "IR" in _codes(fact, "target")


def test_the_visitor_before_a_parenthetical_visit(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Officials said that Kim Jong Un, during a visit to Moscow, inspected "
            "fighter jets.")
    (fact,) = _facts(extractor, text, "diplomatic_contact")
    assert fact.kind == "visit"
    assert {"KP", "RU"} <= _codes(fact, "participant")


@pytest.mark.parametrize(
    ("text", "supplier", "recipient", "stage", "item"),
    [
        # pledge/promise as supply verbs: a decision to supply, so agreed
        ("Germany pledged 40 Marder vehicles to Ukraine.", "DE", "UA", "agreed",
         "armoured_vehicles"),
        # routing verbs and part words
        ("Tehran has been channelling drone parts to Moscow through the Caspian Sea.",
         "IR", "RU", "delivered", "components"),
        # "military aid" names unspecified weapons
        ("Ukraine received more military aid from Canada.", "CA", "UA", "delivered", "weapons"),
        # transfer nouns named from the receiving side, and offers
        ("Turkey's procurement of S-400 systems from Russia angered Washington.",
         "RU", "TR", "agreed", "air_defence"),
        ("Kyiv's request for Taurus missiles from Germany remains unanswered.",
         "DE", "UA", "sought", "missiles"),
        ("Russia's offer of Su-35 jets to Iran was reported in January.",
         "RU", "IR", "negotiating", "aircraft"),
    ],
)
def test_transfer_vocabulary(extractor, text, supplier, recipient, stage, item) -> None:  # type: ignore[no-untyped-def]
    (fact,) = _facts(extractor, text, "arms_transfer")
    assert (_codes(fact, "supplier"), _codes(fact, "recipient")) == ({supplier}, {recipient})
    assert fact.stage == stage
    assert item in fact.items


@pytest.mark.parametrize(
    "text",
    [
        "The government pledged new funding to schools in the north.",
        "The minister promised voters lower taxes.",
        "Farmers asked for spare tractor parts from the cooperative.",
    ],
)
def test_silent_on_everyday_pledges_and_parts(extractor, text) -> None:  # type: ignore[no-untyped-def]
    assert _facts(extractor, text, "arms_transfer") == []
