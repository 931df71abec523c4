"""Store overhead: ingest + extract + store versus extraction alone, in one process.

Usage::

    .venv/bin/python benchmarks/pipeline_speed.py [--docs DIR] [--target-docs 200]
                                                  [--repeats 3] [--db URL] [--json]

The corpus is the dev set (``../shared/eval/dev/docs/*.txt`` beside the
checkout), else ``--docs DIR``, else the bundled ``samples/*.txt``, repeated to
``--target-docs`` documents; each copy gets a line of its own so that no two
texts are identical (identical texts would be stored once and skipped). The
files are written to a temporary directory once, and both sides read them
from there:

(a) *extract*: read every file (``read_document``) and extract its facts
    (``Extractor.extract_documents``), nothing stored;
(b) *pipeline*: ``Pipeline.run([dir])`` into a fresh store: read, content
    hash, MinHash and near-duplicate lookup, one transaction per document,
    extraction, facts with roles and evidence, then consolidation into events.

Both use the same loaded extractor. Sides alternate over ``--repeats`` rounds
and the best time of each counts. The overhead is ``1 - pipeline/extract``
in documents per second (target: under 15%). The default store is a SQLite
file in the temporary directory; ``--db postgresql://...`` measures a
PostgreSQL database instead (its ArmsWatch tables are emptied before each
round). The script reports; it exits 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_DOCS = ROOT.parent / "shared" / "eval" / "dev" / "docs"
SAMPLES = ROOT / "samples"
TARGET_OVERHEAD = 0.15


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=None, help=f"*.txt documents (default: {DEV_DOCS})")
    parser.add_argument("--target-docs", type=int, default=200, help="documents per round (default 200)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds; the best counts (default 3)")
    parser.add_argument("--db", default=None, help="a postgresql:// URL (default: a fresh SQLite file)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    if args.target_docs < 1 or args.repeats < 1:
        parser.error("--target-docs and --repeats must be at least 1")
    return args


def load_corpus(docs_dir: Path | None) -> tuple[list[str], str]:
    for folder in ([docs_dir] if docs_dir else [DEV_DOCS, SAMPLES]):
        files = sorted(folder.glob("*.txt"))
        if files:
            return [f.read_text(encoding="utf-8") for f in files], str(folder)
    sys.exit("error: no *.txt documents found (give --docs DIR)")


def write_corpus(texts: list[str], target: int, folder: Path) -> int:
    """``target`` distinct files: copy k of each text ends with a line naming the copy."""
    for i in range(max(target, len(texts))):
        text = texts[i % len(texts)]
        copy = i // len(texts)
        body = text if copy == 0 else f"{text}\n\n(Republished copy {copy}.)\n"
        (folder / f"doc-{i:05d}.txt").write_text(body, encoding="utf-8")
    return max(target, len(texts))


def fresh_store(db: str | None, folder: Path, round_no: int):  # type: ignore[no-untyped-def]
    from sqlalchemy import delete

    from armswatch.store import Store
    from armswatch.store import schema as t

    if db is None:
        return Store.open(str(folder / f"bench-{round_no}.db"))
    store = Store.open(db)
    with store.transaction() as conn:
        for table in reversed(t.metadata.sorted_tables):
            conn.execute(delete(table))
    return store


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    base, source = load_corpus(args.docs)

    from armswatch.nlp.extractor import Extractor
    from armswatch.pipeline import Pipeline
    from armswatch.settings import Settings
    from armswatch.sources import discover, read_document

    extractor = Extractor(settings=Settings())
    with tempfile.TemporaryDirectory(prefix="aw-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        n_docs = write_corpus(base, args.target_docs, corpus)
        paths = sorted(corpus.glob("*.txt"))
        extractor.extract_texts(base[:8])  # warm-up

        def run_extract() -> int:
            documents = [read_document(p, settings=extractor.settings) for p in discover([corpus])
                         if isinstance(p, Path)]
            return sum(len(r.facts) for r in extractor.extract_documents(documents))

        timings: dict[str, list[float]] = {"extract": [], "pipeline": []}
        facts: dict[str, int] = {}
        for round_no in range(args.repeats):
            order = ["extract", "pipeline"] if round_no % 2 == 0 else ["pipeline", "extract"]
            for side in order:
                if side == "extract":
                    start = time.perf_counter()
                    facts["extract"] = run_extract()
                    timings[side].append(time.perf_counter() - start)
                else:
                    store = fresh_store(args.db, work, round_no)
                    start = time.perf_counter()
                    summary = Pipeline(store, extractor=extractor).run([str(corpus)], poll=False)
                    timings[side].append(time.perf_counter() - start)
                    facts["pipeline"] = summary.facts_added
                    stories = store.counts()["stories"]
                    store_url = store.url
                    store.close()
                    assert summary.documents_extracted == len(paths), summary

    best = {side: min(times) for side, times in timings.items()}
    rate = {side: n_docs / best[side] for side in best}
    overhead = 1 - rate["pipeline"] / rate["extract"]
    result = {
        "source": source, "unique_docs": len(base), "docs": n_docs, "repeats": args.repeats,
        "store": store_url, "stories": stories, "facts": facts,
        "extract": {"best_seconds": round(best["extract"], 3), "docs_per_s": round(rate["extract"], 2),
                    "all_seconds": [round(t, 3) for t in timings["extract"]]},
        "pipeline": {"best_seconds": round(best["pipeline"], 3), "docs_per_s": round(rate["pipeline"], 2),
                     "all_seconds": [round(t, 3) for t in timings["pipeline"]]},
        "ratio": round(rate["pipeline"] / rate["extract"], 3),
        "overhead": round(overhead, 3), "target_overhead": TARGET_OVERHEAD,
        "meets_target": overhead < TARGET_OVERHEAD, "python": platform.python_version(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"corpus: {source}: {len(base)} unique docs -> {n_docs} distinct docs; best of {args.repeats}")
    print(f"store: {store_url} ({stories} stories)")
    print(f"{'':22}{'seconds':>10}{'docs/s':>10}{'facts':>8}")
    for label, side in (("extract only", "extract"), ("ingest+extract+store", "pipeline")):
        print(f"{label:22}{best[side]:>10.2f}{rate[side]:>10.1f}{facts[side]:>8}")
    print(f"ratio pipeline/extract: {result['ratio']:.3f}; store overhead {overhead:.1%} "
          f"(target < {TARGET_OVERHEAD:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
