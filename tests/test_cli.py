"""The command line's contract (ARCHITECTURE.md): check, list and show."""

from __future__ import annotations

import gc
import json
import sqlite3
from pathlib import Path

import pytest

from perr_desktop import __version__
from perr_desktop.cli import main
from perr_desktop.services import councils
from perr_desktop.services import people as people_service
from perr_desktop.storage import migrations
from perr_desktop.storage.database import open_database
from perr_desktop.storage.ids import reference_id


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def sidecars(path: Path) -> list[str]:
    return sorted(
        p.name for p in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal"))
        if p.exists()
    )


def assert_one_line_error(err: str) -> None:
    assert err.endswith("\n")
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    assert err.strip()


@pytest.fixture
def filled(db_path):
    """A database filled through the services, then closed."""
    with open_database(db_path) as db:
        ma_campagne = councils.create_council(
            db, "Conseil citoyen de Ma Campagne", status="actif",
            neighbourhood_ids=[reference_id("neighbourhood", "ma-campagne")],
        )
        bel_air = councils.create_council(db, "Conseil citoyen de Bel-Air")
        helene = people_service.create_person(db, first_name="Hélène", last_name="Garnier",
                                              organisation="Centre social")
        karim = people_service.create_person(db, first_name="Karim", last_name="Benali")
        people_service.add_membership(db, ma_campagne, helene, "habitants", role="referent")
        people_service.add_membership(db, bel_air, karim, "acteurs_locaux")
    return {"path": db_path, "ma_campagne": ma_campagne, "bel_air": bel_air,
            "helene": helene, "karim": karim}


@pytest.fixture
def future_db(db_path):
    open_database(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1:d}")
    conn.close()
    return db_path


# -- version and usage ---------------------------------------------------------------------

def test_a_command_runs_with_the_garbage_collector(capsys, db_path, monkeypatch):
    """The collector is off while the arguments are read (the window's start keeps it
    off until its first paint), on for any command, and on again afterwards."""
    from perr_desktop import cli

    seen: list[bool] = []
    real = cli.cmd_list
    monkeypatch.setattr(cli, "cmd_list", lambda args: seen.append(gc.isenabled())
                        or real(args))
    open_database(db_path).close()
    code, _out, _err = run(capsys, "--db", str(db_path), "list", "councils")
    assert code == 0 and seen == [True] and gc.isenabled()


def test_version(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["--version"])
    assert excinfo.value.code == 0
    assert gc.isenabled()          # off only while the window starts
    out, err = capsys.readouterr()
    assert out == f"PERR Desktop {__version__}\n"
    assert __version__ == "0.1.0"
    assert err == ""


@pytest.mark.parametrize("argv", [
    ["list", "meetingz"],
    ["show", "counsil", "x"],
    ["list"],
    ["show", "person"],
    ["check", "--lang", "de"],
])
def test_usage_errors_exit_2(capsys, filled, argv):
    with pytest.raises(SystemExit) as excinfo:
        main([*argv, "--db", str(filled["path"])])
    assert excinfo.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("utilisation : perr-desktop")  # French by default, argparse too
    assert "erreur :" in err


def test_usage_errors_follow_lang(capsys, filled):
    with pytest.raises(SystemExit) as excinfo:
        main(["list", "meetingz", "--lang", "en", "--db", str(filled["path"])])
    assert excinfo.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: perr-desktop")
    assert "invalid choice: 'meetingz'" in err


# -- check -----------------------------------------------------------------------------------

def test_check_healthy(capsys, filled):
    code, out, err = run(capsys, "check", "--db", str(filled["path"]))
    assert code == 0
    assert str(filled["path"]) in out
    assert err == ""


def test_check_accepts_db_before_the_command(capsys, filled):
    code, _, err = run(capsys, "--db", str(filled["path"]), "check")
    assert (code, err) == (0, "")


