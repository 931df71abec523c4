"""Render store query results (register rows, facts, contradictions) as table, CSV or JSON.

The JSON is the query result as is; CSV flattens lists with ``; ``; tables
are for people and show the same columns as the CSV, wrapped.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

REGISTER_COLUMNS = ("supplier", "recipient", "items", "designations", "quantities", "stage",
                    "first_reported", "last_reported", "stories", "sources", "contradicted",
                    "listed", "event_id")
#: the table (for people) leaves out what the CSV and JSON keep for scripts
REGISTER_TABLE_COLUMNS = ("supplier", "recipient", "items", "designations", "stage", "first_reported",
                          "last_reported", "stories", "sources", "contradicted", "listed")
FACT_COLUMNS = ("type", "roles", "items", "stage", "kind", "factuality", "source", "published",
                "document", "evidence", "listed", "id")
CONTRADICTION_COLUMNS = ("type", "parties", "stage", "asserted_by", "denied_by", "asserting",
                         "denying", "first_reported", "last_reported", "id")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict) and "list" in value and "entry_id" in value:  # a sanctions listing
        return f"{value.get('party', value.get('name', ''))}: {value['list']} {value['entry_id']}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(cell(v) for v in value)
    return str(value)


def fact_row(fact: dict[str, Any]) -> dict[str, Any]:
    roles = "; ".join(f"{role}: {', '.join(_entity(e) for e in ents)}"
                      for role, ents in fact["roles"].items())
    listed = [f"{e['name']}: {m['list']} {m['entry_id']}" for ents in fact["roles"].values()
              for e in ents for m in e.get("sanctions", [])[:1]]
    return {
        "type": fact["type"], "roles": roles, "items": fact["items"], "stage": fact["stage"],
        "kind": fact["kind"], "factuality": fact["factuality"],
        "source": [s["name"] for s in fact["source"]], "published": fact["document"]["published"],
        "document": fact["document"]["name"],
        "evidence": " … ".join(e["text"] for e in fact["evidence"]), "listed": listed, "id": fact["id"],
    }


def contradiction_row(event: dict[str, Any]) -> dict[str, Any]:
    def sources(facts: list[dict[str, Any]]) -> list[str]:
        names: dict[str, None] = {}
        for f in facts:
            for s in f["source"] or [{"name": f["document"]["publisher"]}]:
                names.setdefault(s["name"], None)
        return list(names)

    parties = "; ".join(f"{role}: {', '.join(_entity(e) for e in ents)}"
                        for role, ents in event["roles"].items())
    return {
        "type": event["type"], "parties": parties, "stage": event["stage"],
        "asserted_by": sources(event["asserted"]), "denied_by": sources(event["denied"]),
        "asserting": len(event["asserted"]), "denying": len(event["denied"]),
        "first_reported": event["first_reported"], "last_reported": event["last_reported"],
        "id": event["id"],
    }


def _entity(entity: dict[str, Any]) -> str:
    if entity["kind"] == "country" and entity.get("country"):
        return str(entity["country"])
    return str(entity["name"])


def write_records(records: Sequence[dict[str, Any]], rows: Sequence[dict[str, Any]],
                  columns: Sequence[str], out: TextIO, fmt: str, *, title: str,
                  table_columns: Sequence[str] | None = None) -> None:
    """``records`` go out as JSON; ``rows`` (the flat view) as CSV or a table.

    A table is as wide as the terminal, or 160 columns when written to a file or pipe.
    """
    if fmt == "json":
        json.dump(list(records), out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in columns])
    elif fmt == "table":
        shown = table_columns or columns
        table = Table(title=f"{title} ({len(rows)})", title_justify="left", show_lines=True)
        for column in shown:
            table.add_column(column.replace("_", " "), overflow="fold")
        for row in rows:
            table.add_row(*(cell(row.get(c)) for c in shown))
        width = None if getattr(out, "isatty", lambda: False)() else 160
        Console(file=out, width=width, soft_wrap=False).print(table)
    else:
        raise ValueError(f"unknown format {fmt!r}")
