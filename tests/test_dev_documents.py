"""The extractor on the real dev documents: offsets, codes, denials (skipped without ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from armswatch.service import extract_paths

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(dev_dir: Path, extractor):  # type: ignore[no-untyped-def]
    return {r.doc_id: r for r in extract_paths([str(dev_dir / "docs")], extractor=extractor)}


def test_every_evidence_span_slices_its_document(results, dev_dir: Path) -> None:  # type: ignore[no-untyped-def]
    checked = 0
    for doc_id, result in results.items():
        text = (dev_dir / "docs" / f"{doc_id}.txt").read_text(encoding="utf-8")
        for fact in result.facts:
            assert fact.evidence, fact
            for ev in fact.evidence:
                assert text[ev.start:ev.end] == ev.text
                checked += 1
    assert checked > 100


@pytest.mark.parametrize(("doc_id", "supplier", "recipient"), [("018", "KP", "RU"),
                                                                ("022", "IR", "RU")])
def test_denials_are_negated_transfers(results, doc_id, supplier, recipient) -> None:  # type: ignore[no-untyped-def]
    negated = [f for f in results[doc_id].facts
               if f.type == "arms_transfer" and f.factuality == "negated"]
    assert any(supplier in {e.country for e in f.role("supplier")}
               and recipient in {e.country for e in f.role("recipient")} for f in negated)


def test_north_korea_to_russia_is_reported_delivered(results) -> None:  # type: ignore[no-untyped-def]
    stages = {f.stage for r in results.values() for f in r.facts
              if f.type == "arms_transfer" and f.factuality == "asserted"
              and "KP" in {e.country for e in f.role("supplier")}
              and "RU" in {e.country for e in f.role("recipient")}}
    assert {"delivered", "negotiating"} <= stages
