"""Screening names and the actors of the reporting against imported lists (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armswatch import service
from armswatch.cli.main import app
from armswatch.nlp.extractor import Extractor
from armswatch.pipeline import Pipeline
from armswatch.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sanctions"
runner = CliRunner()
pytestmark = pytest.mark.slow

REPORT = ("The United States imposed sanctions on Sberbank of Russia on Tuesday. "
          "Iran's National Iranian Tanker Company shipped drones to Russia, officials said.")


@pytest.fixture
def screened(db_url: str, tmp_path: Path, extractor: Extractor) -> str:
    for name in ("sdn_2024-05-03_excerpt.csv", "un_consolidated_2018-10-29_excerpt.xml"):
        result = runner.invoke(app, ["lists", "import", str(FIXTURES / name), "--db", db_url])
        assert result.exit_code == 0, result.output
    (tmp_path / "report.txt").write_text(REPORT)
    with Store.open(db_url) as store:
        summary = Pipeline(store, extractor=extractor).run([str(tmp_path / "report.txt")])
        assert summary.actors_screened >= 1
    return db_url


def test_the_reporting_shows_who_is_listed(screened: str) -> None:
    with Store.open(screened) as store:
        facts = service.facts(store, type="sanction")
        targets = [e for f in facts for e in f["roles"].get("target", [])]
        sberbank = next(e for e in targets if "Sberbank" in e["name"])
        listing = sberbank["sanctions"][0]
        assert listing["list"] == "us_ofac_sdn" and listing["entry_id"] == "17018"
        assert "RUSSIA-EO14024" in listing["programs"]
        assert "SBERBANK" in listing["name"] and listing["explanation"]
    actors = runner.invoke(app, ["screen", "--actors", "--db", screened, "-f", "json"])
    assert actors.exit_code == 0, actors.output
    names = {a["name"]: a for a in json.loads(actors.stdout)}
    assert any("Sberbank" in n for n in names)


def test_screen_a_name_with_explanation(screened: str) -> None:
    result = runner.invoke(app, ["screen", "Sberbank of Russia", "--db", screened, "-f", "json",
                                 "--schema", "Organization"])
    assert result.exit_code == 0, result.output
    best = json.loads(result.stdout)[0]
    assert best["entry_id"] == "17018" and best["score"] >= 0.9
    assert "Sberbank" in best["explanation"] or "SBERBANK" in best["explanation"]
    assert best["features"] and all(f["detail"] for f in best["features"])


def test_a_person_query_never_matches_a_vessel(screened: str) -> None:
    result = runner.invoke(app, ["screen", "Artavil", "--db", screened, "-f", "json", "--schema", "Person"])
    assert all(m["schema"] != "Vessel" for m in json.loads(result.stdout))
    vessel = json.loads(runner.invoke(app, ["screen", "Artavil", "--db", screened, "-f", "json",
                                            "--schema", "Vessel"]).stdout)
    assert vessel and vessel[0]["entry_id"] == "15036"


def test_original_script_names_find_their_latin_listing(screened: str) -> None:
    result = runner.invoke(app, ["screen", "عبدالغنی برادر", "--db", screened, "-f", "json"])
    assert result.exit_code == 0, result.output
    matches = json.loads(result.stdout)
    assert matches and "BARADAR" in matches[0]["name"].upper()


def test_batch_screening_to_csv(screened: str, tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text("name,schema,country\nSberbank of Russia,Organization,RU\nJane Q. Nobody,Person,\n")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["screen", "--file", str(names), "--db", screened, "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert rows[0]["query"] == "Sberbank of Russia" and rows[0]["entry_id"] == "17018"
    assert [r for r in rows if r["query"] == "Jane Q. Nobody"][0]["rank"] == "0"


def test_compare_pairs_writes_score_and_match(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("name1,name2,schema,is_match\nOlaf Scholze,Olaf Scholz,Person,true\n"
                     "Angelo Cruz,Angela Merkel,Person,false\n")
    result = runner.invoke(app, ["compare", "--pairs", str(pairs)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["match"] for r in rows] == ["true", "false"]
    assert float(rows[0]["score"]) > float(rows[1]["score"])
    assert rows[0]["is_match"] == "true"  # the input columns come back


def test_usage_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.db")
    none_loaded = runner.invoke(app, ["screen", "Someone", "--db", db])
    assert none_loaded.exit_code == 1 and "no sanctions list" in none_loaded.stderr
    assert runner.invoke(app, ["screen", "--db", db]).exit_code == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["compare", "--pairs", str(bad)])
    assert result.exit_code == 2 and "name1" in result.stderr
