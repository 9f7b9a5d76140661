"""The command line's contract for meetings and actions: list, show, export ics."""

from __future__ import annotations

import json

import pytest
import vobject
from icalendar import Calendar

from perr_desktop.cli import main
from perr_desktop.storage.database import open_database
from tests.services.test_calendar import build
from tests.test_cli import assert_one_line_error, run

UNKNOWN = "00000000-0000-4000-8000-000000000000"

MEETING_LIST_FIELDS = {"id", "council_id", "council_name", "title", "kind", "starts_at",
                       "ends_at", "venue", "cancelled", "minutes_status"}
ACTION_LIST_FIELDS = {"id", "council_id", "meeting_id", "text", "status", "due", "assignee"}


@pytest.fixture
def filled(db_path):
    """The calendar tests' councils and meetings, built through the services, then closed."""
    with open_database(db_path) as db:
        ids = build(db)
    return {"path": db_path, "db": str(db_path), **ids}


def usage_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as excinfo:
        main(list(argv))
    assert excinfo.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    return err


# -- list meetings ---------------------------------------------------------------------------

def test_list_meetings_json(capsys, filled):
    code, out, err = run(capsys, "list", "meetings", "--db", filled["db"], "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [m["id"] for m in data] == [filled["summer"], filled["cancelled"], filled["other"],
                                       filled["winter"]]
    for item in data:
        assert MEETING_LIST_FIELDS <= item.keys()
    by_id = {m["id"]: m for m in data}
    winter = by_id[filled["winter"]]
    assert winter["starts_at"] == "2026-11-26T18:30:00+01:00"
    assert winter["ends_at"] == "2026-11-26T20:30:00+01:00"
    assert winter["council_id"] == filled["champ"]
    assert winter["council_name"] == "Champ de Manœuvre"
    assert winter["title"] == "Séance plénière d'automne"
    assert winter["kind"] == "pleniere"
    assert winter["venue"] == "Maison de quartier du Champ de Manœuvre"
    assert winter["cancelled"] is False
    assert winter["minutes_status"] == "brouillon"
    summer = by_id[filled["summer"]]
    assert summer["starts_at"] == "2026-06-18T18:30:00+02:00"
    assert summer["ends_at"] is None
    assert summer["venue"] == "Square de L'Étang des Moines"
    assert by_id[filled["cancelled"]]["cancelled"] is True


def test_list_meetings_of_a_council_includes_those_it_is_invited_to(capsys, filled):
    _, out, _ = run(capsys, "list", "meetings", "--db", filled["db"], "--json",
                    "--council", filled["etang"])
    assert [m["id"] for m in json.loads(out)] == [filled["winter"]]
    _, out, _ = run(capsys, "list", "meetings", "--db", filled["db"], "--json",
                    "--council", filled["champ"])
    assert [m["id"] for m in json.loads(out)] == [filled["summer"], filled["cancelled"],
                                                  filled["winter"]]


def test_list_meetings_search(capsys, filled):
    _, out, _ = run(capsys, "list", "meetings", "--db", filled["db"], "--json",
                    "--search", "seance pleniere")
    assert [m["id"] for m in json.loads(out)] == [filled["winter"]]


def test_list_meetings_as_a_table(capsys, filled):
    code, out, _ = run(capsys, "list", "meetings", "--db", filled["db"])
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 5  # header and four meetings
    assert filled["winter"] in lines[4]
    assert "2026-11-26T18:30:00+01:00" in lines[4]
    assert "Séance plénière d'automne" in lines[4]


# -- list actions ----------------------------------------------------------------------------

