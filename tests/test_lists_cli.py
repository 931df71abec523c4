"""`armswatch lists`, `lists import`, `lists diff` as a user runs them, on real list files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armswatch.cli.main import app

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sanctions"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "sanctions"
SDN_EXCERPT = FIXTURES / "sdn_2024-05-03_excerpt.csv"
UN_EXCERPT = FIXTURES / "un_consolidated_2018-10-29_excerpt.xml"
runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def shared(name: str) -> str:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{path} is not here (../shared beside the checkout)")
    return str(path)


def test_import_show_and_import_again(db_url: str) -> None:
    first = invoke("lists", "import", str(SDN_EXCERPT), "--db", db_url)
    assert first.exit_code == 0, first.output
    assert "us_ofac_sdn: version 1" in first.stdout
    again = invoke("lists", "import", str(SDN_EXCERPT), "--db", db_url)
    assert again.exit_code == 0 and "nothing imported" in again.stdout
    un = invoke("lists", "import", str(UN_EXCERPT), "--db", db_url)
    assert un.exit_code == 0 and "un_sc: version 2" in un.stdout
    shown = json.loads(invoke("lists", "--db", db_url, "-f", "json").stdout)
    assert [(v["list"], v["id"], v["current"]) for v in shown] == [("un_sc", 2, True),
                                                                   ("us_ofac_sdn", 1, True)]
    assert shown[0]["published"] == "2018-10-29"


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2018-10-29"><INDIVIDUALS><INDIVIDUAL>',
     "ends at line"),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
     b"<sdnList><sdnEntry>&lol2;</sdnEntry></sdnList>", "entit"),
])
def test_bad_files_are_refused_and_nothing_changes(db_url: str, tmp_path: Path, content: bytes,
                                                   message: str) -> None:
    assert invoke("lists", "import", str(UN_EXCERPT), "--db", db_url).exit_code == 0
    bad = tmp_path / "bad.xml"
    bad.write_bytes(content)
    result = invoke("lists", "import", str(bad), "--db", db_url, "--format", "un_xml")
    assert result.exit_code == 1
    assert "bad.xml" in result.stderr and message in result.stderr.lower()
    shown = json.loads(invoke("lists", "--db", db_url, "-f", "json").stdout)
    assert [v["id"] for v in shown] == [1]


def test_a_much_smaller_list_is_refused_unless_forced(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    full = shared("ofac_sdn_2024-05-03.csv")
    assert invoke("lists", "import", full, "--db", db).exit_code == 0
    refused = invoke("lists", "import", str(SDN_EXCERPT), "--db", db)
    assert refused.exit_code == 1 and "Nothing was stored" in refused.stderr
    assert "14,965" in refused.stderr
    forced = invoke("lists", "import", str(SDN_EXCERPT), "--db", db, "--force")
    assert forced.exit_code == 0 and "(was 14,965)" in forced.stdout


def test_gzipped_snapshot_and_known_sdn_diff(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    older = tmp_path / "sdn_2024-04-04.csv.gz"
    older.write_bytes(gzip.compress(Path(shared("ofac_sdn_2024-04-04.csv")).read_bytes()))
    assert invoke("lists", "import", str(older), "--db", db).exit_code == 0
    assert invoke("lists", "import", shared("ofac_sdn_2024-05-03.csv"), "--db", db).exit_code == 0
    result = invoke("lists", "diff", "us_ofac_sdn", "--db", db, "-f", "json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)[0]
    assert (len(changes["added"]), len(changes["removed"]), len(changes["changed"])) == (403, 12, 10)
    table = invoke("lists", "diff", "us_ofac_sdn", "1", "2", "--db", db)
    assert "403 added, 12 removed, 10 changed" in table.stdout.replace("\n", " ")


def test_known_un_diff_without_version_numbers(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    for name in ("un_consolidated_2018-08-24.xml", "un_consolidated_2018-10-29.xml"):
        assert invoke("lists", "import", shared(name), "--db", db).exit_code == 0
    changes = json.loads(invoke("lists", "diff", "un_sc", "--db", db, "-f", "json").stdout)[0]
    assert (len(changes["added"]), len(changes["removed"]), len(changes["changed"])) == (3, 8, 9)
    assert {c["entry_id"] for c in changes["changed"]} >= {"LYi.021", "KPe.023"}


def test_diff_usage_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "e.db")
    assert invoke("lists", "diff", "us_ofac_sdn", "--db", db).exit_code == 1
    assert invoke("lists", "diff", "us_ofac_sdn", "1", "--db", db).exit_code == 2
