"""The command line's contract for walks: list walks and observations, show a walk, and
the three walk documents of `report`."""

from __future__ import annotations

import json

import pytest

from perr_desktop.services import followups
from perr_desktop.storage.database import open_database
from tests.reports.test_walk_reports import (
    LAMP,
    OBSERVATIONS,
    STOPS,
    TODAY,
    follow_up,
    make_walk,
    text,
)
from tests.test_cli import assert_one_line_error, run

UNKNOWN = "00000000-0000-4000-8000-000000000000"
WALK_LIST_FIELDS = {"id", "council_id", "council_name", "date", "title", "period",
                    "observation_count", "photo_count"}
OBSERVATION_LIST_FIELDS = {"id", "walk_id", "council_id", "number", "theme", "positive",
                           "text", "priority", "stop"}
WALK_FIELDS = {"id", "council_id", "date", "title", "period", "stops", "observations",
               "photos"}
STOP_FIELDS = {"id", "position", "name", "address", "lat", "lon"}
OBSERVATION_FIELDS = {"id", "number", "theme", "positive", "text", "photos", "followups"}
FOLLOWUP_FIELDS = {"body", "status", "steps"}
STEP_FIELDS = {"date", "status", "channel", "note", "next_reminder"}
PHOTO_FIELDS = {"id", "sha256", "taken_at", "lat", "lon", "width", "height", "identifiable"}


@pytest.fixture
def saved(db_path, monkeypatch):
    """The walk of the report tests, with its follow-up steps, in a closed database."""
    monkeypatch.setattr(followups, "_today", lambda: TODAY)
    with open_database(db_path) as db:
        ids = make_walk(db)
        follow_up(db, ids)
    return {"db": str(db_path), **ids}


# -- list and show ---------------------------------------------------------------------

def test_list_walks_json(capsys, saved):
    code, out, err = run(capsys, "list", "walks", "--db", saved["db"], "--json")
    assert (code, err) == (0, "")
    [item] = json.loads(out)
    assert item.keys() >= WALK_LIST_FIELDS
    assert item["id"] == saved["walk"]
    assert item["council_id"] == saved["council"]
    assert item["council_name"] == "Champ de Manœuvre"
    assert item["date"] == "2026-11-26"
    assert item["title"] == "Diagnostic nocturne du Champ de Manœuvre"
    assert item["period"] == "nuit"
    assert item["observation_count"] == len(OBSERVATIONS)
    assert item["photo_count"] == 8


def test_list_walks_of_another_council(capsys, saved):
    code, out, _err = run(capsys, "list", "walks", "--db", saved["db"], "--json",
                          "--council", UNKNOWN)
    assert code == 0 and json.loads(out) == []


def test_list_walks_as_a_table(capsys, saved):
    code, out, _err = run(capsys, "list", "walks", "--db", saved["db"])
    assert code == 0
    assert saved["walk"] in out and "Diagnostic nocturne du Champ de Manœuvre" in out


def test_list_observations_json(capsys, saved):
    code, out, err = run(capsys, "list", "observations", "--db", saved["db"], "--json",
                         "--council", saved["council"])
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [o["number"] for o in data] == list(range(1, len(OBSERVATIONS) + 1))
    for item in data:
        assert item.keys() >= OBSERVATION_LIST_FIELDS
        assert item["walk_id"] == saved["walk"] and item["council_id"] == saved["council"]
        assert isinstance(item["positive"], bool)
    lamp = data[1]
    assert lamp["id"] == saved["observations"][1]
    assert (lamp["theme"], lamp["positive"], lamp["text"], lamp["priority"], lamp["stop"]) == \
        ("eclairage", False, LAMP, 1, STOPS[1][0])
    assert data[0]["positive"] is True and data[0]["priority"] is None
    assert data[-1]["stop"] is None                     # noted between two stops


def test_list_observations_search(capsys, saved):
    code, out, _err = run(capsys, "list", "observations", "--db", saved["db"], "--json",
                          "--search", "lampadaire eteint")
    assert code == 0
    assert [o["number"] for o in json.loads(out)] == [2]