def test_list_actions_json(capsys, filled):
    code, out, err = run(capsys, "list", "actions", "--db", filled["db"], "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [a["id"] for a in data] == [filled["summer_action"], filled["action"]]
    for item in data:
        assert ACTION_LIST_FIELDS <= item.keys()
    summer, winter = data
    assert summer == {**summer, "council_id": filled["champ"], "meeting_id": filled["summer"],
                      "text": "Demander un banc près de l'arrêt de bus", "status": "en_cours",
                      "due": "2026-09-30", "assignee": "Mairie de Soyaux"}
    assert winter["assignee"] == "Hélène Garnier"
    assert winter["due"] == "2026-12-15"
    assert winter["status"] == "a_faire"


def test_list_actions_of_a_council(capsys, filled):
    _, out, _ = run(capsys, "list", "actions", "--db", filled["db"], "--json",
                    "--council", filled["etang"])
    assert json.loads(out) == []
    _, out, _ = run(capsys, "list", "actions", "--db", filled["db"], "--json",
                    "--council", filled["champ"])
    assert len(json.loads(out)) == 2


def test_list_actions_as_a_table(capsys, filled):
    code, out, _ = run(capsys, "list", "actions", "--db", filled["db"], "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert "in progress" in lines[1]
    assert "Écrire au bailleur" in lines[2]


# -- show meeting ----------------------------------------------------------------------------

def test_show_meeting_json(capsys, filled):
    code, out, err = run(capsys, "show", "meeting", filled["winter"], "--db", filled["db"],
                         "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["id"] == filled["winter"]
    assert data["council_id"] == filled["champ"]
    assert data["council_name"] == "Champ de Manœuvre"
    assert data["title"] == "Séance plénière d'automne"
    assert (data["kind"], data["kind_label"]) == ("pleniere", "Séance plénière")
    assert data["starts_at"] == "2026-11-26T18:30:00+01:00"
    assert data["ends_at"] == "2026-11-26T20:30:00+01:00"
    assert data["venue"] == "Maison de quartier du Champ de Manœuvre"
    assert data["cancelled"] is False
    assert data["minutes_status"] == "brouillon"
    assert data["guest_council_ids"] == [filled["etang"]]
    assert data["objective_codes"] == []

    assert [(i["title"], i["position"], i["duration_minutes"], i["presenter"])
            for i in data["agenda"]] == [
        ("Accueil et émargement", 1, 15, "Hélène Garnier"),
        ("Budget participatif « Champ de Manœuvre »", 2, 45, "")]
    assert {"objective_code", "notes"} <= data["agenda"][0].keys()

    attendance = {a["person_id"]: a for a in data["attendance"]}
    assert attendance.keys() == {filled["helene"], filled["karim"], filled["zoe"],
                                 filled["noemie"]}  # the guest council's member is invited
    karim = attendance[filled["karim"]]
    assert karim == {**karim, "name": "Karim Benali", "status": "represente", "invited": True,
                     "member": True, "proxy_person_id": filled["helene"],
                     "proxy_name": "Hélène Garnier"}
    assert attendance[filled["helene"]]["status"] == "present"
    assert attendance[filled["noemie"]]["status"] is None

    [decision] = data["decisions"]
    assert decision == {**decision, "text": "Le conseil soutient le projet de jardin partagé.",
                        "agenda_item_id": filled["budget"], "votes_for": 7,
                        "votes_against": 1, "votes_abstain": 2}
    [action] = data["actions"]
    assert action == {**action, "id": filled["action"], "status": "a_faire",
                      "due": "2026-12-15", "assignee": "Hélène Garnier",
                      "agenda_item_id": filled["budget"],
                      "text": "Écrire au bailleur pour l'éclairage du hall"}
    assert data["headcounts"] == [{"gender": "femme", "age_band": "16_25",
                                   "lives_in_qpv": True, "first_time": True, "count": 3}]
    summary = data["summary"]
    assert (summary["present"], summary["represented"], summary["excused"],
            summary["counted"]) == (1, 1, 1, 3)
    [outstanding] = data["outstanding"]
    assert outstanding == {**outstanding, "id": filled["summer_action"],
                           "status_here": "en_cours", "note": "Relancé en octobre"}


def test_show_summer_meeting_has_offset_and_no_end(capsys, filled):
    _, out, _ = run(capsys, "show", "meeting", filled["summer"], "--db", filled["db"],
                    "--json")
    data = json.loads(out)
    assert data["starts_at"] == "2026-06-18T18:30:00+02:00"
    assert data["ends_at"] is None
    assert data["agenda"] == data["decisions"] == data["outstanding"] == []


def test_show_meeting_as_text(capsys, filled):
    code, out, _ = run(capsys, "show", "meeting", filled["winter"], "--db", filled["db"])
    assert code == 0
    lines = out.splitlines()
    assert "title: Séance plénière d'automne" in lines
    assert f"guest_council_ids: {filled['etang']}" in lines
    assert "summary:" in lines
    assert "  present: 1" in lines
    assert "agenda:" in lines
    assert not any(line.startswith("summary: {") for line in lines)


@pytest.mark.parametrize("record_id", [UNKNOWN, "pas-un-id"])
def test_show_unknown_meeting(capsys, filled, record_id):
    before = filled["path"].read_bytes()
    code, out, err = run(capsys, "show", "meeting", record_id, "--db", filled["db"], "--json")
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert record_id in err
    assert filled["path"].read_bytes() == before


# -- export ics ------------------------------------------------------------------------------

def test_export_one_meeting(capsys, filled, tmp_path):
    target = tmp_path / "plénière.ics"
    code, out, err = run(capsys, "export", "ics", "--meeting", filled["winter"],
                         "--db", filled["db"], "-o", str(target))
    assert (code, err) == (0, "")
    assert str(target) in out
    cal = Calendar.from_ical(target.read_bytes())
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == f"{filled['winter']}@perr-desktop"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert str(cal["X-WR-CALNAME"]) == "Champ de Manœuvre"
    assert vobject.readOne(target.read_text(encoding="utf-8")).vevent.summary.value == (
        "Séance plénière d'automne — Champ de Manœuvre")


def test_export_a_council_twice_gives_the_same_events(capsys, filled, tmp_path):
    target = tmp_path / "champ.ics"
    uids = []
    for _ in range(2):
        code, _out, _err = run(capsys, "export", "ics", "--council", filled["champ"],
                               "--db", filled["db"], "--output", str(target))
        assert code == 0
        uids.append(sorted(str(e["UID"]) for e in
                           Calendar.from_ical(target.read_bytes()).walk("VEVENT")))
    assert uids[0] == uids[1]
    assert len(uids[0]) == 3
    statuses = {str(e["UID"]): str(e["STATUS"])
                for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT")}
    assert statuses[f"{filled['cancelled']}@perr-desktop"] == "CANCELLED"


def test_export_accepts_db_before_the_command_and_follows_lang(capsys, filled, tmp_path):
    target = tmp_path / "a.ics"
    code, out, _ = run(capsys, "--db", filled["db"], "--lang", "en", "export", "ics",
                       "--meeting", filled["winter"], "-o", str(target))
    assert code == 0
    assert out == f"1 meeting written to {target}.\n"
    [event] = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert str(event["DESCRIPTION"]).startswith("Plenary session\n\nAgenda:\n1. ")


def test_export_guest_council(capsys, filled, tmp_path):
    target = tmp_path / "etang.ics"
    code, _, _ = run(capsys, "export", "ics", "--council", filled["etang"], "--db",
                     filled["db"], "-o", str(target))
    assert code == 0
    [event] = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert str(event["UID"]) == f"{filled['winter']}@perr-desktop"


@pytest.mark.parametrize("option", ["--meeting", "--council"])
def test_export_unknown_id_exits_1(capsys, filled, tmp_path, option):
    target = tmp_path / "a.ics"
    before = filled["path"].read_bytes()
    code, out, err = run(capsys, "export", "ics", option, UNKNOWN, "--db", filled["db"],
                         "-o", str(target))
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert not target.exists()
    assert filled["path"].read_bytes() == before


def test_export_unknown_meeting_names_it(capsys, filled, tmp_path):
    _, _, err = run(capsys, "export", "ics", "--meeting", UNKNOWN, "--db", filled["db"],
                    "-o", str(tmp_path / "a.ics"))
    assert UNKNOWN in err


def test_export_into_a_missing_folder_exits_1(capsys, filled, tmp_path):
    target = tmp_path / "absent" / "a.ics"
    code, out, err = run(capsys, "export", "ics", "--meeting", filled["winter"],
                         "--db", filled["db"], "-o", str(target))
    assert code == 1
    assert out == ""
    assert_one_line_error(err)
    assert str(target) in err


def test_export_from_a_missing_database_exits_1(capsys, tmp_path):
    db = tmp_path / "absent.sqlite"
    code, _, err = run(capsys, "export", "ics", "--council", UNKNOWN, "--db", str(db),
                       "-o", str(tmp_path / "a.ics"))
    assert code == 1
    assert_one_line_error(err)
    assert not db.exists()
    assert not (tmp_path / "a.ics").exists()


@pytest.mark.parametrize("argv", [
    ["export", "ics", "--meeting", "x", "--council", "y", "-o", "a.ics"],  # both
    ["export", "ics", "-o", "a.ics"],                                     # neither
    ["export", "ics", "--meeting", "x"],                                  # no -o
    ["export", "ics", "--meeting", "-o", "a.ics"],                        # no id
    ["export", "--meeting", "x", "-o", "a.ics"],                          # no kind
    ["export", "pdf", "--meeting", "x", "-o", "a.ics"],                   # unknown kind
    ["list", "meeting"],
    ["show", "meetings", "x"],
])
def test_export_usage_errors_exit_2(capsys, filled, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    err = usage_error(capsys, *argv, "--db", filled["db"])
    assert err.startswith("utilisation : perr-desktop")
    assert "erreur :" in err
    assert not (tmp_path / "a.ics").exists()


def test_both_options_are_refused_in_english(capsys, filled, tmp_path):
    err = usage_error(capsys, "--lang", "en", "export", "ics", "--meeting", "x",
                      "--council", "y", "--db", filled["db"], "-o", str(tmp_path / "a.ics"))
    assert "argument --council: not allowed with argument --meeting" in err
    err = usage_error(capsys, "--lang", "en", "export", "ics", "--db", filled["db"],
                      "-o", str(tmp_path / "a.ics"))
    assert "one of the arguments --meeting --council is required" in err