def test_check_text_file(capsys, tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("Compte rendu de la séance\n", encoding="utf-8")
    before = path.read_bytes()
    code, out, err = run(capsys, "check", "--db", str(path))
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert str(path) in err
    assert path.read_bytes() == before
    assert sidecars(path) == []


def test_check_newer_schema(capsys, future_db):
    before = future_db.read_bytes()
    code, out, err = run(capsys, "check", "--db", str(future_db))
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert str(migrations.LATEST_VERSION + 1) in err
    assert future_db.read_bytes() == before


def test_check_missing_file(capsys, tmp_path):
    path = tmp_path / "absent.sqlite"
    code, out, err = run(capsys, "check", "--db", str(path))
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert str(path) in err
    assert not path.exists()


# -- list ------------------------------------------------------------------------------------

def test_list_councils_json(capsys, filled):
    code, out, err = run(capsys, "list", "councils", "--db", str(filled["path"]), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [c["name"] for c in data] == [
        "Conseil citoyen de Bel-Air", "Conseil citoyen de Ma Campagne"]
    by_id = {c["id"]: c for c in data}
    assert by_id.keys() == {filled["ma_campagne"], filled["bel_air"]}
    ma_campagne = by_id[filled["ma_campagne"]]
    assert ma_campagne["status"] == "actif"
    assert [n["name"] for n in ma_campagne["neighbourhoods"]] == ["Ma Campagne"]
    assert ma_campagne["member_count"] == 1
    assert by_id[filled["bel_air"]]["status"] == "en_creation"


def test_list_councils_json_in_english(capsys, filled):
    code, out, _ = run(capsys, "--lang", "en", "list", "councils", "--db", str(filled["path"]),
                       "--json")
    assert code == 0
    labels = {c["id"]: c["status_label"] for c in json.loads(out)}
    assert labels == {filled["ma_campagne"]: "active", filled["bel_air"]: "being set up"}


def test_list_people_json(capsys, filled):
    code, out, err = run(capsys, "list", "people", "--db", str(filled["path"]), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [(p["id"], p["name"]) for p in data] == [
        (filled["karim"], "Karim Benali"), (filled["helene"], "Hélène Garnier")]
    assert data[1]["organisation"] == "Centre social"
    assert data[1]["councils"] == "Conseil citoyen de Ma Campagne"


def test_list_people_filters(capsys, filled):
    path = str(filled["path"])
    _, out, _ = run(capsys, "list", "people", "--db", path, "--json", "--search", "helene")
    assert [p["id"] for p in json.loads(out)] == [filled["helene"]]
    _, out, _ = run(capsys, "list", "people", "--db", path, "--json",
                    "--council", filled["bel_air"])
    assert [p["id"] for p in json.loads(out)] == [filled["karim"]]


def test_list_as_a_table(capsys, filled):
    code, out, _ = run(capsys, "list", "councils", "--db", str(filled["path"]))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3  # header and two councils
    assert filled["bel_air"] in lines[1]
    assert "Conseil citoyen de Bel-Air" in lines[1]
    assert "Conseil citoyen de Ma Campagne" in lines[2]


def test_list_does_not_create_a_missing_database(capsys, tmp_path):
    path = tmp_path / "absent.sqlite"
    code, out, err = run(capsys, "list", "councils", "--db", str(path), "--json")
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert not path.exists()


def test_list_on_a_text_file_leaves_it_alone(capsys, tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("pas une base\n", encoding="utf-8")
    code, out, err = run(capsys, "list", "people", "--db", str(path), "--json")
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert path.read_text(encoding="utf-8") == "pas une base\n"
    assert sidecars(path) == []


def test_list_on_a_newer_database_leaves_it_alone(capsys, future_db):
    before = future_db.read_bytes()
    code, out, err = run(capsys, "list", "councils", "--db", str(future_db), "--json")
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert future_db.read_bytes() == before


# -- show ------------------------------------------------------------------------------------

def test_show_council_json(capsys, filled):
    code, out, err = run(capsys, "show", "council", filled["ma_campagne"],
                         "--db", str(filled["path"]), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["id"] == filled["ma_campagne"]
    assert data["name"] == "Conseil citoyen de Ma Campagne"
    assert [n["code"] for n in data["neighbourhoods"]] == ["ma-campagne"]
    assert [(m["person_id"], m["college"], m["role"]) for m in data["members"]] == [
        (filled["helene"], "habitants", "referent")]


def test_show_person_json(capsys, filled):
    code, out, err = run(capsys, "show", "person", filled["helene"],
                         "--db", str(filled["path"]), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["id"] == filled["helene"]
    assert data["name"] == "Hélène Garnier"
    assert [(m["council_id"], m["active"]) for m in data["memberships"]] == [
        (filled["ma_campagne"], True)]


def test_show_person_as_text(capsys, filled):
    code, out, _ = run(capsys, "show", "person", filled["helene"], "--db", str(filled["path"]))
    assert code == 0
    assert "name: Hélène Garnier" in out.splitlines()
    assert "memberships:" in out.splitlines()


@pytest.mark.parametrize("kind", ["person", "council"])
def test_show_unknown_id(capsys, filled, kind):
    before = filled["path"].read_bytes()
    code, out, err = run(capsys, "show", kind, "00000000-0000-4000-8000-000000000000",
                         "--db", str(filled["path"]), "--json")
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert "00000000-0000-4000-8000-000000000000" in err
    assert filled["path"].read_bytes() == before


def test_show_deleted_person_is_not_found(capsys, filled):
    with open_database(filled["path"]) as db:
        people_service.delete_person(db, filled["karim"])
    code, _, err = run(capsys, "show", "person", filled["karim"], "--db", str(filled["path"]))
    assert code == 1
    assert_one_line_error(err)
