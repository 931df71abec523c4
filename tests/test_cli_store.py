"""The store commands as a user types them: ingest, run, register, facts, contradictions, feeds."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armswatch.cli.main import app
from armswatch.exports.records import REGISTER_COLUMNS

pytestmark = pytest.mark.slow
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
runner = CliRunner()


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ten sample texts, without SOURCES.md."""
    folder = tmp_path_factory.mktemp("docs") / "samples"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


@pytest.fixture(scope="module")
def filled(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with the bundled samples, ingested once through the CLI."""
    db = str(tmp_path_factory.mktemp("db") / "armswatch.db")
    result = runner.invoke(app, ["ingest", str(sample_dir), "--db", db])
    assert result.exit_code == 0, result.output
    assert "10 documents seen, 10 new" in result.stdout
    return db


def test_running_again_adds_nothing(filled: str, sample_dir: Path) -> None:
    result = runner.invoke(app, ["run", str(sample_dir), "--db", filled, "--no-poll"])
    assert result.exit_code == 0, result.output
    assert "0 new, 10 already stored; 0 extracted, 0 facts; 0 errors" in result.stdout


def test_register_as_json_csv_and_table(filled: str) -> None:
    rows = json.loads(runner.invoke(app, ["register", "--db", filled, "-f", "json"]).stdout)
    iran = [r for r in rows if r["supplier"] == ["IR"] and r["recipient"] == ["RU"]]
    # Iran's drones: delivered as the White House reports it (possibly), sought as BIS asserts it
    drones = [r for r in iran if "drones" in r["items"]]
    assert drones and {"delivered", "sought"} <= {h["stage"] for h in drones[0]["stage_history"]}
    assert {"stories", "sources", "first_reported", "contradicted", "designations"} <= set(iran[0])

    as_csv = runner.invoke(app, ["register", "--db", filled, "-f", "csv"]).stdout
    table = list(csv.reader(io.StringIO(as_csv)))
    assert tuple(table[0]) == REGISTER_COLUMNS
    assert len(table) == len(rows) + 1

    shown = runner.invoke(app, ["register", "--db", filled])
    assert shown.exit_code == 0 and "Deal register" in shown.stdout and "IR" in shown.stdout


@pytest.mark.parametrize("supplier", ["IR", "Iran", "Islamic Republic of Iran", "Iranian", "country:IR"])
def test_register_filters_by_supplier_however_named(filled: str, supplier: str) -> None:
    result = runner.invoke(app, ["register", "--db", filled, "--supplier", supplier, "--recipient", "RU",
                                 "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(r["supplier"] == ["IR"] and r["recipient"] == ["RU"] for r in rows)


def test_register_item_and_since_filters(filled: str) -> None:
    drones = json.loads(runner.invoke(app, ["register", "--db", filled, "--item", "drones",
                                            "-f", "json"]).stdout)
    assert drones and all("drones" in r["items"] for r in drones)
    future = json.loads(runner.invoke(app, ["register", "--db", filled, "--since", "2999-01-01",
                                            "-f", "json"]).stdout)
    assert future == []


def test_facts_with_filters_and_evidence(filled: str) -> None:
    facts = json.loads(runner.invoke(app, ["facts", "--db", filled, "--type", "arms_transfer",
                                           "--actor", "Iran", "-f", "json"]).stdout)
    assert facts and all(f["type"] == "arms_transfer" for f in facts)
    assert all(any(e["country"] == "IR" for ents in f["roles"].values() for e in ents) for f in facts)
    text = (SAMPLES / f"{facts[0]['document']['name']}.txt").read_text()
    for ev in facts[0]["evidence"]:
        assert text[ev["start"]:ev["end"]] == ev["text"]
    one_doc = json.loads(runner.invoke(app, ["facts", "--db", filled, "--document",
                                             "03-wh-kirby-gaggle-iran-uavs-crimea", "-f", "json"]).stdout)
    assert one_doc and {f["document"]["name"] for f in one_doc} == {"03-wh-kirby-gaggle-iran-uavs-crimea"}
    assert "Facts" in runner.invoke(app, ["facts", "--db", filled, "--limit", "2"]).stdout


def test_unknown_actor_is_a_clear_usage_error(filled: str) -> None:
    result = runner.invoke(app, ["facts", "--db", filled, "--actor", "Atlantis"])
    assert result.exit_code == 2
    assert "Atlantis" in result.stderr and "no state, person or organisation" in result.stderr


def test_contradictions_show_both_sides(filled: str) -> None:
    result = runner.invoke(app, ["contradictions", "--db", filled, "-f", "json"])
    assert result.exit_code == 0, result.output
    for event in json.loads(result.stdout):
        assert event["asserted"] and event["denied"]
        assert all(f["factuality"] == "negated" for f in event["denied"])
    as_csv = runner.invoke(app, ["contradictions", "--db", filled, "-f", "csv"]).stdout
    assert as_csv.startswith("type,parties")


def test_status_counts(filled: str) -> None:
    result = runner.invoke(app, ["status", "--db", filled])
    assert result.exit_code == 0
    assert "documents: 10" in result.stdout and "documents done: 10" in result.stdout


def test_feeds_add_list_remove(tmp_path: Path) -> None:
    db = str(tmp_path / "feeds.db")
    assert "following feed 1" in runner.invoke(app, ["feeds", "add", "http://127.0.0.1:9/rss",
                                                     "--db", db]).stdout
    assert "already following" in runner.invoke(app, ["feeds", "add", "http://127.0.0.1:9/rss",
                                                      "--db", db]).stdout
    listed = json.loads(runner.invoke(app, ["feeds", "list", "--db", db, "-f", "json"]).stdout)
    assert [f["url"] for f in listed] == ["http://127.0.0.1:9/rss"]
    bad = runner.invoke(app, ["feeds", "add", "ftp://example.org/feed", "--db", db])
    assert bad.exit_code == 2 and "not an http(s) URL" in bad.stderr
    polled = runner.invoke(app, ["poll", "--db", db])  # port 9: nothing listens
    assert polled.exit_code == 1 and "http://127.0.0.1:9/rss" in polled.stderr
    assert runner.invoke(app, ["feeds", "remove", "1", "--db", db]).exit_code == 0
    assert json.loads(runner.invoke(app, ["feeds", "list", "--db", db, "-f", "json"]).stdout) == []
    assert runner.invoke(app, ["feeds", "remove", "1", "--db", db]).exit_code == 1


def test_bad_inputs_fail_the_run_but_not_the_batch(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "03-wh-kirby-gaggle-iran-uavs-crimea.txt", folder)
    (folder / "empty.txt").write_text("")
    result = runner.invoke(app, ["ingest", str(folder), str(tmp_path / "missing.txt"),
                                 "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1
    assert "empty.txt: the file is empty" in result.stderr
    assert "missing.txt: no such file or directory" in result.stderr
    assert "1 new" in result.stdout


def test_db_from_the_environment_and_bad_db(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(app, ["status"], env={"ARMSWATCH_DB": str(db)})
    assert result.exit_code == 0 and str(db) in result.stdout
    bad = runner.invoke(app, ["status", "--db", str(tmp_path)])
    assert bad.exit_code == 3 and "is a directory" in bad.stderr
    unknown = runner.invoke(app, ["status", "--db", "mysql://x/y"])
    assert unknown.exit_code == 3 and "unsupported database" in unknown.stderr


def test_ingest_without_extraction_queues(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    queued = runner.invoke(app, ["ingest", str(SAMPLES / "04-wh-sullivan-statement-iran-drones.txt"),
                                 "--db", db, "--no-extract"])
    assert queued.exit_code == 0 and "1 pending" in queued.stdout and "armswatch run" in queued.stdout
    done = runner.invoke(app, ["run", "--db", db, "--no-poll"])
    assert done.exit_code == 0 and "1 extracted" in done.stdout and "0 pending" in done.stdout
