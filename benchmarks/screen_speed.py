"""Screening speed: index build and names screened per second, on the real lists and at scale.

Usage::

    .venv/bin/python benchmarks/screen_speed.py [--data DIR] [--queries 2000]
        [--synthetic 1000000] [--repeats 3] [--json]

(a) *Lists*: an index of OFAC SDN (2024-05-03 CSV) + UN (2018-10-29 XML),
    read by ``armswatch.sanctions.importers.load_list``; build time, then
    names screened per second (one process, one core) for a mix of listed
    names with typos (a letter dropped, doubled, swapped or replaced; parts
    reordered), screened with their schema, and the synthetic persons of
    ``yente_negatives_*_1000.csv``. Each query string is new to the process
    (nothing is served from a cache); the best of ``--repeats`` runs counts.
    Target: 1,000 names/s.
(b) *Synthetic*: an index of ``--synthetic`` generated names (persons and
    companies from syllable-built words with a Zipf-like spread, one to
    three names per entry): build time (target < 120 s), peak memory of the
    process (``resource.getrusage``; target < 3 GB, of which rigour's name
    data is ~0.45 GB), and queries per second for typo'd names from it.

The script reports; it exits 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import random
import resource
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from armswatch.model import Alias, ListEntry
from armswatch.sanctions.matching import Query, ScreeningIndex

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "sanctions"
TARGET_NAMES_PER_SECOND = 1000
TARGET_BUILD_SECONDS = 120
TARGET_MEMORY_GB = 3.0
SYLLABLES = ["ka", "ri", "mo", "sa", "le", "na", "to", "vi", "an", "el", "or", "us", "ha", "di", "ber",
             "gor", "lin", "mar", "tek", "zan", "sha", "kov", "ova", "ski", "son", "dar", "mir", "bu",
             "chi", "ng", "ya", "ji", "ro", "fa", "qu", "ez", "ul", "ad", "ib", "om"]
COMPANY_WORDS = ["trading", "industries", "holding", "shipping", "group", "bank", "logistics",
                 "energy", "petroleum", "technologies", "international", "services", "marine"]
LEGAL_FORMS = ["LLC", "Ltd", "JSC", "GmbH", "S.A.", "Co., Ltd.", "OOO", "Inc."]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help=f"sanctions data folder (default {DATA})")
    parser.add_argument("--queries", type=int, default=2000, help="queries per timed run (default 2000)")
    parser.add_argument("--synthetic", type=int, default=1_000_000,
                        help="names in the synthetic index (default 1,000,000; 0 skips it)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs; the best counts (default 3)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON at the end")
    return parser.parse_args(argv)


def peak_rss_gb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def typo(name: str, rng: random.Random) -> str:
    """One random slip of the kind screening must survive."""
    words = name.split()
    if len(words) > 1 and rng.random() < 0.2:
        rng.shuffle(words)
        return " ".join(words)
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + name[i + 1:]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    if kind == 2:
        return name[:i - 1] + name[i] + name[i - 1] + name[i + 1:]
    return name[:i] + rng.choice("aeiourstnl") + name[i + 1:]


def timed_rate(index: ScreeningIndex, queries: list[Query], repeats: int) -> float:
    """Best queries/s over ``repeats`` runs, each on query strings new to the process."""
    best = 0.0
    for run in range(repeats):
        # a run-specific suffix of spaces makes every string new to the caches; normalisation drops it
        fresh = [Query(q.name + " " * (run + 1), schema=q.schema, country=q.country,
                       birth_date=q.birth_date) for q in queries]
        gc.collect()
        started = time.perf_counter()
        for query in fresh:
            index.screen(query)
        best = max(best, len(fresh) / (time.perf_counter() - started))
    return best


# -- the real lists -------------------------------------------------------------------


def list_queries(entries: list[ListEntry], data: Path, count: int, rng: random.Random) -> list[Query]:
    listed = [Query(typo(rng.choice(e.names()), rng), schema=e.schema)
              for e in rng.sample(entries, min(count // 2, len(entries)))]
    negatives: list[Query] = []
    for name in ("yente_negatives_global_1000.csv", "yente_negatives_us_1000.csv"):
        path = data / "name_matching_benchmarks" / name
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                negatives.extend(Query(row["full_name"], schema="Person") for row in csv.DictReader(handle))
    rng.shuffle(negatives)
    mixed = listed + negatives[:count - len(listed)]
    rng.shuffle(mixed)
    return mixed


def bench_lists(args: argparse.Namespace, rng: random.Random) -> dict[str, Any] | None:
    try:
        from armswatch.sanctions.importers import load_list
    except ImportError as error:
        print(f"Lists: armswatch.sanctions.importers.load_list is not available ({error})")
        return None
    files = [args.data / "ofac_sdn_2024-05-03.csv", args.data / "un_consolidated_2018-10-29.xml"]
    if not all(f.exists() for f in files):
        print(f"Lists: list files not found in {args.data}")
        return None
    entries = [entry for file in files for entry in load_list([file]).entries]
    ScreeningIndex([entries[0]]).screen(Query("warm up"))  # load rigour's name data (~7 s, once)
    started = time.perf_counter()
    index = ScreeningIndex(entries)
    index.freeze()
    build = time.perf_counter() - started
    queries = list_queries(entries, args.data, args.queries, rng)
    with_schema = timed_rate(index, queries, args.repeats)
    without = timed_rate(index, [Query(q.name) for q in queries], args.repeats)
    print(f"Lists: {len(index)} entries, {index.name_count} names; index built in {build:.1f}s")
    print(f"  {len(queries)} queries (half listed names with typos, half negatives)")
    print(f"  with schema:    {with_schema:,.0f} names/s  (target {TARGET_NAMES_PER_SECOND:,}; "
          f"ratio {with_schema / TARGET_NAMES_PER_SECOND:.2f})")
    print(f"  without schema: {without:,.0f} names/s")
    return {"entries": len(index), "names": index.name_count, "build_seconds": build,
            "names_per_second": with_schema, "names_per_second_no_schema": without}


# -- synthetic -------------------------------------------------------------------------


def word_maker(rng: random.Random) -> Callable[[], str]:
    """Words from 2-4 syllables, drawn from a pool with a Zipf-like spread of frequencies."""
    pool = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(120_000)]
    weights = [1.0 / (rank + 10) for rank in range(len(pool))]
    cumulative: list[float] = []
    running = 0.0
    for weight in weights:
        running += weight
        cumulative.append(running)

    def word() -> str:
        return rng.choices(pool, cum_weights=cumulative, k=1)[0].capitalize()

    return word


def synthetic_entries(names: int, rng: random.Random) -> Iterator[ListEntry]:
    word = word_maker(rng)
    made = number = 0
    while made < names:
        number += 1
        person = rng.random() < 0.6
        count = min(rng.choice((1, 1, 2, 3)), names - made)
        if person:
            primary = f"{word().upper()}, {word()} {word()}"
            others = [f"{word()} {word()}" for _ in range(count - 1)]
        else:
            primary = f"{word()} {rng.choice(COMPANY_WORDS).title()} {rng.choice(LEGAL_FORMS)}"
            others = [f"{word()} {word()} {rng.choice(LEGAL_FORMS)}" for _ in range(count - 1)]
        made += count
        yield ListEntry(list="synthetic", entry_id=str(number), schema="Person" if person else "Company",
                        name=primary, aliases=tuple(Alias(n) for n in others))


def bench_synthetic(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    before = peak_rss_gb()
    started = time.perf_counter()
    index = ScreeningIndex()
    sample: list[ListEntry] = []
    for entry in synthetic_entries(args.synthetic, rng):
        index.add([entry])
        if rng.random() < 0.01:
            sample.append(entry)
    index.freeze()
    build = time.perf_counter() - started
    peak = peak_rss_gb()
    queries = [Query(typo(rng.choice(e.names()), rng), schema=e.schema)
               for e in rng.sample(sample, min(len(sample), max(args.queries // 4, 100)))]
    rate = timed_rate(index, queries, max(1, args.repeats - 1))
    print(f"Synthetic: {len(index):,} entries, {index.name_count:,} names; built in {build:.1f}s "
          f"(target < {TARGET_BUILD_SECONDS}s)")
    print(f"  peak memory {peak:.2f} GB for the process (was {before:.2f} GB before the build; "
          f"target < {TARGET_MEMORY_GB} GB)")
    print(f"  {len(queries)} typo'd listed names: {rate:,.0f} queries/s")
    return {"names": index.name_count, "entries": len(index), "build_seconds": build,
            "peak_rss_gb": peak, "rss_before_gb": before, "queries_per_second": rate}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    results: dict[str, Any] = {}
    results["lists"] = bench_lists(args, rng)
    if args.synthetic > 0:
        results["synthetic"] = bench_synthetic(args, rng)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
