"""Extraction throughput: ArmsWatch versus the bare spaCy model, in one process.

Usage::

    .venv/bin/python benchmarks/extract_speed.py [--docs DIR] [--target-docs 300]
                                                 [--repeats 3] [--json]

The corpus is the dev set (``../shared/eval/dev/docs/*.txt`` beside the
checkout), else ``--docs DIR``, else the bundled ``samples/*.txt``. It is
repeated until it holds at least ``--target-docs`` documents. Both sides are
warmed up, then timed ``--repeats`` times in alternating order; the best time
of each counts.

(a) *bare*: ``nlp.pipe(texts, batch_size=32)`` with the same spaCy model loaded
    separately by ``spacy.load``, so ArmsWatch's own pipeline components are
    not included;
(b) *armswatch*: ``Extractor.extract_texts(texts)``, the full extraction.

The ratio armswatch/bare (docs per second) is reported against the target
of 0.70. The script reports; it does not gate: it exits 0 whatever the ratio.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEV_DOCS = ROOT.parent / "shared" / "eval" / "dev" / "docs"
SAMPLES = ROOT / "samples"
TARGET_RATIO = 0.70
BATCH_SIZE = 32
WARMUP_DOCS = 8


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=None,
                        help=f"directory of *.txt documents (default: {DEV_DOCS})")
    parser.add_argument("--target-docs", type=int, default=300,
                        help="repeat the corpus to at least this many documents (default 300)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed runs of each side; the best counts (default 3)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    if args.target_docs < 1 or args.repeats < 1:
        parser.error("--target-docs and --repeats must be at least 1")
    return args


def load_corpus(docs_dir: Path | None) -> tuple[list[str], str]:
    """The texts and a note on where they came from."""
    if docs_dir is not None:
        files = sorted(docs_dir.glob("*.txt"))
        if not files:
            sys.exit(f"error: no *.txt files in {docs_dir}")
        return [f.read_text(encoding="utf-8") for f in files], str(docs_dir)
    files = sorted(DEV_DOCS.glob("*.txt"))
    if files:
        return [f.read_text(encoding="utf-8") for f in files], str(DEV_DOCS)
    files = sorted(SAMPLES.glob("*.txt"))
    if not files:
        sys.exit(f"error: neither {DEV_DOCS} nor {SAMPLES} holds *.txt documents")
    print(f"note: {DEV_DOCS} not found; using the bundled samples in {SAMPLES}", file=sys.stderr)
    return [f.read_text(encoding="utf-8") for f in files], f"{SAMPLES} (fallback)"


def repeat_to(texts: list[str], target: int) -> list[str]:
    copies = -(-target // len(texts))  # ceiling division
    return (texts * copies)[: max(target, len(texts))]


def load_bare(armswatch_nlp: Any) -> tuple[Any, str]:
    """The same spaCy model as ArmsWatch's, loaded afresh without its added components."""
    import spacy

    meta = armswatch_nlp.meta
    name = f"{meta['lang']}_{meta['name']}"
    try:
        return spacy.load(name), name
    except OSError:
        # Not installed under its meta name: load it from the directory it came from.
        path = getattr(armswatch_nlp, "path", None)
        if path is None:
            raise
        return spacy.load(path), str(path)


def best_time(fn: Callable[[], object], timings: list[float]) -> None:
    start = time.perf_counter()
    fn()
    timings.append(time.perf_counter() - start)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    base, source = load_corpus(args.docs)
    texts = repeat_to(base, args.target_docs)
    n_docs = len(texts)
    n_chars = sum(len(t) for t in texts)

    from armswatch.service import Extractor
    from armswatch.settings import Settings

    t0 = time.perf_counter()
    extractor = Extractor(settings=Settings())
    load_armswatch = time.perf_counter() - t0
    t0 = time.perf_counter()
    bare_nlp, bare_name = load_bare(extractor.nlp)
    load_bare_s = time.perf_counter() - t0

    def run_bare() -> None:
        for _ in bare_nlp.pipe(texts, batch_size=BATCH_SIZE):
            pass

    def run_armswatch() -> None:
        extractor.extract_texts(texts)

    warm = base[:WARMUP_DOCS]
    for _ in bare_nlp.pipe(warm, batch_size=BATCH_SIZE):
        pass
    extractor.extract_texts(warm)

    bare_times: list[float] = []
    aw_times: list[float] = []
    for i in range(args.repeats):
        order = [(run_bare, bare_times), (run_armswatch, aw_times)]
        if i % 2:
            order.reverse()
        for fn, timings in order:
            best_time(fn, timings)

    bare_best, aw_best = min(bare_times), min(aw_times)
    ratio = bare_best / aw_best  # == (armswatch docs/s) / (bare docs/s)
    result = {
        "source": source,
        "unique_docs": len(base),
        "docs": n_docs,
        "chars": n_chars,
        "repeats": args.repeats,
        "batch_size": BATCH_SIZE,
        "model": bare_name,
        "armswatch_pipe_names": list(extractor.nlp.pipe_names),
        "bare_pipe_names": list(bare_nlp.pipe_names),
        "load_seconds": {"armswatch": round(load_armswatch, 3), "bare": round(load_bare_s, 3)},
        "bare": {"best_seconds": round(bare_best, 4), "docs_per_s": round(n_docs / bare_best, 2),
                 "chars_per_s": round(n_chars / bare_best, 1),
                 "all_seconds": [round(t, 4) for t in bare_times]},
        "armswatch": {"best_seconds": round(aw_best, 4), "docs_per_s": round(n_docs / aw_best, 2),
                      "chars_per_s": round(n_chars / aw_best, 1),
                      "all_seconds": [round(t, 4) for t in aw_times]},
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
        "python": platform.python_version(),
    }

    if args.json:
        print(json.dumps(result, indent=2))
        return 0

    print(f"corpus: {source}: {len(base)} unique docs repeated to {n_docs} docs, "
          f"{n_chars:,} chars; best of {args.repeats}, batch_size={BATCH_SIZE}")
    print(f"model: {bare_name}")
    print(f"  bare pipeline:      {', '.join(bare_nlp.pipe_names)}")
    print(f"  armswatch pipeline: {', '.join(extractor.nlp.pipe_names)}")
    print(f"{'':12}{'seconds':>10}{'docs/s':>12}{'chars/s':>14}")
    for label, key in (("bare spaCy", "bare"), ("ArmsWatch", "armswatch")):
        r = result[key]
        print(f"{label:12}{r['best_seconds']:>10.3f}{r['docs_per_s']:>12.1f}"
              f"{r['chars_per_s']:>14,.0f}")
    print(f"ratio: {ratio:.2f} (target >= {TARGET_RATIO:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
