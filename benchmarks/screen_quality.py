"""Screening quality: name-pair F1, entity checks, UN top-1 and false-alert rates.

Usage::

    .venv/bin/python benchmarks/screen_quality.py [--data DIR] [--pairs FILE]
        [--threshold T] [--nk-python PATH | --no-nomenklatura] [--no-lists] [--json]

Sections (each skipped, with the reason printed, when its files are missing):

1. *Name pairs*: ``compare_names`` at ``DEFAULT_THRESHOLD`` on nomenklatura's
   labelled pairs (``nk_name_bench_cases_dev.csv``: the development half; the
   other half is held out and scored the same way), F1/precision/recall
   overall and per ``case_group``; target F1 >= 0.88. ``--pairs FILE`` scores
   any CSV with ``name1,name2,schema,is_match`` instead.
2. *Entity checks*: accuracy on ``nk_entity_bench_checks.yml`` (name-only
   checks; ``firstName``/``middleName``/``lastName`` are joined).
3. *nomenklatura side by side*: logic-v2 on the same pairs, run by the Python
   of a separate throwaway venv (``--nk-python``, default
   ``/tmp/nk-venv/bin/python``; create it with ``python3 -m venv /tmp/nk-venv
   && /tmp/nk-venv/bin/pip install nomenklatura``). Never a project dependency.
4. *Lists*: an index of OFAC SDN (2024-05-03 CSV) + UN (2018-10-29 XML), read
   by ``armswatch.sanctions.importers.load_list``. The UN positives with typos
   (``yente_positives_un_treated.csv``) are screened as persons with their
   date of birth and nationality: top-1 rate (target >= 95%) over the people
   of that file found in the 2018 list (by the untreated twin row). The
   synthetic negatives (``yente_negatives_*_1000.csv``) give the alert rate at
   the default threshold (target <= 2%).

The script reports; it exits 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from armswatch.model import ListEntry
from armswatch.sanctions.matching import DEFAULT_THRESHOLD, Query, ScreeningIndex, compare_names
from armswatch.sanctions.matching.normalise import name_parts

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "sanctions"
BENCH = "name_matching_benchmarks"
NK_PYTHON = Path("/tmp/nk-venv/bin/python")
NK_THRESHOLD = 0.7  # yente's default match threshold for logic-v2

NK_RUNNER = r"""
import json, sys
from followthemoney import model
from nomenklatura.matching import LogicV2, ScoringConfig
config = ScoringConfig.defaults()
for number, line in enumerate(sys.stdin):
    pair = json.loads(line)
    entities = []
    for side in ("q", "r"):
        entity = model.make_entity(pair["schema"] or "LegalEntity")
        entity.id = f"{side}{number}"  # nomenklatura caches name analysis by entity id
        entity.add("name", pair[side])
        entities.append(entity)
    print(json.dumps(LogicV2.compare(entities[0], entities[1], config).score), flush=True)
