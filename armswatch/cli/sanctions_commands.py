"""Commands for sanctions lists and screening: lists, lists import, lists diff, screen, compare."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from armswatch.cli.store_commands import DbOption, QueryFormat, err, fail, opened_store, out
from armswatch.errors import ArmsWatchError, InputError
from armswatch.exports.records import cell, write_records
from armswatch.store.lists import DEFAULT_MAX_SHRINK

lists_app = typer.Typer(help="Sanctions lists: import, show versions, diff.", invoke_without_command=True)


class Schema(StrEnum):
    Person = "Person"
    Company = "Company"
    Organization = "Organization"
    Vessel = "Vessel"
    Aircraft = "Aircraft"
    LegalEntity = "LegalEntity"


@lists_app.callback()
def lists_show(ctx: typer.Context, db: DbOption = None,
               output_format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table
               ) -> None:
    """The lists in the store and their versions (the newest is screened against)."""
    if ctx.invoked_subcommand is not None:
        return
    from armswatch.store.lists import versions

    with opened_store(db) as (store, _):
        rows = versions(store)
    view = [{**r, "imported_at": r["imported_at"].isoformat(timespec="seconds") if r["imported_at"] else None}
            for r in rows]
    write_records(view, view, ("list", "id", "current", "published", "imported_at", "entry_count", "format",
                               "forced", "title"), sys.stdout, output_format.value, title="Lists")


@lists_app.command("import")
def lists_import(
    files: Annotated[list[str], typer.Argument(help="List files or URLs of one list (e.g. sdn.csv add.csv "
                                                    "alt.csv); .gz accepted.")],
    db: DbOption = None,
    list_name: Annotated[str | None, typer.Option("--list",
                                                  help="List name (default: from the file).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="ofac_csv, ofac_xml, un_xml, eu_xml or ftm "
                                                             "(default: detected).")] = None,
    force: Annotated[bool, typer.Option(help="Import even if the list would shrink a lot.")] = False,
    max_shrink: Annotated[float, typer.Option(min=0.0, max=1.0, help="Refuse a version with this fraction "
                                                                     "fewer entries.")] = DEFAULT_MAX_SHRINK,
) -> None:
    """Import a version of a list; refused (nothing stored) if empty, unreadable or much smaller."""
    from armswatch.sanctions.lists import import_lists
    from armswatch.sanctions.screening import screen_actors

    with opened_store(db) as (store, settings):
        try:
            result = import_lists(store, files, fmt=fmt, list_name=list_name, force=force,
                                  max_shrink=max_shrink, settings=settings)
        except InputError as exc:
            raise fail(f"{exc.path}: {exc.reason}", 1) from exc
        except ArmsWatchError as exc:
            raise fail(f"{exc}", 1) from exc
        for warning in result.warnings:
            err.print(f"warning: {warning}", highlight=False)
        if not result.created:
            out.print(f"{result.list_name}: these files are version {result.version_id} already; "
                      "nothing imported", highlight=False)
            return
        before = f" (was {result.previous_count:,})" if result.previous_count is not None else ""
        out.print(f"{result.list_name}: version {result.version_id}, {result.entry_count:,} entries{before}",
                  highlight=False)
        screened = screen_actors(store)
        if screened:
            out.print(f"screened {screened} actors of the reporting against the lists", highlight=False)


@lists_app.command("diff")
def lists_diff(
    list_name: Annotated[str, typer.Argument(help="List name, e.g. us_ofac_sdn.")],
    old: Annotated[int | None, typer.Argument(help="Older version id (default: the one before NEW).")] = None,
    new: Annotated[int | None, typer.Argument(help="Newer version id (default: the newest).")] = None,
    db: DbOption = None,
    output_format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
) -> None:
    """Entries added, removed and changed between two versions, by record content."""
    from armswatch.store.lists import diff

    if (old is None) != (new is None):
        err.print("[red]error:[/red] give both OLD and NEW version ids, or neither", highlight=False)
        raise typer.Exit(2)
    with opened_store(db) as (store, _):
        try:
            result = diff(store, list_name, old, new)
        except ArmsWatchError as exc:
            raise fail(f"{exc}", 1) from exc
    rows = ([{"change": "added", **r, "fields": ""} for r in result.added]
            + [{"change": "removed", **r, "fields": ""} for r in result.removed]
            + [{"change": "changed", **r, "fields": ", ".join(r["fields"])} for r in result.changed])
    title = (f"{list_name} {result.old_version} -> {result.new_version}: {len(result.added)} added, "
             f"{len(result.removed)} removed, {len(result.changed)} changed")
    write_records([result.to_dict()], rows, ("change", "entry_id", "name", "fields"), sys.stdout,
                  output_format.value, title=title)


SCREEN_COLUMNS = ("query", "rank", "score", "list", "entry_id", "name", "schema", "matched_name", "programs",
                  "listed_on", "explanation")


def screen_command(
    name: Annotated[str | None, typer.Argument(help="A name to screen.")] = None,
    db: DbOption = None,
    schema: Annotated[Schema | None, typer.Option(help="What the name is.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. RU.")] = None,
    dob: Annotated[str | None, typer.Option(help="Date of birth, YYYY-MM-DD or YYYY.")] = None,
    threshold: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Minimum score.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Matches per name.")] = 5,
    file: Annotated[Path | None, typer.Option("--file", help="CSV of names (columns name[,schema,country,"
                                                             "dob]) to screen in a batch.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the batch CSV here.")] = None,
    actors: Annotated[bool, typer.Option("--actors", help="List the actors of the reporting found on a "
                                                          "list.")] = False,
    output_format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
) -> None:
    """Screen a name, a CSV of names, or the actors in the store against the loaded lists."""
    from armswatch.sanctions.matching import DEFAULT_THRESHOLD, Query
    from armswatch.sanctions.screening import load_index, match_dict, sanctioned_actors, screen, screen_actors

    if sum(x is not None and x is not False for x in (name, file, actors or None)) != 1:
        err.print("[red]error:[/red] give a NAME, --file names.csv or --actors", highlight=False)
        raise typer.Exit(2)
    with opened_store(db) as (store, _):
        if actors:
            screen_actors(store)
            rows = sanctioned_actors(store)
            flat = [{"actor": a["name"], "kind": a["kind"], "country": a["country"], "facts": a["facts"],
                     "lists": [f"{m['list']} {m['entry_id']} {m['name']} ({m['score']:.2f})"
                               for m in a["matches"]],
                     "programs": sorted({p for m in a["matches"] for p in m["programs"]}),
                     "explanation": a["matches"][0]["explanation"] if a["matches"] else ""} for a in rows]
            columns = ("actor", "kind", "country", "facts", "lists", "programs", "explanation")
            write_records(rows, flat, columns, sys.stdout, output_format.value,
                          title="Sanctioned actors in the reporting")
            return
        if not len(load_index(store)):
            err.print("[red]error:[/red] no sanctions list in the store; import one with "
                      "`armswatch lists import FILE`", highlight=False)
            raise typer.Exit(1)
        cut = DEFAULT_THRESHOLD if threshold is None else threshold
        if file is not None:
            queries = _read_names(file)
            with _open_output(output) as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(("query", *SCREEN_COLUMNS[1:]))
                for query in queries:
                    matches = [match_dict(m) for m in screen(store, query, threshold=cut, limit=limit)]
                    for rank, m in enumerate(matches, 1):
                        writer.writerow([query.name, rank, *(cell(m.get(c)) for c in SCREEN_COLUMNS[2:])])
                    if not matches:
                        writer.writerow([query.name, 0] + [""] * (len(SCREEN_COLUMNS) - 2))
            return
        assert name is not None
        query = Query(name=name, schema=schema.value if schema else None,
                      country=country.upper() if country else None, birth_date=dob)
        matches = [match_dict(m) for m in screen(store, query, threshold=cut, limit=limit)]
        rows = [{"query": name, "rank": i, **m} for i, m in enumerate(matches, 1)]
        write_records(matches, rows, SCREEN_COLUMNS[1:], sys.stdout, output_format.value,
                      title=f"Matches for {name!r} (threshold {cut:.2f})")


def compare_command(
    pairs: Annotated[Path, typer.Option("--pairs", help="CSV with columns name1,name2,schema.")],
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write here (default: stdout).")] = None,
    threshold: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Match at or above.")] = None,
) -> None:
    """Score name pairs: the CSV comes back with `score` and `match` (true/false) columns added."""
    from armswatch.sanctions.matching import DEFAULT_THRESHOLD, compare_names

    cut = DEFAULT_THRESHOLD if threshold is None else threshold
    try:
        with pairs.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            fields = list(reader.fieldnames or [])
            missing = {"name1", "name2"} - set(fields)
            if missing:
                raise InputError(pairs, f"missing column(s) {', '.join(sorted(missing))}; "
                                        f"found {', '.join(fields) or 'none'}")
            rows = list(reader)
    except OSError as exc:
        raise fail(f"{pairs}: {exc.strerror or exc}", 2) from exc
    except InputError as exc:
        raise fail(f"{exc.path}: {exc.reason}", 2) from exc
    with _open_output(output) as handle:
        writer = csv.DictWriter(handle, fieldnames=[*fields, "score", "match"], lineterminator="\n",
                                extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            result = compare_names(row["name1"] or "", row["name2"] or "", schema=row.get("schema") or None)
            writer.writerow({**row, "score": f"{result.score:.4f}",
                             "match": "true" if result.score >= cut else "false"})


def _read_names(path: Path) -> list[Any]:
    from armswatch.sanctions.matching import Query

    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if "name" not in (reader.fieldnames or []):
                err.print(f"[red]error:[/red] {path}: no 'name' column (found "
                          f"{', '.join(reader.fieldnames or []) or 'none'})", highlight=False)
                raise typer.Exit(2)
            return [Query(name=r["name"], schema=r.get("schema") or None,
                          country=(r.get("country") or "").upper() or None, birth_date=r.get("dob") or None)
                    for r in reader if (r.get("name") or "").strip()]
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror or exc}", 2) from exc


@contextmanager
def _open_output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        yield handle


def add_commands(app: typer.Typer) -> None:
    app.add_typer(lists_app, name="lists")
    app.command("screen")(screen_command)
    app.command("compare")(compare_command)