def test_show_walk_json(capsys, saved):
    code, out, err = run(capsys, "show", "walk", saved["walk"], "--db", saved["db"], "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data.keys() >= WALK_FIELDS
    assert (data["id"], data["council_id"], data["date"], data["title"], data["period"]) == \
        (saved["walk"], saved["council"], "2026-11-26",
         "Diagnostic nocturne du Champ de Manœuvre", "nuit")

    assert [s["id"] for s in data["stops"]] == saved["stops"]
    for position, (stop, (name, address, _x, _y)) in enumerate(
            zip(data["stops"], STOPS, strict=True), start=1):
        assert stop.keys() >= STOP_FIELDS
        assert (stop["position"], stop["name"], stop["address"]) == (position, name, address)
        assert stop["lat"] is None and stop["lon"] is None

    assert [o["id"] for o in data["observations"]] == saved["observations"]
    for observation in data["observations"]:
        assert observation.keys() >= OBSERVATION_FIELDS
        assert isinstance(observation["positive"], bool)
        for item in observation["followups"]:
            assert item.keys() >= FOLLOWUP_FIELDS
            for step in item["steps"]:
                assert step.keys() >= STEP_FIELDS
    lamp = data["observations"][1]
    assert (lamp["number"], lamp["theme"], lamp["positive"], lamp["text"]) == \
        (2, "eclairage", False, LAMP)
    assert lamp["photos"] == [saved["photos"]["lamp"], saved["photos"]["lamp2"]]
    [city] = lamp["followups"]
    assert (city["body"], city["status"]) == ("ville", "programme")
    assert city["steps"] == [
        {"date": "2026-12-03", "status": "transmis", "channel": "courrier",
         "note": "Courrier au maire", "next_reminder": "2027-01-03"},
        {"date": "2027-01-10", "status": "programme", "channel": "reponse_ecrite",
         "note": "Remplacement programmé en mars", "next_reminder": "2027-04-01"},
    ]
    bus = data["observations"][5]
    assert [(f["body"], f["status"], f["steps"]) for f in bus["followups"]][1] == \
        ("ville", "a_transmettre", [])

    by_id = {p["id"]: p for p in data["photos"]}
    assert set(by_id) == set(saved["photos"].values())
    for photo in data["photos"]:
        assert photo.keys() >= PHOTO_FIELDS
        assert len(photo["sha256"]) == 64
        assert isinstance(photo["identifiable"], bool)
    assert by_id[saved["photos"]["children"]]["identifiable"] is True
    assert by_id[saved["photos"]["lamp"]]["identifiable"] is False
    assert by_id[saved["photos"]["lamp"]]["taken_at"] == "2026-11-26T20:47:12"
    assert (by_id[saved["photos"]["lamp"]]["width"],
            by_id[saved["photos"]["lamp"]]["height"]) == (640, 480)


def test_show_walk_as_text(capsys, saved):
    code, out, _err = run(capsys, "show", "walk", saved["walk"], "--db", saved["db"])
    assert code == 0 and LAMP in out


def test_show_unknown_walk(capsys, saved):
    code, out, err = run(capsys, "show", "walk", UNKNOWN, "--db", saved["db"], "--json")
    assert code == 1 and out == ""
    assert_one_line_error(err)
    assert UNKNOWN in err


# -- report ----------------------------------------------------------------------------

def test_report_walk(capsys, saved, tmp_path):
    out = tmp_path / "restitution.pdf"
    code, stdout, err = run(capsys, "report", "walk", saved["walk"], "--db", saved["db"],
                            "-o", str(out))
    assert code == 0, err
    content = text(out.read_bytes())
    assert "jeudi 26 novembre 2026" in content and LAMP in content
    assert "Sortie d'école au passage piéton" not in content
    assert str(out) in stdout


def test_report_walk_in_english_with_identifiable_photos(capsys, saved, tmp_path):
    out = tmp_path / "report.pdf"
    code, _out, err = run(capsys, "report", "walk", saved["walk"], "--db", saved["db"],
                          "-o", str(out), "--lang", "en", "--include-identifiable")
    assert code == 0, err
    content = text(out.read_bytes())
    assert "Thursday, 26 November 2026" in content
    assert "Sortie d'école au passage piéton" in content


def test_report_body_dossier(capsys, saved, tmp_path):
    out = tmp_path / "bailleur.pdf"
    code, _out, err = run(capsys, "report", "body-dossier", saved["walk"], "--body",
                          "Bailleur social", "--db", saved["db"], "-o", str(out))
    assert code == 0, err
    content = text(out.read_bytes())
    assert "Hall B : porte d'entrée" in content and LAMP not in content


def test_report_body_dossier_unknown_body(capsys, saved, tmp_path):
    out = tmp_path / "x.pdf"
    code, _out, err = run(capsys, "report", "body-dossier", saved["walk"], "--body",
                          "Mairie annexe", "--db", saved["db"], "-o", str(out))
    assert code == 1
    assert_one_line_error(err)
    assert "Mairie annexe" in err and "Bailleur social" in err
    assert not out.exists()


def test_report_followup(capsys, saved, tmp_path):
    out = tmp_path / "suivi.pdf"
    code, _out, err = run(capsys, "report", "followup", saved["council"], "--db", saved["db"],
                          "-o", str(out))
    assert code == 0, err
    assert "Envoyé au gestionnaire de secteur" in text(out.read_bytes())


@pytest.mark.parametrize(("kind", "key"), [("walk", "walk"), ("body-dossier", "walk"),
                                           ("followup", "council")])
def test_report_unknown_id(capsys, saved, tmp_path, kind, key):
    out = tmp_path / "x.pdf"
    extra = ["--body", "ville"] if kind == "body-dossier" else []
    code, _out, err = run(capsys, "report", kind, UNKNOWN, *extra, "--db", saved["db"],
                          "-o", str(out))
    assert code == 1
    assert_one_line_error(err)
    assert not out.exists()
    assert list(tmp_path.glob(".*")) == []


@pytest.mark.parametrize("argv", [
    ["body-dossier", "WALK"],                              # --body missing
    ["walk", "WALK", "--body", "ville"],                   # --body is for the dossier
    ["walk", "WALK", "--poster"],
    ["minutes", "WALK", "--include-identifiable"],
    ["followup", "COUNCIL", "--include-identifiable"],
])
def test_report_options_of_another_kind(capsys, saved, tmp_path, argv):
    argv = [saved["walk"] if a == "WALK" else saved["council"] if a == "COUNCIL" else a
            for a in argv]
    out = tmp_path / "x.pdf"
    code, stdout, err = run(capsys, "report", *argv, "--db", saved["db"], "-o", str(out))
    assert code == 2
    assert stdout == ""
    assert_one_line_error(err)
    assert not out.exists()
