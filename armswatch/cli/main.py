"""The ``armswatch`` command: parse arguments, call the service, render, map errors.

Exit status: 0 when every document was read, 1 when some input failed (the
others are still written), 2 for usage errors, 3 for configuration errors
(a missing language model).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from armswatch.cli.sanctions_commands import add_commands as add_sanctions_commands
from armswatch.cli.serve_command import add_commands as add_serve_command
from armswatch.cli.store_commands import add_commands
from armswatch.errors import ArmsWatchError, ConfigurationError
from armswatch.exports import write_results
from armswatch.service import Extractor, extract_paths
from armswatch.settings import Settings

app = typer.Typer(
    name="armswatch",
    help="Watch open sources for arms transfers, sanctions and the diplomacy around them.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


@app.callback()
def main() -> None:
    """ArmsWatch: evidence-linked facts about arms transfers and sanctions."""


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (searched recursively).")],
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f",
                                                        help="table, json or jsonl.")] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write to this file instead of stdout.")] = None,
    max_file_mb: Annotated[float | None, typer.Option(help="Refuse files larger than this.")] = None,
) -> None:
    """Extract facts from text, Markdown and HTML files, one result per document."""
    try:
        settings = Settings.from_env(
            max_file_bytes=int(max_file_mb * 1024 * 1024) if max_file_mb else None)
        extractor = Extractor(settings=settings)
    except ConfigurationError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3) from exc
    failures = 0

    def counted():  # type: ignore[no-untyped-def]
        nonlocal failures
        for result in extract_paths([str(p) for p in paths], extractor=extractor):
            if result.error is not None:
                failures += 1
                err.print(f"[red]error:[/red] {result.path}: {result.error}", highlight=False)
            yield result

    try:
        if output is None:
            write_results(counted(), sys.stdout, output_format.value, console_width=None)
        else:
            with output.open("w", encoding="utf-8") as fh:
                write_results(counted(), fh, output_format.value, console_width=160)
    except ArmsWatchError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    if failures:
        err.print(f"{failures} input(s) could not be read; the others were processed.")
        raise typer.Exit(1)


add_commands(app)
add_sanctions_commands(app)
add_serve_command(app)


def run() -> None:
    app()


if __name__ == "__main__":
    run()
