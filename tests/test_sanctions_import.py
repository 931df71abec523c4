"""Sanctions list importers: real excerpts of every format, the full real files, and refusals.

The excerpts under fixtures/sanctions/ are cut from the files in
../shared/data/sanctions (README there) and keep their quirks: CRLF, the
Ctrl-Z end byte, ``-0- `` nulls, OFAC's 2026 add/alt files that do not match
the 2024 sdn.csv. The EU file is hand-written to the schema (no real one was
available). Tests on the full files skip when ../shared is not beside the checkout.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armswatch.errors import InputError, ListFormatError, UnreadableFileError
from armswatch.model import Alias, Identifier, ListEntry
from armswatch.sanctions.importers import FORMATS, ParsedList, detect_format, load_list
from armswatch.sanctions.importers.dates import ofac_dates
from armswatch.sanctions.importers.eu_xml import read_eu_xml
from armswatch.sanctions.importers.ofac_remarks import read_remarks
from armswatch.sanctions.importers.ofac_xml import read_ofac_xml
from armswatch.sanctions.importers.parsed import ListFile
from armswatch.sanctions.importers.un_xml import read_un_xml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sanctions"
SHARED_LISTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "sanctions"

SDN = FIXTURES / "sdn_2024-05-03_excerpt.csv"
SDN_ADD = FIXTURES / "add_c2026_excerpt.csv"
SDN_ALT = FIXTURES / "alt_c2026_excerpt.csv"
CONS = [FIXTURES / "cons_prim_excerpt.csv", FIXTURES / "cons_add_excerpt.csv",
        FIXTURES / "cons_alt_excerpt.csv"]
OFAC_XML = FIXTURES / "ofac_consolidated_2018-04-06_excerpt.xml"
UN_XML = FIXTURES / "un_consolidated_2018-10-29_excerpt.xml"
EU_XML = FIXTURES / "eu_fsf_handwritten.xml"
FTM = FIXTURES / "yente_t1_entities.ftm.json"
FTM_DELTA_ADD_MOD = FIXTURES / "yente_t2_20240528014702-pfh_entities.delta.json"
FTM_DELTA_DEL = FIXTURES / "yente_t2_20240528074703-npf_entities.delta.json"
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def by_id(parsed: ParsedList) -> dict[str, ListEntry]:
    return {entry.entry_id: entry for entry in parsed.entries}


def shared(name: str) -> Path:
    path = SHARED_LISTS / name
    if not path.is_file():
        pytest.skip(f"{path} is not here; the real lists live in ../shared beside the checkout")
    return path


# -- OFAC legacy CSV ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sdn() -> ParsedList:
    return load_list([SDN, SDN_ADD, SDN_ALT])


def test_sdn_excerpt_list_facts(sdn: ParsedList) -> None:
    assert (sdn.list, sdn.format, sdn.published) == ("us_ofac_sdn", "ofac_csv", None)
    assert sdn.title == "OFAC Specially Designated Nationals (SDN) List"
    assert len(sdn.entries) == 27
    assert sdn.source_files == (str(SDN), str(SDN_ADD), str(SDN_ALT))
    # the 2026 add/alt files belong to a newer release than the 2024 sdn.csv
    assert any(w.startswith("add_c2026_excerpt.csv: 1 addresses for ent_nums not in")
               for w in sdn.warnings)
    assert any(w.startswith("alt_c2026_excerpt.csv: 3 aliases for ent_nums not in") for w in sdn.warnings)


def test_sdn_vessel_has_imo_flag_links_and_weak_former_name(sdn: ParsedList) -> None:
    vessel = by_id(sdn)["15036"]
    assert (vessel.name, vessel.schema, vessel.programs) == ("ARTAVIL", "Vessel", ("IRAN",))
    assert Identifier("imo", "9187629") in vessel.identifiers
    assert Identifier("mmsi", "572469210") in vessel.identifiers
    assert Identifier("call_sign", "T2EU4", "IR") in vessel.identifiers
    assert vessel.countries == ("IR",)  # Vess_flag; former flags are not the vessel's countries
    assert vessel.linked_to == ("NATIONAL IRANIAN TANKER COMPANY",)
    assert Alias("ALPHA", kind="fka", strength="weak") in vessel.aliases
    assert vessel.listed_on is None


def test_sdn_individual_dob_nationality_passport_weak_akas(sdn: ParsedList) -> None:
    person = by_id(sdn)["6905"]
    assert (person.name, person.schema) == ("HUSAYN, Zayn al-Abidin Muhammad", "Person")
    assert person.birth_dates == ("1971-03-12",)
    assert person.countries[0] == "PS"  # "nationality Palestinian"; then the address's country
    assert Identifier("passport", "484824", "EG") in person.identifiers
    assert person.aliases[-2:] == (Alias("ABU ZUBAIDA", strength="weak"),
                                   Alias("ABU ZUBAYDAH", strength="weak"))
    assert "ABU ZUBAIDA" not in person.names(weak=False)


def test_sdn_entity_null_type_alt_names_and_addresses(sdn: ParsedList) -> None:
    bank = by_id(sdn)["306"]
    assert bank.schema == "Organization"  # SDN_Type "-0- "
    assert bank.aliases == (Alias("NATIONAL BANK OF CUBA"), Alias("BNC", strength="weak"))
    assert "Zweierstrasse 35, Zurich CH-8022, Switzerland" in bank.addresses
    assert {"CH", "ES", "JP", "PA"} <= set(bank.countries)
    assert bank.remarks == "a.k.a. 'BNC'."


@pytest.mark.parametrize(("ent_num", "birth_dates"), [
    ("12888", ("1963",)),                    # DOB 1963
    ("7846", ("1957",)),                     # DOB circa 1957
    ("15962", ("1961", "1962")),             # DOB 01 Jan 1961 to 31 Dec 1962
    ("16605", ("1946",)),                    # DOB 26 Sep 1946 to 07 Dec 1946
    ("16540", tuple(str(y) for y in range(1977, 1986))),
    ("44196", ("1982-06-01", "1982-01-01")),  # DOB ...; alt. DOB ...
    ("306", ()),
])
def test_sdn_birth_dates(sdn: ParsedList, ent_num: str, birth_dates: tuple[str, ...]) -> None:
    assert by_id(sdn)[ent_num].birth_dates == birth_dates


def test_sdn_programs_ids_links_and_listing_date(sdn: ParsedList) -> None:
    entries = by_id(sdn)
    assert entries["31169"].programs == ("NPWMD", "CYBER2", "CAATSA - RUSSIA")
    ozean = entries["44239"]
    assert Identifier("registration", "HRA 738569", "DE") in ozean.identifiers  # "(Stuttgart) (Germany)"
    assert Identifier("tax", "DE349865878", "DE") in ozean.identifiers
    assert ozean.linked_to == ("RAHMANI, Ajmal",)
    # the remarks' closing full stop is not part of the name, but "LTDA." keeps its own
    assert entries["11812"].linked_to == ("HERJEZ LTDA.",)
    assert entries["11862"].name == "HERJEZ LTDA."
    sberbank = entries["17018"]
    assert Identifier("swift", "SABRRUMM") in sberbank.identifiers
    assert sberbank.listed_on == "2022-02-24"  # "Listing Date (EO 14024 Directive 2): 24 Feb 2022"
    aircraft = entries["15431"]
    assert (aircraft.schema, aircraft.linked_to) == ("Aircraft", ("POUYA AIR",))
    assert Identifier("aircraft_msn", "1023409321") in aircraft.identifiers
    assert entries["4249"].countries == ("CU",)  # a vessel with a flag and no remarks


def test_ofac_csv_roles_come_from_shape_not_name(tmp_path: Path, sdn: ParsedList) -> None:
    renamed = []
    for index, source in enumerate((SDN_ALT, SDN, SDN_ADD)):
        target = tmp_path / f"part{index}.csv"
        shutil.copy(source, target)
        renamed.append(target)
    again = load_list(renamed, list_name="us_ofac_sdn")
    assert again.entries == sdn.entries
    # the hash goes over the files sorted by name, whatever order they are given in
    assert load_list(list(reversed(renamed)), list_name="us_ofac_sdn").file_hash == again.file_hash


def test_ofac_comments_file_continues_cut_remarks(tmp_path: Path) -> None:
    # a hand-made sdn_comments.csv (no real one matches the 2024 file): ent_num, continuation
    comments = tmp_path / "spill.csv"
    comments.write_bytes(b'17018,"; Tax ID No. 7707083893 (Russia)."\r\n\x1a')
    parsed = load_list([SDN, comments])
    sberbank = by_id(parsed)["17018"]
    assert sberbank.remarks is not None and sberbank.remarks.endswith("; Tax ID No. 7707083893 (Russia).")
    assert Identifier("tax", "7707083893", "RU") in sberbank.identifiers


def test_consolidated_csv_and_xml_agree() -> None:
    csv_list = load_list(CONS)
    xml_list = load_list([OFAC_XML])
    assert (csv_list.list, xml_list.list) == ("us_ofac_cons", "us_ofac_cons")
    assert xml_list.published == "2018-04-06"
    assert xml_list.warnings == (f"{OFAC_XML.name}: Record_Count says 639 entries, the file has 7",)
    csv_entries, xml_entries = by_id(csv_list), by_id(xml_list)
    for ent_num, entry in csv_entries.items():
        other = xml_entries[ent_num]
        assert (entry.name, entry.schema, entry.programs) == (other.name, other.schema, other.programs)
        assert set(entry.identifiers) == set(other.identifiers)
        assert {(a.name, a.strength) for a in entry.aliases} == {(a.name, a.strength) for a in other.aliases}


def test_ofac_xml_entries() -> None:
    entries = by_id(load_list([OFAC_XML]))
    assert Alias("BIM", strength="weak") in entries["4637"].aliases
    shona = entries["15036"]
    assert (shona.name, shona.schema) == ("SHONA", "Vessel")
    assert Identifier("imo", "9187629") in shona.identifiers
    assert shona.linked_to == ("NATIONAL IRANIAN TANKER COMPANY",)  # "(Linked To: ...)" in remarks
    person = entries["15961"]
    assert (person.name, person.schema) == ("JASHNSAZ, Seifollah", "Person")
    assert person.countries == ("IR",) and person.birth_dates
    assert all(ISO_DATE.match(date) for date in person.birth_dates)


# -- UN, EU, FollowTheMoney ----------------------------------------------------------------------


def test_un_excerpt() -> None:
    parsed = load_list([UN_XML])
    assert (parsed.list, parsed.format, parsed.published) == ("un_sc", "un_xml", "2018-10-29")
    entries = by_id(parsed)
    assert len(entries) == 10
    houthi = entries["YEi.001"]
    assert (houthi.name, houthi.schema, houthi.programs) == ("ABD AL-KHALIQ AL-HOUTHI", "Person", ("Yemen",))
    assert houthi.aliases[0] == Alias("عبدالخالق الحوثي", kind="original_script")
    assert Alias("Abu-Yunus", strength="weak") in houthi.aliases  # QUALITY Low
    assert (houthi.listed_on, houthi.countries, houthi.birth_dates) == ("2014-11-07", ("YE",), ("1984",))
    ri = entries["KPi.033"]
    assert ri.name == "RI WON HO"  # " RI " and "WON HO" with the stray spaces gone
    assert ri.identifiers == (Identifier("passport", "381310014"),)
    assert ri.remarks is not None and ri.remarks.startswith("Ri Won Ho is a DPRK")
    assert entries["KPi.034"].entry_id == "KPi.034"  # "KPi.034 " in the file
    pad = entries["KPe.053"]
    assert (pad.schema, pad.countries) == ("Organization", ("KP",))
    assert any(a.kind == "fka" for a in entries["QDe.102"].aliases)
    ranged = entries["TAi.002"]
    assert len(ranged.birth_dates) > 1 and all(len(d) == 4 for d in ranged.birth_dates)


def test_eu_fixture_is_valid_against_the_schema() -> None:
    lxml_etree = pytest.importorskip("lxml.etree")
    schema = lxml_etree.XMLSchema(lxml_etree.parse(str(shared("eu_fsf_schema_1_1.xsd"))))
    document = lxml_etree.parse(str(EU_XML), lxml_etree.XMLParser(resolve_entities=False, no_network=True))
    assert schema.validate(document), schema.error_log


def test_eu_entries() -> None:
    parsed = load_list([EU_XML])
    assert (parsed.list, parsed.format, parsed.published) == ("eu_fsf", "eu_xml", "2024-05-30")
    entries = by_id(parsed)
    kuzmenko = entries["162301"]
    assert (kuzmenko.name, kuzmenko.schema) == ("Vitaly Yurievich KUZMENKO", "Person")
    assert kuzmenko.programs == ("UKR",)
    assert kuzmenko.aliases == (Alias("Виталий Юрьевич КУЗЬМЕНКО"),)
    assert (kuzmenko.countries, kuzmenko.birth_dates) == (("RU",), ("1971-01-22",))
    assert kuzmenko.listed_on == "2024-02-23"  # no designationDate: the regulation's publication
    tobacco = entries["137654"]
    assert (tobacco.schema, tobacco.listed_on) == ("Organization", "2022-06-03")
    assert Identifier("registration", "808000714", "BY") in tobacco.identifiers
    houthi = entries["106251"]
    assert Alias("Abu-Yunus", strength="weak") in houthi.aliases
    assert houthi.birth_dates == ("1984",)  # circa year


def test_ftm_entities() -> None:
    parsed = load_list([FTM])
    assert (parsed.list, parsed.format, parsed.published) == ("eu_fsf", "ftm", "2024-03-28")
    entries = by_id(parsed)
    assert len(entries) == 6  # the Address entity is not a listed party
    person = entries["NK-2Ka3UvopqbpZmVDFjWd4LA"]
    assert (person.schema, person.name) == ("Person", "Vitaly Yurievich KUZMENKO")
    assert Alias("Виталий Юрьевич КУЗЬМЕНКО") in person.aliases
    assert (person.birth_dates, person.countries) == (("1971-01-22",), ("RU",))
    assert Identifier("tax", "366510784303") in person.identifiers
    company = entries["NK-2GdmHtZTeNXjNVrBGEXZNj"]
    assert (company.schema, company.countries) == ("Organization", ("BY",))
    assert Identifier("registration", "808000714") in company.identifiers


def test_ftm_deltas(tmp_path: Path) -> None:
    # the pfh delta ADDs NK-500Poltergeist and MODs another entity; npf DELetes the Poltergeist
    parsed = load_list([FTM_DELTA_ADD_MOD, FTM_DELTA_DEL])
    assert [entry.entry_id for entry in parsed.entries] == ["NK-2T3S8Hu29ktYnKSTgQp2wL"]
    assert any("a delta file (1 ADD, 1 MOD), not a full list" in w for w in parsed.warnings)
    with pytest.raises(ListFormatError, match="no entries"):
        load_list([FTM_DELTA_DEL])  # a DEL with nothing to delete from is skipped, leaving nothing


def test_ftm_sanctions_fill_programs_and_listing_dates(tmp_path: Path) -> None:
    lines = [
        {"id": "p1", "schema": "Person", "datasets": ["demo"], "last_change": "2024-05-01T10:00:00",
         "properties": {"name": ["Ivan PETROV"], "weakAlias": ["Vanya"], "previousName": ["Ivan SIDOROV"],
                        "birthDate": ["1970-02"], "citizenship": ["ua"], "passportNumber": ["AB123"]}},
        {"id": "v1", "schema": "Vessel", "datasets": ["demo"],
         "properties": {"name": ["SEA STAR"], "imoNumber": ["IMO9187629"], "flag": ["pa"]}},
        {"id": "s1", "schema": "Sanction", "datasets": ["demo"],
         "properties": {"entity": ["p1"], "program": ["UKR-2014"], "listingDate": ["2014-03-17"]}},
        {"id": "o1", "schema": "Ownership", "datasets": ["demo"],
         "properties": {"owner": ["p1"], "asset": ["v1"]}},
        {"id": "r1", "schema": "Person", "datasets": ["demo"], "target": False,
         "properties": {"name": ["A RELATIVE"]}},
    ]
    path = tmp_path / "demo.json"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    parsed = load_list([path])
    assert (parsed.list, parsed.published) == ("demo", "2024-05-01")
    entries = by_id(parsed)
    assert set(entries) == {"p1", "v1"}
    person = entries["p1"]
    assert (person.programs, person.listed_on) == (("UKR-2014",), "2014-03-17")
    assert set(person.aliases) == {Alias("Vanya", strength="weak"), Alias("Ivan SIDOROV", kind="fka")}
    assert (person.birth_dates, person.countries) == (("1970-02",), ("UA",))
    assert entries["v1"].identifiers == (Identifier("imo", "9187629"),)
    assert (entries["v1"].schema, entries["v1"].countries) == ("Vessel", ("PA",))
    assert any("1 Ownership" in w and "1 non-target Person" in w for w in parsed.warnings)


# -- input handling -------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "expected"), [
    (SDN, "ofac_csv"), (SDN_ADD, "ofac_csv"), (CONS[0], "ofac_csv"), (OFAC_XML, "ofac_xml"),
    (UN_XML, "un_xml"), (EU_XML, "eu_xml"), (FTM, "ftm"), (FTM_DELTA_ADD_MOD, "ftm"), (FTM_DELTA_DEL, "ftm"),
])
def test_detect_format_by_content(tmp_path: Path, path: Path, expected: str) -> None:
    assert detect_format(path) == expected
    disguised = tmp_path / "download"  # the name says nothing
    shutil.copy(path, disguised)
    assert detect_format(disguised) == expected
    assert expected in FORMATS


def test_gzip_input_is_detected_by_magic_bytes(tmp_path: Path) -> None:
    plain = load_list([UN_XML])
    for name in ("consolidated.xml.gz", "consolidated.bin"):
        packed = tmp_path / name
        packed.write_bytes(gzip.compress(UN_XML.read_bytes()))
        assert detect_format(packed) == "un_xml"
        unpacked = load_list([packed])
        assert unpacked.entries == plain.entries
        assert unpacked.file_hash == plain.file_hash  # the hash is over the list, not its packing
    csv_packed = tmp_path / "sdn.csv.gz"
    csv_packed.write_bytes(gzip.compress(SDN.read_bytes()))
    assert load_list([csv_packed]).list == "us_ofac_sdn"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CONSOLIDATED_LIST dateGenerated="2018-10-29T19:09:49"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>
<FIRST_NAME>&lol9;</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE sdnList [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<sdnList><sdnEntry><uid>1</uid><lastName>&secret;</lastName><sdnType>Entity</sdnType>
<programList><program>X</program></programList></sdnEntry></sdnList>
"""
# a DTD placed after a long comment, past the first 4 KB
LATE_DTD = ("<?xml version=\"1.0\"?><!--" + "x" * 5000 + "-->"
            + EXTERNAL_ENTITY.split("\n", 1)[1])


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, LATE_DTD],
                         ids=["billion-laughs", "external-entity", "dtd-after-4kb"])
