"""Residents' privacy (journey 8): right of access, right to erasure checked in the raw
bytes of the database file and its WAL, retention of contact details."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from perr_desktop.cli import main
from perr_desktop.errors import NotFoundError, UserError
from perr_desktop.services import councils, meetings, people, privacy, walks
from perr_desktop.storage import records
from perr_desktop.storage.database import check_database
from tests.services.meetings_helpers import member, person

NAME = "Bérénice Quatrefages-Ullmann"
EMAIL = "b.quatrefages@exemple.fr"
PHONE = "06 12 34 56 78"
ADDRESS = "12 rue des Lilas, 16000 Angoulême"
# What must be found nowhere in the file after the erasure.
TRACES = ("Quatrefages", "quatrefages", "QUATREFAGES", "Ullmann", "ullmann", EMAIL,
          "b.quatrefages", "rue des Lilas", "06 12 34 56 78")

# An evening's minutes: the name on the first line, kilobytes of discussion after.
MINUTES = ("Mme Quatrefages-Ullmann signale les trottoirs défoncés rue de Basseau.\n"
           + "".join(f"Point {n} : la discussion porte sur l'éclairage, la propreté et les "
                     f"horaires du centre social ; le conseil en reparlera en séance.\n"
                     for n in range(1, 60)))


@pytest.fixture
def world(db):
    """Bérénice, member of the Basseau council: present at the first meeting (holding
    Hélène's proxy), excused at the second, represented by Karim at the third; an action
    in her name; named in the minutes, a decision, an agenda note, an observation, a
    photo caption; in a walk. Everything typed as on a laptop whose SQLite does not
    overwrite deleted text (Windows, macOS: secure_delete is off)."""
    db.execute("PRAGMA secure_delete = OFF")
    council = councils.create_council(db, "Basseau Grande-Garenne", status="actif")
    berenice = people.create_person(
        db, first_name="Bérénice", last_name="Quatrefages-Ullmann", gender="femme",
        email=EMAIL, phone=PHONE, address=ADDRESS, birth_year=1980, lives_in_qpv=1,
        consent_date="2024-01-10", consent_contact=1, consent_photos=0,
        notes="Préfère être appelée le soir.")
    membership = people.add_membership(db, council, berenice, "habitants",
                                       joined_on="2024-01-10")
    helene = member(db, council, "Hélène", "Garnier", gender="femme")
    karim = member(db, council, "Karim", "Benali", gender="homme")
    m1, m2, m3 = (meetings.plan_meeting(db, council, "pleniere", title, starts)
                  for title, starts in (("Plénière de janvier", "2026-01-15T18:30"),
                                        ("Plénière de mars", "2026-03-12T18:30"),
                                        ("Plénière de mai", "2026-05-21T18:30")))
    meetings.set_attendance(db, m1, berenice, "present")
    meetings.set_attendance(db, m1, karim, "present")
    meetings.set_attendance(db, m1, helene, "represente", proxy_person_id=berenice)
    meetings.set_headcount(db, m1, "homme", "60_plus", True, False, 2)
    meetings.set_attendance(db, m2, berenice, "excuse")
    meetings.set_attendance(db, m2, helene, "present")
    meetings.set_attendance(db, m3, karim, "present")
    meetings.set_attendance(db, m3, berenice, "represente", proxy_person_id=karim)
    # The minutes typed as autosave writes them, several versions half a second apart;
    # long enough (a real evening's minutes) to spill over into overflow pages.
    for end in (len(MINUTES) // 3, 2 * len(MINUTES) // 3, len(MINUTES)):
        meetings.set_meeting_notes(db, m1, MINUTES[:end])
    item = meetings.add_agenda_item(db, m1, "Propreté", presenter=NAME)
    meetings.set_item_notes(db, item, f"{NAME} présente la pétition (contact : {EMAIL}).")
    action = meetings.add_action(db, m1, f"Écrire au bailleur avec {NAME}",
                                 assignee_person_id=berenice)
    decision = meetings.add_decision(db, m1, "Le conseil soutient la pétition de "
                                             "B. Quatrefages-Ullmann.")
    walk = walks.create_walk(db, council, "Marche de Basseau", "2026-04-02",
                             notes="Départ chez QUATREFAGES-ULLMANN Bérénice.")
    walks.add_participant(db, walk, "habitant", person_id=berenice)
    walks.add_participant(db, walk, "habitant", name="Zoé Zaoui")
    observation = walks.add_observation(
        db, walk, description="Lampadaire éteint devant le 12, signalé par "
                              "bérénice quatrefages-ullmann.", feeling="Insécurité le soir.")
    with db.transaction():
        records.insert(db, "media", {"sha256": "a" * 64, "kind": "photo", "width": 10,
                                     "height": 10,
                                     "original_name": "berenice_quatrefages-ullmann.jpg"})
    people.update_person(db, helene, notes=f"Voisine de {NAME}, tél. {PHONE}.")
    return {"council": council, "berenice": berenice, "helene": helene, "karim": karim,
            "meetings": (m1, m2, m3), "action": action, "decision": decision, "walk": walk,
            "observation": observation, "membership": membership, "item": item}


def _participants(db, meeting_ids) -> list[int]:
    return [meetings.attendance_summary(db, m)["participants"] for m in meeting_ids]


def _file_bytes(db_path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in db_path.parent.iterdir()
            if path.name.startswith(db_path.name) and path.is_file()}


# -- right of access -----------------------------------------------------------------------

def test_export_holds_everything_about_the_person(db, world):
    data = privacy.export_person(db, world["berenice"])

    assert data["format"] == "perr-desktop/person-export"
    assert data["format_version"] == 1
    assert data["person"]["name"] == NAME
    assert data["person"]["birth_year"] == 1980
    assert data["person"]["lives_in_qpv"] is True
    assert data["person"]["notes"] == "Préfère être appelée le soir."
    assert data["contact"] == {"email": EMAIL, "phone": PHONE, "address": ADDRESS}
    assert data["consent"] == {"date": "2024-01-10", "contact": True, "photos": False}
    [membership] = data["memberships"]
    assert (membership["council"], membership["college"], membership["role"],
            membership["joined_on"], membership["current"]) == (
        "Basseau Grande-Garenne", "habitants", "membre", "2024-01-10", True)
    assert [(a["meeting"], a["status"], a["represented_by"]) for a in data["attendance"]] == [
        ("Plénière de janvier", "present", None),
        ("Plénière de mars", "excuse", None),
        ("Plénière de mai", "represente", "Karim Benali")]
    assert data["attendance"][2]["starts_at"].startswith("2026-05-21")
    assert [(p["meeting"], p["on_behalf_of"]) for p in data["proxies_held"]] == [
        ("Plénière de janvier", "Hélène Garnier")]
    assert [a["text"] for a in data["actions_assigned"]] == [f"Écrire au bailleur avec {NAME}"]
    assert [(w["walk"], w["role"]) for w in data["walks"]] == [("Marche de Basseau", "habitant")]

    places = {(m["table"], m["field"]) for m in data["mentions"]}
    assert places == {
        ("meetings", "notes"), ("agenda_items", "presenter"), ("agenda_items", "notes"),
        ("actions", "text"), ("decisions", "text"), ("walks", "notes"),
        ("observations", "description"), ("media", "original_name"), ("people", "notes")}
    notes = next(m for m in data["mentions"] if m["table"] == "meetings")
    assert notes["excerpt"].startswith("Mme Quatrefages-Ullmann signale les trottoirs "
                                       "défoncés rue de Basseau. Point 1 : la")
    assert notes["excerpt"].endswith("…")
    assert "Plénière de janvier" in notes["where"]
    agenda = next(m for m in data["mentions"] if m["field"] == "notes"
                  and m["table"] == "agenda_items")
    assert agenda["count"] == 2  # the name and the email
    # Best effort, and said so.
    assert any(word in n for n in data["notes"] for word in ("best effort", "au mieux"))


def test_export_is_written_whole_as_indented_utf8(db, world, tmp_path):
    target = tmp_path / "export" / "berenice.json"
    target.parent.mkdir()
    privacy.write_person_export(db, world["berenice"], target)

    raw = target.read_bytes()
    assert NAME.encode("utf-8") in raw           # UTF-8, not \\u escapes
    assert raw.startswith(b'{\n  "format"')       # indented
    assert json.loads(raw)["person"]["id"] == world["berenice"]
    assert [p.name for p in target.parent.iterdir()] == ["berenice.json"]  # no leftovers


def test_export_of_an_unknown_person_is_refused(db):
    with pytest.raises(NotFoundError):
        privacy.export_person(db, "nobody")


# -- right to erasure ----------------------------------------------------------------------

def test_erasure_leaves_no_trace_in_the_database_file_or_its_wal(db, db_path, world):
    ids = world["meetings"]
    before = _participants(db, ids)
    files = _file_bytes(db_path)
    assert any(b"Quatrefages" in data for data in files.values())   # the test can see it

    report = privacy.erase_person(db, world["berenice"])

    assert report.file_clean, report.problem
    assert _participants(db, ids) == before
    for name, data in _file_bytes(db_path).items():
        for trace in TRACES:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert trace.encode(encoding) not in data, (name, trace, encoding)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.scalar("PRAGMA integrity_check") == "ok"
    assert db.scalar("PRAGMA secure_delete") == 0      # the connection is as it was
    db.close()
    assert check_database(db_path) == []


def test_vacuum_is_what_removes_the_old_versions_of_edited_text(db, db_path, world,
                                                                monkeypatch):
    """Measured, not assumed: with secure_delete and a checkpoint but no VACUUM, the first
    versions of the autosaved minutes are still in the file's free space."""
    def checkpoint_only(database):
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True, ""

    monkeypatch.setattr(privacy, "scrub_file", checkpoint_only)
    privacy.erase_person(db, world["berenice"])
    assert any(b"Quatrefages" in data for data in _file_bytes(db_path).values())


def test_erasure_turns_attendance_into_anonymous_counts(db, world):
    m1, m2, m3 = world["meetings"]
    summaries = {m: meetings.attendance_summary(db, m) for m in (m1, m2, m3)}

    report = privacy.erase_person(db, world["berenice"])

    assert (report.meetings_counted, report.attendance_withdrawn, report.proxies_cleared,
            report.memberships, report.actions, report.walks_counted) == (1, 3, 1, 1, 1, 1)
    after = {m: meetings.attendance_summary(db, m) for m in (m1, m2, m3)}
    # January: one named participant fewer, one counted more; Hélène still represented.
    assert after[m1]["present"] == summaries[m1]["present"] - 1
    assert after[m1]["counted"] == summaries[m1]["counted"] + 1
    assert after[m1]["represented"] == summaries[m1]["represented"] == 1
    lines = db.query("SELECT gender, age_band, lives_in_qpv, first_time, count FROM headcounts "
                     "WHERE meeting_id = ? AND deleted_at IS NULL ORDER BY gender", (m1,))
    assert lines == [
        {"gender": "femme", "age_band": "26_59", "lives_in_qpv": 1, "first_time": None,
         "count": 1},
        {"gender": "homme", "age_band": "60_plus", "lives_in_qpv": 1, "first_time": 0,
         "count": 2}]
    # March and May: her excuse and her proxy are gone from the tallies, nobody else's.
    assert after[m2]["excused"] == summaries[m2]["excused"] - 1
    assert after[m3]["represented"] == summaries[m3]["represented"] - 1
    assert all(after[m]["participants"] == summaries[m]["participants"] for m in after)
    helene = db.query_one("SELECT * FROM attendance WHERE meeting_id = ? AND person_id = ?",
                          (m1, world["helene"]))
    assert (helene["status"], helene["proxy_person_id"]) == ("represente", None)
    names = [r["name"] for m in (m1, m2, m3) for r in meetings.attendance(db, m)]
    assert names and "" not in names and all("Quatrefages" not in n for n in names)
    # The walk: one participant fewer by name, one more counted; Zoé untouched.
    walk = walks.get_walk(db, world["walk"])
    assert [p["display"] for p in walk["participants"]] == ["Zoé Zaoui"]
    assert walk["counted_participants"] == 1


def test_erasure_empties_the_person_and_rewrites_mentions(db, world):
    privacy.erase_person(db, world["berenice"])

    row = db.query_one("SELECT * FROM people WHERE id = ?", (world["berenice"],))
    assert row["deleted_at"] is not None
    assert {k: row[k] for k in privacy._EMPTY_PERSON} == privacy._EMPTY_PERSON
    membership = db.query_one("SELECT * FROM memberships WHERE id = ?",
                              (world["membership"],))
    assert membership["deleted_at"] and membership["joined_on"] is None
    assert membership["notes"] == ""
    for row in db.query("SELECT * FROM attendance WHERE person_id = ?", (world["berenice"],)):
        assert row["deleted_at"] and row["status"] is None and row["note"] == ""
    action = meetings.get_meeting(db, world["meetings"][0])["actions"][0]
    assert action["assignee_person_id"] is None and action["assignee"] == ""
    assert action["text"] == "Écrire au bailleur avec [personne effacée]"
    meeting = meetings.get_meeting(db, world["meetings"][0])
    assert meeting["notes"] == MINUTES.strip().replace("Mme Quatrefages-Ullmann",
                                                       "[personne effacée]")
    assert meeting["agenda"][0]["presenter"] == "[personne effacée]"
    assert meeting["agenda"][0]["notes"] == ("[personne effacée] présente la pétition "
                                             "(contact : [personne effacée]).")
    assert meeting["decisions"][0]["text"] == ("Le conseil soutient la pétition de "
                                               "[personne effacée].")
    observation = db.query_one("SELECT * FROM observations WHERE id = ?",
                               (world["observation"],))
    assert observation["description"] == ("Lampadaire éteint devant le 12, signalé par "
                                          "[personne effacée].")
    assert observation["feeling"] == "Insécurité le soir."
    assert walks.get_walk(db, world["walk"])["notes"] == "Départ chez [personne effacée]."
    helene = people.get_person(db, world["helene"])
    assert helene["notes"] == "Voisine de [personne effacée], tél. [personne effacée]."
    assert helene["name"] == "Hélène Garnier"
    # Gone from the directory and from every search.
    assert people.search_people_ids(db, "quatrefages") == []
    assert world["berenice"] not in people.search_people_ids(db)
    assert privacy.find_mentions(db, world["helene"]) == []


def test_erasure_moves_updated_at_so_other_laptops_learn_of_it(clock, db, world):
    before = {r["id"]: r["updated_at"] for r in db.query(
        "SELECT id, updated_at FROM decisions UNION ALL SELECT id, updated_at FROM people")}
    privacy.erase_person(db, world["berenice"])
    after = {r["id"]: r["updated_at"] for r in db.query(
        "SELECT id, updated_at FROM decisions UNION ALL SELECT id, updated_at FROM people")}
    assert after[world["decision"]] > before[world["decision"]]
    assert after[world["berenice"]] > before[world["berenice"]]
    assert after[world["karim"]] == before[world["karim"]]   # untouched records stay


def test_a_namesake_keeps_their_name(db, world):
    namesake = person(db, "Bérénice", "Quatrefages-Ullmann", organisation="Logélia")
    preview = privacy.erasure_preview(db, world["berenice"])
    assert preview["namesakes"] == 1

    privacy.erase_person(db, world["berenice"])

    assert people.get_person(db, namesake)["name"] == NAME
    assert people.search_people_ids(db, "quatrefages") == [namesake]


def test_erasing_someone_removed_from_the_directory(db, world):
    people.delete_person(db, world["berenice"])
    report = privacy.erase_person(db, world["berenice"])
    assert report.name == NAME
    assert db.scalar("SELECT count(*) FROM people WHERE fold(last_name) LIKE '%quatrefages%'") \
        == 0


def test_erasing_twice_changes_nothing_more(db, world):
    privacy.erase_person(db, world["berenice"])
    dump = {t: db.query(f"SELECT * FROM {t} ORDER BY id") for t in ("people", "attendance",
                                                                       "headcounts", "walks")}
    report = privacy.erase_person(db, world["berenice"])
    assert (report.name, report.meetings_counted, report.mentions) == ("", 0, 0)
    assert dump == {t: db.query(f"SELECT * FROM {t} ORDER BY id") for t in dump}


def test_erasure_is_all_or_nothing(db, world, monkeypatch):
    tables = ("people", "attendance", "headcounts", "memberships", "actions", "meetings")
    before = {t: db.query(f"SELECT * FROM {t} ORDER BY id") for t in tables}

    def broken(*_args):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(privacy, "_replace_mentions", broken)
    with pytest.raises(UserError, match="disque"):
        privacy.erase_person(db, world["berenice"])
    assert before == {t: db.query(f"SELECT * FROM {t} ORDER BY id") for t in tables}


def test_erasing_an_unknown_person_is_refused(db):
    with pytest.raises(NotFoundError):
        privacy.erase_person(db, "nobody")


def test_every_text_column_is_classified(db):
    """A column added by a later migration must be put in FREE_TEXT (searched and
    rewritten on erasure) or in NOT_FREE_TEXT (keys, codes, dates)."""
    assert privacy.unclassified_columns(db) == []


def test_mentions_ignore_accents_capitals_and_word_parts():
    matcher = privacy.NameMatcher.for_person(
        {"first_name": "Bérénice", "last_name": "Quatrefages-Ullmann", "email": EMAIL,
         "phone": PHONE})
    cases = {
        "BERENICE QUATREFAGES ULLMANN est venue": "[personne effacée] est venue",
        "Quatrefages–Ullmann Bérénice": "[personne effacée]",
        "M. Quatrefages et Mme Ullmann": "[personne effacée] et [personne effacée]",
        "Appeler le +33 6 12 34 56 78 ou 0612345678": "Appeler le [personne effacée] ou "
                                                       "[personne effacée]",
        "Les Quatrefagesiens Bérénicex": "Les Quatrefagesiens Bérénicex",
        "Bérénice est venue": "Bérénice est venue",  # a first name alone: not her for sure
    }
    for text, expected in cases.items():
        assert matcher.replace(text)[0] == expected


def test_a_single_word_name_is_not_replaced_everywhere():
    """« Samira » alone could be the facilitator: only her email is found."""
    matcher = privacy.NameMatcher.for_person({"first_name": "Samira", "last_name": "",
                                              "email": "samira@exemple.fr"})
    assert matcher.replace("Samira écrit à samira@exemple.fr.") == (
        "Samira écrit à [personne effacée].", 1)
    assert privacy.NameMatcher.for_person({"first_name": "Samira"}).replace("Samira") == (
        "Samira", 0)


# -- retention -----------------------------------------------------------------------------

TODAY = dt.date(2030, 6, 15)


def _backdate(db, person_id: str, day: str) -> None:
    with db.transaction():
        db.execute("UPDATE people SET created_at = ? WHERE id = ?",
                   (f"{day}T10:00:00.000000Z", person_id))


def test_purge_candidates_are_inactive_people_with_contact_details(db):
    council = councils.create_council(db, "Ma Campagne", status="actif")
    old = "2020-01-01"
    left_long_ago = member(db, council, "Daniel", "Dupont", joined_on="2020-01-01",
                           left_on="2026-01-31", email="daniel@exemple.fr")
    left_recently = member(db, council, "Lucie", "Moreau", joined_on="2020-01-01",
                           left_on="2028-02-01", phone="05 45 00 00 00")
    current = member(db, council, "Paul", "Roux", joined_on="2020-01-01",
                     email="paul@exemple.fr")
    no_contact = member(db, council, "Yves", "Lopez", joined_on="2020-01-01",
                        left_on="2025-01-01")
    came_once = person(db, "Inès", "Martin", address="3 rue Basse")
    came_recently = person(db, "Anne", "Blanc", email="anne@exemple.fr")
    removed = person(db, "Marc", "Petit", email="marc@exemple.fr")
    new = person(db, "Zoé", "Zaoui", email="zoe@exemple.fr")
    _backdate(db, new, "2029-09-01")
    for pid in (left_long_ago, left_recently, current, no_contact, came_once,
                came_recently, removed):
        _backdate(db, pid, old)
    meeting = meetings.plan_meeting(db, council, "pleniere", "Plénière", "2026-03-12T18:30")
    meetings.add_walk_in(db, meeting, came_once)
    recent = meetings.plan_meeting(db, council, "pleniere", "Plénière", "2028-03-12T18:30")
    meetings.add_walk_in(db, recent, came_recently)
    people.delete_person(db, removed)

    found = privacy.purge_candidates(db, 3, TODAY)

    assert [(r["name"], r["last_activity"], r["removed"]) for r in found] == [
        ("Daniel Dupont", "2026-01-31", False),
        ("Inès Martin", "2026-03-12", False),
        ("Marc Petit", "2020-01-01", True)]
    assert [r["id"] for r in privacy.purge_candidates(db, 1, TODAY)] == [
        came_recently, left_long_ago, came_once, left_recently, removed]
    assert new not in [r["id"] for r in privacy.purge_candidates(db, 1, TODAY)]


def test_purge_contacts_keeps_names_and_history(db, db_path):
    council = councils.create_council(db, "Ma Campagne", status="actif")
    daniel = member(db, council, "Daniel", "Dupont", joined_on="2020-01-01",
                    left_on="2026-01-31", email="daniel.dupont@exemple.fr",
                    phone="05 45 11 22 33", address="8 allée des Peupliers",
                    consent_date="2020-01-01", consent_contact=1)
    meeting = meetings.plan_meeting(db, council, "pleniere", "Plénière", "2025-03-12T18:30")
    meetings.set_attendance(db, meeting, daniel, "present")

    assert privacy.purge_contacts(db, [daniel, daniel]) == 1

    row = people.get_person(db, daniel)
    assert (row["email"], row["phone"], row["address"]) == ("", "", "")
    assert (row["name"], row["consent_date"], row["consent_contact"]) == (
        "Daniel Dupont", "2020-01-01", 1)
    assert len(row["memberships"]) == 1
    assert meetings.attendance_summary(db, meeting)["present"] == 1
    assert privacy.purge_contacts(db, [daniel]) == 0
    assert all(b"daniel.dupont@exemple.fr" not in data
               for data in _file_bytes(db_path).values())


def test_purge_contacts_of_an_unknown_person_changes_nothing(db):
    daniel = person(db, "Daniel", "Dupont", email="daniel@exemple.fr")
    with pytest.raises(NotFoundError):
        privacy.purge_contacts(db, [daniel, "nobody"])
    assert people.get_person(db, daniel)["email"] == "daniel@exemple.fr"


# -- command line --------------------------------------------------------------------------

def test_cli_person_export(db, db_path, world, tmp_path, capsys):
    target = tmp_path / "berenice.json"
    db.close()
    assert main(["person", "export", world["berenice"], "--db", str(db_path),
                 "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and str(target) in out
    assert json.loads(target.read_text(encoding="utf-8"))["person"]["name"] == NAME


def test_cli_person_erase(db, db_path, world, capsys):
    db.close()
    assert main(["person", "erase", world["berenice"], "--db", str(db_path),
                 "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and err == ""
    assert out.startswith(f"{NAME} erased: 2 meetings or walks count them")
    assert all(b"Quatrefages" not in data for data in _file_bytes(db_path).values())


def test_cli_person_erase_unknown_id(db, db_path, capsys):
    db.close()
    before = db_path.read_bytes()
    assert main(["person", "erase", "nobody", "--db", str(db_path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "nobody" in err
    assert db_path.read_bytes() == before


def test_older_backups_are_counted_and_named_after_an_erasure(db, db_path, world, capsys):
    backups = db_path.parent / "perr-backups"
    (backups / "2026-03-01_14-02-05_start" / "media").mkdir(parents=True)
    (backups / "2026-03-01_14-02-05_start" / "media" / "photo.jpg").write_bytes(b"x")
    (backups / "perr-2026-02-01.sqlite").write_bytes(b"x")
    (backups / ".partial-123").mkdir()
    assert len(privacy.backups_holding_data(db)) == 2
    db.close()

    assert main(["person", "erase", world["berenice"], "--db", str(db_path),
                 "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.rstrip().endswith(f"2 older backups in {backups} still contain their data "
                                 "until they are deleted.")


def test_exchange_conflicts_keep_no_copy_of_the_person(db, db_path, world):
    if not db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'conflicts'"):
        pytest.skip("no exchange tables in this schema")
    own = {"first_name": "Bérénice", "last_name": "Quatrefages-Ullmann", "email": EMAIL}
    meeting = {"notes": f"Excusée : {NAME}."}
    with db.transaction():
        for conflict_id, table, record, row in (
                ("c1", "people", world["berenice"], own),
                ("c2", "meetings", world["meetings"][1], meeting)):
            db.execute(
                "INSERT INTO conflicts (id, peer_id, peer_name, table_name, record_id, "
                "local_row, incoming_row, fields, detected_at) VALUES (?, 'p', 'Portable de "
                "Samira', ?, ?, ?, ?, '[]', '2026-03-01T10:00:00Z')",
                (conflict_id, table, record, json.dumps(row, ensure_ascii=False),
                 json.dumps(row, ensure_ascii=False)))

    privacy.erase_person(db, world["berenice"])

    rows = db.query("SELECT id, local_row, incoming_row FROM conflicts ORDER BY id")
    assert [r["id"] for r in rows] == ["c2"]
    assert json.loads(rows[0]["local_row"]) == {"notes": "Excusée : [personne effacée]."}
    assert all(b"Quatrefages" not in data for data in _file_bytes(db_path).values())
