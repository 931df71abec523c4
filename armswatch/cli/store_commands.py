"""Commands over the store: ingest, run, poll, feeds, register, facts, events, contradictions, status.

Each parses its options, calls one service function and renders the result.
``--db`` (or ``ARMSWATCH_DB``) picks the store: a SQLite file path or a
``postgresql://`` URL; by default a file in the user's data directory.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from armswatch import service
from armswatch.errors import ArmsWatchError, ConfigurationError, InputError
from armswatch.exports.records import (
    CONTRADICTION_COLUMNS,
    FACT_COLUMNS,
    REGISTER_COLUMNS,
    REGISTER_TABLE_COLUMNS,
    contradiction_row,
    fact_row,
    write_records,
)
from armswatch.pipeline import RunSummary
from armswatch.settings import Settings
from armswatch.store import Store

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

DbOption = Annotated[str | None, typer.Option(
    "--db", help="Store: a SQLite file or postgresql://... URL [env: ARMSWATCH_DB; "
                 "default: armswatch.db in the user data directory].", show_default=False)]
LimitOption = Annotated[int, typer.Option(min=1, help="At most this many rows.")]
OffsetOption = Annotated[int, typer.Option(min=0, help="Skip this many rows first.")]
SinceOption = Annotated[str | None, typer.Option(help="Reported on or after this date (YYYY-MM-DD).")]


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def fail(message: str, code: int) -> typer.Exit:
    """Print ``error: message`` on stderr and return the exit to raise (``raise fail(...)``)."""
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


@contextmanager
def opened_store(db: str | None) -> Iterator[tuple[Store, Settings]]:
    try:
        settings = Settings.from_env(db=db)
        store = service.open_store(settings.db, settings=settings)
    except ConfigurationError as exc:
        raise fail(f"{exc}", 3) from exc
    except Exception as exc:  # noqa: BLE001 - a database that cannot be opened
        err.print(f"[red]error:[/red] cannot open the store {db or settings.db or ''}: {exc}",
                  highlight=False)
        raise typer.Exit(3) from exc
    try:
        yield store, settings
    except InputError as exc:
        raise fail(f"{exc.path}: {exc.reason}", 2) from exc
    finally:
        store.close()


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int | None], None]]:
    """A rich progress bar on stderr; silent when stderr is not a terminal."""
    progress = Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=err, transient=False,
                        disable=not err.is_terminal)
    tasks: dict[str, Any] = {}

    def update(phase: str, done: int, total: int | None) -> None:
        if phase not in tasks:
            tasks[phase] = progress.add_task(phase, total=total)
        progress.update(tasks[phase], completed=done, total=total)

    with progress:
        yield update


def _run(sources: list[str], *, db: str | None, command: str, poll: bool, extract: bool,
         meta: Path | None) -> None:
    with opened_store(db) as (store, settings), progress_bar() as progress:
        try:
            summary = service.run(sources, store=store, settings=settings, poll=poll, extract=extract,
                                  meta=str(meta) if meta else None, progress=progress, command=command)
        except ConfigurationError as exc:
            raise fail(f"{exc}", 3) from exc
        except ArmsWatchError as exc:
            raise fail(f"{exc}", 1) from exc
        _print_summary(summary, store, extract=extract)
    if summary.errors:
        raise typer.Exit(1)


def _print_summary(summary: RunSummary, store: Store, *, extract: bool) -> None:
    for source, reason in summary.errors:
        err.print(f"[red]error:[/red] {source}: {reason}", highlight=False)
    counts = store.counts()
    out.print(
        f"run {summary.run_id}: {summary.documents_seen} documents seen, "
        f"{summary.documents_added} new, {summary.duplicates} already stored; "
        f"{summary.documents_extracted} extracted, {summary.facts_added} facts; "
        f"{len(summary.errors)} errors" + (f"; {summary.feeds_polled} feeds polled"
                                           if summary.feeds_polled else "")
        + (f"; {summary.actors_screened} actors screened" if summary.actors_screened else ""),
        highlight=False)
    out.print(
        f"store {store.url}: {counts['documents']} documents in {counts['stories']} stories "
        f"({counts.get('documents_pending', 0)} pending, {counts.get('documents_failed', 0)} failed), "
        f"{counts['facts']} facts, {counts['events']} events", highlight=False)
    if not extract and counts.get("documents_pending"):
        out.print("documents are queued: `armswatch run` extracts them", highlight=False)


def ingest(
    sources: Annotated[list[str], typer.Argument(help="Files, directories, page URLs or feed URLs.")],
    db: DbOption = None,
    meta: Annotated[Path | None, typer.Option(
        help="JSON Lines of per-file metadata (doc_id or file, url, published, title, author); "
             "a meta.jsonl beside the files is read anyway.")] = None,
    extract: Annotated[bool, typer.Option(help="Extract and consolidate now (--no-extract: queue)."
                                          )] = True,
) -> None:
    """Add documents to the store (text, Markdown, HTML, PDF; pages; feeds) and extract them."""
    _run(sources, db=db, command="ingest " + " ".join(sources), poll=False, extract=extract, meta=meta)


def run_command(
    sources: Annotated[list[str] | None, typer.Argument(help="Sources to ingest first (optional).")
                       ] = None,
    db: DbOption = None,
    poll: Annotated[bool, typer.Option(help="Poll the followed feeds too.")] = True,
    meta: Annotated[Path | None, typer.Option(help="JSON Lines of per-file metadata.")] = None,
) -> None:
    """Ingest, poll followed feeds, extract everything pending, rebuild events. Safe to rerun."""
    sources = sources or []
    _run(sources, db=db, command="run " + " ".join(sources), poll=poll, extract=True, meta=meta)


def poll_command(db: DbOption = None,
                 extract: Annotated[bool, typer.Option(help="Extract what is new.")] = True) -> None:
    """Fetch what is new in every followed feed since the last poll (conditional GET)."""
    _run([], db=db, command="poll", poll=True, extract=extract, meta=None)


feeds_app = typer.Typer(help="Feeds to follow: add, list, remove.", no_args_is_help=True)


@feeds_app.command("add")
def feeds_add(url: Annotated[str, typer.Argument(help="RSS or Atom feed URL.")],
              db: DbOption = None) -> None:
    """Follow a feed; `armswatch poll` fetches it."""
    if not url.startswith(("http://", "https://")):
        raise fail(f"{url}: not an http(s) URL", 2)
    with opened_store(db) as (store, _):
        feed_id, new = store.add_feed(url)
    out.print(f"{'following' if new else 'already following'} feed {feed_id}: {url}", highlight=False)


@feeds_app.command("list")
def feeds_list(db: DbOption = None,
               output_format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table
               ) -> None:
    """The followed feeds, with their last poll."""
    with opened_store(db) as (store, _):
        feeds = store.list_feeds()
    rows = [{"id": f["id"], "url": f["url"], "title": f["title"], "entries": f["entries"],
             "last_polled": f["last_polled_at"], "status": f["last_status"], "error": f["last_error"]}
            for f in feeds]
    write_records(feeds, rows, ("id", "url", "title", "entries", "last_polled", "status", "error"),
                  sys.stdout, output_format.value, title="Feeds")


@feeds_app.command("remove")
def feeds_remove(feed: Annotated[str, typer.Argument(help="Feed URL or id.")],
                 db: DbOption = None) -> None:
    """Stop following a feed (its documents stay)."""
    with opened_store(db) as (store, _):
        removed = store.remove_feed(feed)
    if not removed:
        raise fail(f"{feed}: no such feed", 1)
    out.print(f"removed feed {feed}", highlight=False)


def register_command(
    db: DbOption = None,
    supplier: Annotated[str | None, typer.Option(help="ISO code, name or entity id.")] = None,
    recipient: Annotated[str | None, typer.Option(help="ISO code, name or entity id.")] = None,
    item: Annotated[str | None, typer.Option(help="Item category or designation, e.g. missiles, "
                                                  "KN-23.")] = None,
    since: SinceOption = None,
    output_format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
    limit: LimitOption = 1000, offset: OffsetOption = 0,
) -> None:
    """The deal register: one row per arms-transfer event."""
    with opened_store(db) as (store, _):
        rows = service.register(store, supplier=supplier, recipient=recipient, item=item, since=since,
                                limit=limit, offset=offset)
    write_records(rows, rows, REGISTER_COLUMNS, sys.stdout, output_format.value, title="Deal register",
                  table_columns=REGISTER_TABLE_COLUMNS)


def facts_command(
    db: DbOption = None,
    fact_type: Annotated[str | None, typer.Option("--type", help="arms_transfer, sanction, "
                                                  "diplomatic_contact, cooperation, statement.")] = None,
    actor: Annotated[str | None, typer.Option(help="A party in any role.")] = None,
    document: Annotated[str | None, typer.Option(help="Document id or name.")] = None,
    since: SinceOption = None,
    until: Annotated[str | None, typer.Option(help="Reported on or before (YYYY-MM-DD).")] = None,
    factuality: Annotated[str | None, typer.Option(help="asserted, possible or negated.")] = None,
    output_format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
    limit: LimitOption = 1000, offset: OffsetOption = 0,
) -> None:
    """Stored facts with their evidence and documents."""
    with opened_store(db) as (store, _):
        facts = service.facts(store, type=fact_type, actor=actor, document=document, since=since,
                              until=until, factuality=factuality, limit=limit, offset=offset)
    write_records(facts, [fact_row(f) for f in facts], FACT_COLUMNS, sys.stdout, output_format.value,
                  title="Facts")


def contradictions_command(
    db: DbOption = None,
    actor: Annotated[str | None, typer.Option(help="A party in any role.")] = None,
    since: SinceOption = None,
    output_format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
    limit: LimitOption = 1000, offset: OffsetOption = 0,
) -> None:
    """Events that some sources assert and others deny, with both sides."""
    with opened_store(db) as (store, _):
        events = service.contradictions(store, actor=actor, since=since, limit=limit, offset=offset)
    write_records(events, [contradiction_row(e) for e in events], CONTRADICTION_COLUMNS, sys.stdout,
                  output_format.value, title="Contradictions")


def status_command(db: DbOption = None) -> None:
    """What the store holds: documents by status, stories, facts, events, errors, feeds."""
    with opened_store(db) as (store, _):
        counts = store.counts()
        out.print(f"store {store.url}", highlight=False)
    for name, value in counts.items():
        out.print(f"  {name.replace('_', ' ')}: {value}", highlight=False)


def add_commands(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("run")(run_command)
    app.command("poll")(poll_command)
    app.add_typer(feeds_app, name="feeds")
    app.command("register")(register_command)
    app.command("facts")(facts_command)
    app.command("contradictions")(contradictions_command)
    app.command("status")(status_command)