@pytest.mark.parametrize("fmt", [None, "un_xml", "ofac_xml"])
def test_xml_entities_are_refused_fast(tmp_path: Path, document: str, fmt: str | None) -> None:
    path = tmp_path / "list.xml"
    path.write_text(document, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ListFormatError, match=r"refused: the XML declares entities") as caught:
        load_list([path], format=fmt)
    assert time.perf_counter() - started < 1.0
    assert caught.value.path == str(path)
    assert "root:" not in str(caught.value)  # nothing of /etc/passwd leaked into the message


@pytest.mark.parametrize("read", [read_un_xml, read_ofac_xml, read_eu_xml])
@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, "<!DOCTYPE x>" + UN_XML.read_text()],
                         ids=["billion-laughs", "external-entity", "bare-dtd"])
def test_the_xml_parser_refuses_dtds_without_the_sniffer(read, document: str) -> None:  # type: ignore[no-untyped-def]
    # defence in depth: the importers refuse a DTD even when called without format sniffing
    started = time.perf_counter()
    with pytest.raises(ListFormatError, match=r"refused: the XML (declares entities|has a document type)"):
        read(ListFile(Path("list.xml"), document.encode("utf-8")))
    assert time.perf_counter() - started < 1.0


def _truncated_un(tmp_path: Path) -> Path:
    path = tmp_path / "un.xml"
    path.write_bytes(UN_XML.read_bytes()[:6000])
    return path


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: _write(d / "sdn.csv", b""), r"the file is empty"),
    (lambda d: _write(d / "sdn.csv", b"\r\n \r\n\x1a"), r"holds no data"),
    (lambda d: _write(d / "sdn.csv.gz", gzip.compress(b"")), r"decompresses to nothing"),
    (lambda d: _write(d / "sdn.csv.gz", gzip.compress(SDN.read_bytes())[:500]), r"gzip file is truncated"),
    (_truncated_un, r"truncated XML: the document ends at line \d+, column \d+"),
    (lambda d: _write(d / "un.xml", b"<CONSOLIDATED_LIST><INDIVIDUALS></ENTITIES></CONSOLIDATED_LIST>"),
     r"not well-formed XML at line 1, column \d+"),
    (lambda d: _write(d / "sdn.csv", b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- \r\n\x1a'),
     r"line 1 has 7 columns; expected 12"),
    (lambda d: _write(d / "sdn.csv", SDN.read_bytes().replace(b'4243,"EBANO","vessel",', b'4243,"EBANO",')),
     r"line 3 has 11 columns; the file's first line has 12"),
    (lambda d: _write(d / "empty.xml", b'<CONSOLIDATED_LIST dateGenerated="2018-10-29T19:09:49">'
                                       b"<INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>"), r"no entries"),
    (lambda d: _write(d / "index.json", shared_bytes("ftm_examples/yente_t2_delta_index.json")),
     r"unknown list format: JSON"),
    (lambda d: _write(d / "schema.xsd", b'<?xml version="1.0"?><xs:schema xmlns:xs="x"/>'),
     r"unknown XML list format \(root element <schema>\)"),
    (lambda d: _write(d / "notes.txt", b"Name,Country\r\nACME,Iran\r\n"), r"unknown list format"),
    (lambda d: _write(d / "bad.json", b'{"id": "x", "schema": "Person"}\n{not json\n'),
     r"line 2 is not JSON"),
])
def test_broken_files_are_refused(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    with pytest.raises(ListFormatError, match=message) as caught:
        load_list([path])
    assert isinstance(caught.value, InputError)
    assert caught.value.path == str(path)


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def shared_bytes(name: str) -> bytes:
    path = SHARED_LISTS / name
    return path.read_bytes() if path.is_file() else b'{"versions": {"a": "b"},\n"updated_at": "x"}\n'


def test_a_file_of_another_format_than_named_is_refused() -> None:
    with pytest.raises(ListFormatError, match=r"a UN consolidated list XML file \(un_xml\), but the format "
                                              r"named is ofac_xml") as caught:
        load_list([UN_XML], format="ofac_xml")
    assert caught.value.path == str(UN_XML)
    with pytest.raises(ListFormatError, match=r"this is an OFAC legacy XML file \(sdnList\) \(ofac_xml\)"):
        load_list([SDN, OFAC_XML])


def test_file_combinations_that_are_not_one_list() -> None:
    with pytest.raises(ListFormatError, match="a second main file"):
        load_list([SDN, CONS[0]])
    with pytest.raises(ListFormatError, match="no main OFAC file"):
        load_list([SDN_ADD, SDN_ALT])
    with pytest.raises(ListFormatError, match="un_xml lists come in one file"):
        load_list([UN_XML, UN_XML])
    with pytest.raises(ListFormatError, match="unknown list format 'pdf' named"):
        load_list([UN_XML], format="pdf")


def test_missing_files_are_unreadable(tmp_path: Path) -> None:
    for path in (tmp_path / "nowhere.csv", tmp_path):
        with pytest.raises(UnreadableFileError) as caught:
            load_list([path])
        assert caught.value.path == str(path)


def test_list_name_overrides_the_guess() -> None:
    parsed = load_list([SDN], list_name="us_ofac_sdn_test")
    assert parsed.list == "us_ofac_sdn_test"
    assert {entry.list for entry in parsed.entries} == {"us_ofac_sdn_test"}
    assert load_list(CONS[:1]).list == "us_ofac_cons"  # "cons" in the file name


# -- the full real files --------------------------------------------------------------------------


@pytest.mark.parametrize(("names", "count", "schemata"), [
    (["ofac_sdn_2024-05-03.csv"], 14_965,
     {"Person": 6_854, "Organization": 6_884, "Vessel": 851, "Aircraft": 376}),
    (["ofac_sdn_2024-04-04.csv"], 14_574, None),
    (["ofac_cons_prim.csv", "ofac_cons_add.csv", "ofac_cons_alt.csv"], 639, None),
    (["ofac_consolidated_nonsdn_2018-04-06.xml"], 639, {"Organization": 471, "Person": 94, "Vessel": 74}),
    (["un_consolidated_2018-10-29.xml"], 1_093, {"Person": 703, "Organization": 390}),
    (["un_consolidated_2018-08-24.xml"], 1_098, {"Person": 701, "Organization": 397}),
])
def test_full_real_files(names: list[str], count: int, schemata: dict[str, int] | None) -> None:
    paths = [shared(name) for name in names]
    started = time.perf_counter()
    parsed = load_list(paths)
    elapsed = time.perf_counter() - started
    assert len(parsed.entries) == count
    assert len({entry.entry_id for entry in parsed.entries}) == count
    if schemata is not None:
        found: dict[str, int] = {}
        for entry in parsed.entries:
            found[entry.schema] = found.get(entry.schema, 0) + 1
        assert found == schemata
    assert all(ISO_DATE.match(d) for entry in parsed.entries for d in entry.birth_dates)
    assert all(len(c) == 2 and c.isupper() for entry in parsed.entries for c in entry.countries)
    assert elapsed < 15, f"{names[0]} took {elapsed:.1f}s"


def test_full_sdn_with_mismatched_2026_add_and_alt() -> None:
    parsed = load_list([shared("ofac_sdn_2024-05-03.csv"), shared("ofac_sdn_add_c2026.csv"),
                        shared("ofac_sdn_alt_c2026.csv")])
    assert len(parsed.entries) == 14_965
    assert len(parsed.warnings) == 2 and all("ent_nums not in ofac_sdn_2024-05-03.csv" in w
                                              for w in parsed.warnings)
    assert sum(1 for e in parsed.entries if any(i.type == "imo" for i in e.identifiers)) > 800


# -- parsers never crash on odd text ---------------------------------------------------------------


@given(st.text(max_size=60))
def test_ofac_dates_give_iso_dates_or_nothing(text: str) -> None:
    assert all(ISO_DATE.match(date) for date in ofac_dates(text))


@given(st.lists(st.sampled_from(["DOB ", "alt. DOB circa ", "nationality ", "a.k.a. '", "Linked To: ",
                                 "Passport ", "IMO ", "(Burma)", "17 Aug 1964", " to ", "1960", "'", ";",
                                 "Registration Number ", "Listing Date (EO 1): ", "(", ")", ".", "x"]),
                max_size=12).map("".join))
def test_remarks_reader_never_raises(remarks: str) -> None:
    facts = read_remarks(remarks, schema="Person")
    assert all(ISO_DATE.match(date) for date in facts.birth_dates)
