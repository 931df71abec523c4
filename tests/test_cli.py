"""``armswatch extract`` driven the way a user runs it, through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armswatch.cli.main import app

pytestmark = pytest.mark.slow
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
runner = CliRunner()


def _jsonl(output: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_samples_to_jsonl_file(tmp_path: Path) -> None:
    out = tmp_path / "facts.jsonl"
    result = runner.invoke(app, ["extract", str(SAMPLES), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    docs = {d["doc_id"]: d for d in _jsonl(out.read_text())}
    assert "03-wh-kirby-gaggle-iran-uavs-crimea" in docs
    facts = docs["03-wh-kirby-gaggle-iran-uavs-crimea"]["facts"]
    transfer = [f for f in facts if f["type"] == "arms_transfer"]
    assert any(f["supplier"][0]["country"] == "IR" and f["recipient"][0]["country"] == "RU"
               for f in transfer)
    # the denial by Iran and Russia in that release is a negated transfer
    assert any(f["factuality"] == "negated" for f in transfer)
    text = (SAMPLES / "03-wh-kirby-gaggle-iran-uavs-crimea.txt").read_text(encoding="utf-8")
    for fact in facts:
        for ev in fact["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["text"]


def test_designation_sample_names_the_facilitator() -> None:
    result = runner.invoke(app, ["extract", str(SAMPLES / "01-state-mkrtychev-dprk-arms-deal.txt"),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    (doc,) = json.loads(result.stdout)
    sanctions = [f for f in doc["facts"] if f["type"] == "sanction"]
    assert any(t["name"] == "Ashot Mkrtychev" for f in sanctions for t in f["target"])
    assert any(i["country"] == "US" for f in sanctions for i in f["imposer"])


def test_table_is_readable() -> None:
    result = runner.invoke(app, ["extract", str(SAMPLES / "04-wh-sullivan-statement-iran-drones.txt")])
    assert result.exit_code == 0, result.output
    assert "statement" in result.stdout and "condemnation" in result.stdout


def test_hostile_files_are_reported_and_the_rest_processed(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Iran shipped drones to Russia in August, Ukrainian officials said.\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "empty.md").write_text("   \n")
    (tmp_path / "big.txt").write_text("shells " * 400_000)  # 2.8 MB, over a 1 MB limit
    (tmp_path / "latin1.txt").write_bytes(
        "Le ministère a déclaré que l'Iran avait livré des drones à la Russie. "
        "Iran delivered drones to Russia, the ministry in Kyiv said.".encode("latin-1"))
    result = runner.invoke(app, ["extract", str(tmp_path), str(tmp_path / "missing.txt"),
                                 "--format", "jsonl", "--max-file-mb", "1"])
    assert result.exit_code == 1
    errors = result.stderr
    for name in ("binary.txt", "empty.md", "big.txt", "missing.txt"):
        assert name in errors
    docs = {d["doc_id"]: d for d in _jsonl(result.stdout)}
    assert docs["good"]["facts"] and "error" not in docs["good"]
    assert docs["latin1"]["facts"], "latin-1 text is decoded and read"
    assert "error" in docs["binary"] and "error" in docs["big"]


def test_no_arguments_prints_usage() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code != 0
    assert "extract" in result.output
