"""OFAC's legacy CSV files: sdn.csv / cons_prim.csv with add, alt and comments files.

The files have no header, end lines in CRLF and the file in a Ctrl-Z byte, and
write null as ``-0-``. Each file's role is told by its shape, not its name: the
main file has 12 columns, addresses 6, alternate names 5 (third column aka /
fka / nka), the remarks spill-over 2. Names stay as OFAC writes them ("LAST,
First"); the matcher handles order. Everything else worth screening on sits in
the remarks and is read by :mod:`ofac_remarks`.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from armswatch.errors import ListFormatError
from armswatch.model import Alias, Identifier, ListEntry
from armswatch.sanctions.importers.countries import country_code
from armswatch.sanctions.importers.ofac_remarks import read_remarks
from armswatch.sanctions.importers.parsed import ListContent, ListFile, unique

TITLES = {"us_ofac_sdn": "OFAC Specially Designated Nationals (SDN) List",
          "us_ofac_cons": "OFAC Consolidated Sanctions List (non-SDN)"}
SDN_TYPES = {"individual": "Person", "vessel": "Vessel", "aircraft": "Aircraft"}
_ROLE_COLUMNS = {12: "main", 6: "addresses", 5: "aliases", 2: "comments"}
_ALT_TYPES = {"aka", "fka", "nka"}
_NULL = "-0-"


@dataclass
class _Extras:
    """What the add, alt and comments files add to the main rows, by ent_num."""

    addresses: dict[str, list[tuple[str, str | None]]] = field(default_factory=lambda: defaultdict(list))
    aliases: dict[str, list[Alias]] = field(default_factory=lambda: defaultdict(list))
    comments: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    sources: dict[str, str] = field(default_factory=dict)  # role -> file name, for warnings


def list_name_for(files: Sequence[ListFile]) -> str:
    """us_ofac_cons if a file name says "cons", else us_ofac_sdn."""
    return "us_ofac_cons" if any("cons" in file.name.lower() for file in files) else "us_ofac_sdn"


def read_ofac_csv(files: Sequence[ListFile], *, list_name: str | None = None) -> ListContent:
    """One main file plus any add/alt/comments files; rows of those for unknown ent_nums are warned of."""
    name = list_name or list_name_for(files)
    main: tuple[ListFile, list[list[str]]] | None = None
    extras = _Extras()
    for file in files:
        role, rows = _rows(file)
        if role == "main":
            if main is not None:
                raise ListFormatError(file.path, f"a second main file (12 columns) besides "
                                                 f"{main[0].name}; import one list at a time")
            main = (file, rows)
        else:
            _add_extras(role, rows, extras)
            extras.sources[role] = file.name
    if main is None:
        raise ListFormatError(files[0].path, "no main OFAC file (sdn.csv or cons_prim.csv, 12 columns) "
                                             "among the files given")
    main_file, main_rows = main
    entries = [_entry(row, name, extras) for row in main_rows]
    entries = _restore_linked_names(entries)
    return ListContent(list=name, title=TITLES.get(name, TITLES["us_ofac_sdn"]), published=None,
                       entries=tuple(entries), warnings=_orphans(main_file, main_rows, extras))


def _rows(file: ListFile) -> tuple[str, list[list[str]]]:
    text = _decode(file.content).rstrip("\x1a\r\n ")
    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row and any(row)]
    if not rows:
        raise ListFormatError(file.path, "no rows")
    role = _ROLE_COLUMNS.get(len(rows[0]))
    if role is None or not rows[0][0].strip().isdigit():
        raise ListFormatError(file.path, f"not an OFAC legacy CSV: line 1 has {len(rows[0])} columns; "
                                         "expected 12 (sdn.csv), 6 (add.csv), 5 (alt.csv) or 2 "
                                         "(sdn_comments.csv) with a numeric first column")
    if role == "aliases" and rows[0][2].strip().lower() not in _ALT_TYPES:
        raise ListFormatError(file.path, f"5 columns but the third is {rows[0][2]!r}, not aka/fka/nka; "
                                         "not an OFAC alt.csv")
    for number, row in enumerate(rows, start=1):
        if len(row) != len(rows[0]):
            raise ListFormatError(file.path, f"line {number} has {len(row)} columns; the file's "
                                             f"first line has {len(rows[0])} ({role} file)")
    return role, rows


def _decode(content: bytes) -> str:
    # the files are ASCII; older ones carry cp1252 punctuation
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _value(field_text: str) -> str | None:
    value = " ".join(field_text.split())  # OFAC pads nulls ("-0- ") and doubles spaces in names
    return None if not value or value == _NULL else value


def _add_extras(role: str, rows: list[list[str]], extras: _Extras) -> None:
    for row in rows:
        ent_num = row[0].strip()
        if role == "addresses":
            parts = [part for part in (_value(cell) for cell in row[2:5]) if part]
            if parts:
                extras.addresses[ent_num].append((", ".join(parts), _value(row[4])))
        elif role == "aliases":
            alt_name = _value(row[3])
            if alt_name:
                kind = row[2].strip().lower()
                extras.aliases[ent_num].append(Alias(alt_name, kind=kind if kind in _ALT_TYPES else "aka"))
        elif role == "comments":
            # the spill-over continues remarks cut at 1,000 characters, mid-word
            extras.comments[ent_num].append(row[1])


def _entry(row: list[str], list_name: str, extras: _Extras) -> ListEntry:
    ent_num = row[0].strip()
    sdn_type = (_value(row[2]) or "").lower()
    schema = SDN_TYPES.get(sdn_type, "Organization")
    programs = [part.strip(" []") for part in (_value(row[3]) or "").split("] [")]
    remarks = "".join([row[11].strip() if _value(row[11]) else "", *extras.comments.get(ent_num, [])])
    facts = read_remarks(remarks, schema=schema)
    call_sign, flag, owner = _value(row[5]), _value(row[9]), _value(row[10])
    identifiers = list(facts.identifiers)
    if call_sign:
        identifiers.append(Identifier("call_sign", call_sign, country_code(flag)))
    addresses = extras.addresses.get(ent_num, [])
    countries = [*facts.countries, country_code(flag), *(country_code(c) for _, c in addresses)]
    return ListEntry(
        list=list_name, entry_id=ent_num, schema=schema, name=_value(row[1]) or "",
        aliases=unique([*extras.aliases.get(ent_num, []), *facts.aliases]),
        programs=unique(p for p in programs if p), countries=unique(c for c in countries if c),
        birth_dates=unique(facts.birth_dates), identifiers=unique(identifiers),
        listed_on=facts.listed_on, remarks=remarks or None,
        linked_to=unique([*facts.linked_to, *([owner] if owner else [])]),
        addresses=unique(address for address, _ in addresses))


def _restore_linked_names(entries: list[ListEntry]) -> list[ListEntry]:
    """Put back the full stop of linked names that end in one (``HERJEZ LTDA.``).

    The remarks' final stop was dropped with the sentence's; the list's own
    names tell which links really end in one.
    """
    names = {entry.name for entry in entries}
    restored = []
    for entry in entries:
        fixed = tuple(f"{link}." if link not in names and f"{link}." in names else link
                      for link in entry.linked_to)
        restored.append(entry if fixed == entry.linked_to else replace(entry, linked_to=fixed))
    return restored


def _orphans(main_file: ListFile, rows: list[list[str]], extras: _Extras) -> tuple[str, ...]:
    known = {row[0].strip() for row in rows}
    warnings = []
    for role, by_ent, what in (("addresses", extras.addresses, "addresses"),
                               ("aliases", extras.aliases, "aliases"),
                               ("comments", extras.comments, "remarks continuations")):
        missing = sum(len(values) for ent_num, values in by_ent.items() if ent_num not in known)
        if missing:
            warnings.append(f"{extras.sources[role]}: {missing} {what} for ent_nums not in "
                            f"{main_file.name} (the files may come from different releases)")
    return tuple(warnings)
