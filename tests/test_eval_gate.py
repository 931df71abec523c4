"""The dev-set score gate: extraction quality may only go up.

The floor lives in ``eval_baseline.json``; raise it when the extractor
improves. Skipped (with the reason) where ``../shared`` is absent.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from armswatch.service import extract_paths

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())


@pytest.fixture(scope="module")
def scored(dev_dir: Path, extractor, tmp_path_factory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("eval") / "dev.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for result in extract_paths([str(dev_dir / "docs")], extractor=extractor):
            assert result.error is None, f"{result.path}: {result.error}"
            fh.write(json.dumps(result.to_dict()) + "\n")
    spec = importlib.util.spec_from_file_location("score", dev_dir.parent / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score(dev_dir / "gold", out)


@pytest.mark.slow
def test_fact_f1_does_not_drop(scored) -> None:  # type: ignore[no-untyped-def]
    f1 = scored["facts"]["f1"]
    assert f1 >= BASELINE["fact_f1"], f"dev fact F1 {f1} fell below the floor {BASELINE['fact_f1']}"


@pytest.mark.slow
def test_role_f1_does_not_drop(scored) -> None:  # type: ignore[no-untyped-def]
    assert scored["roles"]["f1"] >= BASELINE["role_f1"]


@pytest.mark.slow
def test_silent_on_negative_documents(scored) -> None:  # type: ignore[no-untyped-def]
    assert scored["negative_documents"] >= 1
    assert scored["facts_on_negative_documents"] <= BASELINE["facts_on_negative_documents"]
