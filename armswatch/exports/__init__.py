"""Writing extraction results: JSON Lines and JSON (FORMAT.md), and a readable table."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console
from rich.table import Table

from armswatch.model import ROLES, DocumentResult, Entity, Fact


def write_results(results: Iterable[DocumentResult], out: TextIO, fmt: str, *,
                  console_width: int | None = None) -> None:
    """Write results as ``jsonl`` (streamed), ``json`` (one array) or ``table``."""
    if fmt == "jsonl":
        for result in results:
            out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            out.flush()
    elif fmt == "json":
        json.dump([r.to_dict() for r in results], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "table":
        width = console_width
        if width is None and not (hasattr(out, "isatty") and out.isatty()):
            width = 160  # a pipe or file: wide enough to read the evidence column
        console = Console(file=out, width=width, soft_wrap=False)
        for result in results:
            if result.error is None and result.facts:
                console.print(facts_table(result))
            elif result.error is None:
                console.print(f"{result.doc_id}: no facts", style="dim")
    else:
        raise ValueError(f"unknown format {fmt!r}")


def _names(entities: Iterable[Entity]) -> str:
    return ", ".join(f"{e.name} ({e.country})" if e.country and e.country not in e.name
                     else e.name for e in entities)


def roles_text(fact: Fact) -> str:
    parts = []
    for role in ROLES[fact.type]:
        ents = fact.role(role)
        if ents:
            parts.append(f"{role}: {_names(ents)}")
    return "\n".join(parts)


def facts_table(result: DocumentResult) -> Table:
    title = f"{result.doc_id}: {len(result.facts)} fact(s)"
    table = Table(title=title, title_justify="left", show_lines=True, expand=False)
    for col in ("type", "roles", "items", "stage/kind", "factuality", "source", "evidence"):
        table.add_column(col, overflow="fold")
    for fact in result.facts:
        items = ", ".join(fact.items)
        if fact.designations:
            items += f"\n[{', '.join(fact.designations)}]"
        if fact.quantities:
            items += f"\n({'; '.join(fact.quantities)})"
        stage = " / ".join(x for x in (fact.stage, fact.kind, fact.domain) if x)
        evidence = "\n".join(e.text for e in fact.evidence)
        table.add_row(fact.type, roles_text(fact), items, stage,
                      fact.factuality if fact.type != "statement" else "",
                      _names(fact.source), evidence)
    return table