"""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help=f"sanctions data folder (default {DATA})")
    parser.add_argument("--pairs", type=Path, default=None,
                        help="CSV of name1,name2,schema,is_match[,case_group] to score instead")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--nk-python", type=Path, default=NK_PYTHON,
                        help="python of a venv with nomenklatura installed")
    parser.add_argument("--no-nomenklatura", action="store_true")
    parser.add_argument("--no-lists", action="store_true", help="skip the list-based section (slow)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON at the end")
    return parser.parse_args(argv)


# -- name pairs ---------------------------------------------------------------------


def read_pairs(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [{"group": row.get("case_group") or "all", "schema": row.get("schema") or None,
             "q": row["name1"], "r": row["name2"],
             "match": str(row["is_match"]).strip().lower() in ("true", "1", "yes")} for row in rows]


def f1_table(labels: Sequence[bool], predictions: Sequence[bool]) -> dict[str, float]:
    tp = sum(1 for y, p in zip(labels, predictions, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predictions, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, predictions, strict=True) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "n": len(labels), "tp": tp, "fp": fp,
            "fn": fn}


def report_pairs(title: str, pairs: list[dict[str, Any]], scores: list[float],
                 threshold: float) -> dict[str, Any]:
    labels = [p["match"] for p in pairs]
    overall = f1_table(labels, [s >= threshold for s in scores])
    print(f"\n{title} at threshold {threshold:.2f}: F1 {overall['f1']:.3f}  precision "
          f"{overall['precision']:.3f}  recall {overall['recall']:.3f}  "
          f"(n={overall['n']}, tp={overall['tp']}, fp={overall['fp']}, fn={overall['fn']})")
    groups: dict[str, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        groups[pair["group"]].append(i)
    by_group = {}
    for group, rows in sorted(groups.items()):
        table = f1_table([labels[i] for i in rows], [scores[i] >= threshold for i in rows])
        accuracy = sum((scores[i] >= threshold) == labels[i] for i in rows) / len(rows)
        by_group[group] = {**table, "accuracy": accuracy}
        print(f"  {group:<16} n={len(rows):<4} F1 {table['f1']:.3f}  P {table['precision']:.3f}  "
              f"R {table['recall']:.3f}  accuracy {accuracy:.3f}")
    best = max((f1_table(labels, [s >= t / 100 for s in scores])["f1"], t / 100) for t in range(40, 100))
    print(f"  (best threshold on these pairs: {best[1]:.2f} with F1 {best[0]:.3f})")
    return {"overall": overall, "groups": by_group, "best": {"f1": best[0], "threshold": best[1]}}


def nomenklatura_scores(pairs: list[dict[str, Any]], python: Path) -> list[float] | str:
    """logic-v2 scores from the throwaway venv, or why there are none."""
    if not python.exists():
        return (f"no nomenklatura venv at {python} (create one: python3 -m venv /tmp/nk-venv && "
                "/tmp/nk-venv/bin/pip install nomenklatura)")
    lines = "".join(json.dumps({"q": p["q"], "r": p["r"], "schema": p["schema"]}) + "\n" for p in pairs)
    try:
        done = subprocess.run([str(python), "-P", "-c", NK_RUNNER], input=lines, capture_output=True,
                              text=True, timeout=1800, check=True)
    except (subprocess.SubprocessError, OSError) as error:
        stderr = getattr(error, "stderr", "") or ""
        return f"nomenklatura failed: {error} {stderr[-300:]}"
    return [float(x) for x in done.stdout.split()]


def entity_checks(path: Path, threshold: float) -> dict[str, Any] | None:
    if not path.exists():
        print(f"\nEntity checks: {path} not found, skipped")
        return None
    checks = yaml.safe_load(path.read_text(encoding="utf-8"))["checks"]

    def names(side: dict[str, Any]) -> list[str]:
        found = side.get("name")
        if found:
            return [found] if isinstance(found, str) else list(found)
        parts = [side.get(k) for k in ("firstName", "middleName", "fatherName", "lastName")]
        joined = " ".join(str(p) for p in parts if p)
        return [joined] if joined else []

    right = usable = 0
    for check in checks:
        q_names, r_names = names(check["query"]), names(check["candidate"])
        if not q_names or not r_names:
            continue
        usable += 1
        score = max(compare_names(q, r, schema=check.get("schema")).score for q in q_names for r in r_names)
        right += (score >= threshold) == bool(check["match"])
    accuracy = right / usable if usable else 0.0
    print(f"\nEntity checks ({path.name}): accuracy {accuracy:.3f} on {usable} usable of {len(checks)}")
    return {"accuracy": accuracy, "usable": usable, "total": len(checks)}


# -- lists ---------------------------------------------------------------------------


def load_entries(data: Path) -> list[ListEntry] | str:
    try:
        from armswatch.sanctions.importers import load_list
    except ImportError as error:
        return f"armswatch.sanctions.importers.load_list is not available ({error})"
    files = [data / "ofac_sdn_2024-05-03.csv", data / "un_consolidated_2018-10-29.xml"]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        return f"missing list files: {', '.join(missing)}"
    entries: list[ListEntry] = []
    for file in files:
        entries.extend(load_list([file]).entries)
    return entries


def read_people(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def person_query(row: dict[str, str]) -> Query:
    return Query(name=row["full_name"], schema="Person", country=row.get("nationality") or None,
                 birth_date=row.get("date_of_birth") or None)


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(sorted(name_parts(name, "Person")))


def _found(results: list[Any], expected: set[tuple[str, str]]) -> bool:
    """Top-1 is the person: their entry, or their OFAC listing just before their UN one.

    The SDN lists most UN-listed people too, sometimes under a spelling the
    untreated name does not share, so it cannot always be told from the name.
    """
    first = results[0].entry
    if (first.list, first.entry_id) in expected:
        return True
    un = next((m.entry for m in results if m.entry.list.startswith("un")), None)
    return not first.list.startswith("un") and un is not None and (un.list, un.entry_id) in expected


def un_positives(index: ScreeningIndex, entries: list[ListEntry], bench: Path,
                 threshold: float) -> dict[str, Any] | None:
    treated, untreated = bench / "yente_positives_un_treated.csv", bench / "yente_positives_un_untreated.csv"
    if not treated.exists() or not untreated.exists():
        print(f"\nUN positives: {treated.name} or its untreated twin is not in {bench}: skipped")
        return None
    # the person's entries: on the UN list, and on the SDN too when it lists the same name
    by_name: dict[tuple[str, ...], list[ListEntry]] = defaultdict(list)
    for entry in entries:
        if entry.schema == "Person":
            for name in entry.names():
                by_name[_name_key(name)].append(entry)
    rows = list(zip(read_people(untreated), read_people(treated), strict=True))
    found = top1 = top1_strict = top1_threshold = 0
    misses: list[str] = []
    started = time.perf_counter()
    for original, variant in rows:
        listed = by_name.get(_name_key(original["full_name"]), [])
        expected = {(e.list, e.entry_id) for e in listed}
        if not any(e.list.startswith("un") for e in listed):
            continue  # not on the 2018 list (listed later, or named differently)
        found += 1
        results = index.screen(person_query(variant), threshold=0.0, limit=3)
        if results and (results[0].entry.list, results[0].entry.entry_id) in expected:
            top1_strict += 1
        if results and _found(results, expected):
            top1 += 1
            top1_threshold += results[0].score >= threshold
        elif len(misses) < 8:
            got = f"{results[0].matched_name!r} {results[0].score:.2f}" if results else "nothing"
            misses.append(f"    {variant['full_name']!r} (for {original['full_name']!r}) -> {got}")
    elapsed = time.perf_counter() - started
    rate = top1 / found if found else 0.0
    rate_t = top1_threshold / found if found else 0.0
    print(f"\nUN positives with typos ({treated.name}): {found} of {len(rows)} people are on the 2018 list")
    strict = top1_strict / found if found else 0.0
    print(f"  top-1 rate {rate:.3f} (target 0.95); top-1 and above the threshold {rate_t:.3f}; "
          f"{found / elapsed:.0f} queries/s")
    print(f"  (strict: the first result is an entry carrying the untreated name: {strict:.3f})")
    for line in misses:
        print(line)
    return {"people": len(rows), "on_list": found, "top1": rate, "top1_strict": strict,
            "top1_at_threshold": rate_t}


def negatives(index: ScreeningIndex, bench: Path, threshold: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("yente_negatives_global_1000.csv", "yente_negatives_us_1000.csv"):
        path = bench / name
        if not path.exists():
            print(f"\nNegatives: {name} not found, skipped")
            continue
        rows = read_people(path)
        alerts: list[str] = []
        for row in rows:
            results = index.screen(person_query(row), threshold=threshold, limit=1)
            if results:
                best = results[0]
                alerts.append(f"    {row['full_name']!r} -> {best.matched_name!r} {best.score:.2f}")
        rate = len(alerts) / len(rows)
        print(f"\nNegatives {name}: alert rate {rate:.3f} at {threshold:.2f} (target <= 0.02), "
              f"{len(alerts)} of {len(rows)}")
        for line in alerts[:8]:
            print(line)
        out[name] = {"alert_rate": rate, "alerts": len(alerts), "n": len(rows)}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    bench = args.data / BENCH
    results: dict[str, Any] = {"threshold": args.threshold}
    pairs_path = args.pairs or bench / "nk_name_bench_cases_dev.csv"
    if pairs_path.exists():
        pairs = read_pairs(pairs_path)
        started = time.perf_counter()
        scores = [compare_names(p["q"], p["r"], schema=p["schema"]).score for p in pairs]
        print(f"{len(pairs)} pairs from {pairs_path.name} scored in {time.perf_counter() - started:.1f}s "
              "(including the one-time load of rigour's name data)")
        results["pairs"] = report_pairs("armswatch", pairs, scores, args.threshold)
        if not args.no_nomenklatura:
            nk = nomenklatura_scores(pairs, args.nk_python)
            if isinstance(nk, str):
                print(f"\nnomenklatura: {nk}")
            else:
                results["nomenklatura"] = report_pairs("nomenklatura logic-v2", pairs, nk, NK_THRESHOLD)
    else:
        print(f"pairs file {pairs_path} not found: skipped")
    if args.pairs is None:
        results["entity_checks"] = entity_checks(bench / "nk_entity_bench_checks.yml", args.threshold)
    if not args.no_lists and args.pairs is None:
        entries = load_entries(args.data)
        if isinstance(entries, str):
            print(f"\nLists: {entries}")
        else:
            started = time.perf_counter()
            index = ScreeningIndex(entries)
            index.freeze()
            print(f"\nIndex of {len(index)} entries ({index.name_count} names) built in "
                  f"{time.perf_counter() - started:.1f}s")
            results["un_positives"] = un_positives(index, entries, bench, args.threshold)
            results["negatives"] = negatives(index, bench, args.threshold)
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
