"""The demonstration data: believable, deterministic, and written through the services."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest

from perr_desktop import i18n
from perr_desktop.cli import main
from perr_desktop.domain.people import formal_name
from perr_desktop.errors import UserError
from perr_desktop.services import councils, demo
from perr_desktop.services import people as people_service
from perr_desktop.storage.database import open_database

# A fixed "today" (in the past, as the rules refuse future consent dates) keeps runs equal.
TODAY = dt.date(2026, 6, 15)
QPV_NAMES = {
    "Basseau Grande-Garenne", "Ma Campagne", "Bel-Air Grand Font", "L'Étang des Moines",
    "Champ de Manœuvre",
}
PHONE = re.compile(r"^0[567]( \d\d){4}$")
EMAIL = re.compile(r"^[a-z0-9.\-]+@([a-z0-9\-]+\.)*example\.(org|net)$")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """One demonstration database shared by the read-only tests of this module."""
    database = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    started = time.perf_counter()
    summary = demo.populate(database, today=TODAY, with_walks=False)
    database.elapsed = time.perf_counter() - started
    database.summary = summary
    yield database
    database.close()


def council_rows(db) -> dict[str, dict]:
    """Each council by name, with its memberships as of TODAY."""
    out = {}
    for row in councils.list_councils(db):
        council = councils.get_council(db, row["id"])
        council["members"] = councils.council_members(db, row["id"], on=TODAY)
        out[council["name"]] = council
    return out


def all_memberships(db) -> list[dict]:
    return [m for c in council_rows(db).values() for m in c["members"]]


def person_rows(db) -> dict[str, dict]:
    return {row["id"]: row for row in db.query("SELECT * FROM people WHERE deleted_at IS NULL")}


def is_newcomer(person: dict) -> bool:
    """Someone who first came to a meeting as a walk-in and gave their name."""
    return person["notes"].startswith("Première venue")


def residents(db) -> list[dict]:
    """People who hold (or held) a seat in the residents' college."""
    persons = person_rows(db)
    ids = {m["person_id"] for m in all_memberships(db) if m["college"] == "habitants"}
    return [persons[i] for i in sorted(ids)]


def snapshot(db) -> tuple[list[tuple], list[tuple]]:
    """Everything but ids and timestamps, which are random or clock-bound by design."""
    people_part = [tuple(r.values()) for r in db.query(
        """SELECT first_name, last_name, gender, organisation, email, phone, birth_year,
                  lives_in_qpv, consent_date, consent_contact, consent_photos, notes
           FROM people ORDER BY sort_key, first_name, organisation""")]
    membership_part = [tuple(r.values()) for r in db.query(
        """SELECT c.name, c.status, c.facilitator_name, c.facilitator_contact, c.venue,
                  c.recognised_on, p.first_name, p.last_name, m.college, m.role,
                  m.joined_on, m.left_on, m.notes
           FROM memberships m JOIN councils c ON c.id = m.council_id
           JOIN people p ON p.id = m.person_id
           ORDER BY c.name, p.sort_key, p.first_name, m.joined_on""")]
    return people_part, membership_part


# -- the summary ---------------------------------------------------------------------------

def test_summary_counts_what_was_written(demo_db):
    summary = demo_db.summary
    n_people = demo_db.scalar("SELECT count(*) FROM people WHERE deleted_at IS NULL")
    n_memberships = demo_db.scalar("SELECT count(*) FROM memberships WHERE deleted_at IS NULL")
    n_meetings = demo_db.scalar("SELECT count(*) FROM meetings WHERE deleted_at IS NULL")
    n_actions = demo_db.scalar("SELECT count(*) FROM actions WHERE deleted_at IS NULL")
    n_walks = demo_db.scalar("SELECT count(*) FROM walks WHERE deleted_at IS NULL")
    n_observations = demo_db.scalar(
        "SELECT count(*) FROM observations WHERE deleted_at IS NULL")
    n_photos = demo_db.scalar("SELECT count(*) FROM photos WHERE deleted_at IS NULL")
    assert summary == demo.DemoSummary(councils=5, people=n_people, memberships=n_memberships,
                                       meetings=n_meetings, actions=n_actions, walks=n_walks,
                                       observations=n_observations, photos=n_photos)
    newcomers = [p for p in person_rows(demo_db).values() if is_newcomer(p)]
    assert 95 <= summary.people - len(newcomers) <= 135
    assert 80 <= summary.memberships <= 125
    assert 80 <= summary.meetings <= 140
    assert 100 <= summary.actions <= 250
    assert (summary.walks, summary.observations, summary.photos) == (0, 0, 0)  # left out


def test_summary_reads_as_a_sentence():
    i18n.set_language("en")
    assert str(demo.DemoSummary(5, 96, 104, 112, 160, 10, 118, 175)) == \
        "5 councils, 96 people, 104 memberships, 112 meetings, 160 actions, 10 walks, " \
        "118 observations, 175 photos"
    assert str(demo.DemoSummary(1, 1, 1, 1, 1, 1, 1, 1)) == \
        "1 council, 1 person, 1 membership, 1 meeting, 1 action, 1 walk, 1 observation, " \
        "1 photo"
    assert str(demo.DemoSummary(5, 1234, 0, 0, 1500, 0, 0, 2048)) == \
        "5 councils, 1,234 people, 0 memberships, 0 meetings, 1,500 actions, 0 walks, " \
        "0 observations, 2,048 photos"


def test_summary_formats_numbers_the_french_way():
    i18n.set_language("fr")
    text = str(demo.DemoSummary(5, 1234, 2345, 3456, 4567, 10, 5678, 6789))
    assert all(n in text for n in ("1\u202f234", "2\u202f345", "3\u202f456", "4\u202f567",
                                   "5\u202f678", "6\u202f789"))
    assert text.startswith("5 ")


def test_populate_is_fast(demo_db):
    # The brief: the whole small demonstration, meetings, walks and the import of their
    # photos included, within about 8 s (some 6 s on two cores); the bound leaves room
    # for a loaded machine and only catches a pathology (photos decoded at full size…).
    assert demo_db.elapsed < 20.0


# -- determinism and safety ---------------------------------------------------------------

def test_same_seed_gives_the_same_data(tmp_path):
    runs = []
    for name, seed in (("a", 2026), ("b", 2026), ("c", 7)):
        with open_database(tmp_path / f"{name}.sqlite") as db:
            summary = demo.populate(db, seed=seed, today=TODAY, with_walks=False)
            runs.append((summary, snapshot(db)))
    (summary_a, data_a), (summary_b, data_b), (_summary_c, data_c) = runs
    assert summary_a == summary_b
    assert data_a == data_b
    assert len(data_a[0]) == summary_a.people
    # Another seed draws other people (but still the journey's Hélène Garnier).
    assert data_a[0] != data_c[0]
    assert ("Hélène", "Garnier") in {(p[0], p[1]) for p in data_c[0]}


def test_populate_refuses_a_database_that_has_councils(db):
    councils.create_council(db, "Conseil de test")
    with pytest.raises(UserError, match=re.escape(str(db.path))):
        demo.populate(db, today=TODAY, with_walks=False)
    assert [c["name"] for c in councils.list_councils(db)] == ["Conseil de test"]
    assert db.scalar("SELECT count(*) FROM people") == 0


def test_populate_is_all_or_nothing(db, monkeypatch):
    real_add = people_service.add_membership
    calls = []

    def failing_add(*args, **kwargs):
        calls.append(1)
        if len(calls) == 40:
            raise RuntimeError("disk unplugged")
        return real_add(*args, **kwargs)

    monkeypatch.setattr(people_service, "add_membership", failing_add)
    with pytest.raises(RuntimeError):
        demo.populate(db, today=TODAY, with_walks=False)
    assert len(calls) == 40
    for table in ("councils", "people", "memberships", "council_neighbourhoods", "meetings",
                  "attendance", "actions"):
        assert db.scalar(f"SELECT count(*) FROM {table}") == 0, table


# -- councils ----------------------------------------------------------------------------

def test_five_councils_named_after_their_neighbourhood(demo_db):
    rows = council_rows(demo_db)
    assert set(rows) == QPV_NAMES
    for name, council in rows.items():
        assert [n["name"] for n in council["neighbourhoods"]] == [name]
        assert council["facilitator_name"].count(" ") >= 1
        assert council["facilitator_contact"]
        assert council["venue"]
    basseau = rows["Basseau Grande-Garenne"]
    assert basseau["status"] == "en_creation"
    assert basseau["recognised_on"] is None
    assert basseau["facilitator_name"] == "Samira Benali"
    assert basseau["venue"] == "Maison de quartier de Basseau"
    assert rows["Champ de Manœuvre"]["facilitator_name"] == "Karim Haddad"
    for name in QPV_NAMES - {"Basseau Grande-Garenne"}:
        assert rows[name]["status"] == "actif"
        assert "2015-01-01" <= rows[name]["recognised_on"] <= "2016-12-31"
    assert len({c["venue"] for c in rows.values()}) == 5


def test_facilitator_contacts_look_real(demo_db):
    for council in council_rows(demo_db).values():
        contact = council["facilitator_contact"]
        assert PHONE.match(contact) or EMAIL.match(contact), contact
        if PHONE.match(contact):
            assert contact.startswith("05 45 ")


def test_each_council_has_enough_members_in_both_colleges(demo_db):
    for name, council in council_rows(demo_db).items():
        members = council["members"]
        active = [m for m in members if m["active"]]
        assert 15 <= len(active) <= len(members) <= 25, name
        colleges = [m["college"] for m in active]
        assert set(colleges) == {"habitants", "acteurs_locaux"}, name
        assert 0.55 <= colleges.count("habitants") / len(active) <= 0.8, name
        for m in members:
            if m["college"] == "acteurs_locaux":
                assert m["organisation"], m["name"]
            else:
                assert m["organisation"] == "", m["name"]


def test_residents_college_respects_parity(demo_db):
    for name, council in council_rows(demo_db).items():
        genders = [m["gender"] for m in council["members"]
                   if m["active"] and m["college"] == "habitants"]
        assert set(genders) == {"femme", "homme"}
        assert 0.4 <= genders.count("femme") / len(genders) <= 0.6, name


def test_roles_come_from_the_vocabulary(demo_db):
    codes = {r["code"] for r in demo_db.query(
        "SELECT code FROM vocabulary WHERE kind = 'member_role'")}
    with_secretary = 0
    for name, council in council_rows(demo_db).items():
        roles = [m["role"] for m in council["members"] if m["active"]]
        assert set(roles) <= codes
        assert roles.count("membre") >= len(roles) - 6
        leads = (roles.count("referent"), roles.count("co_referent"))
        assert leads in {(1, 0), (0, 2)}, name
        with_secretary += "secretaire" in roles
    assert with_secretary >= 4


def test_some_members_have_left(demo_db):
    memberships = all_memberships(demo_db)
    former = [m for m in memberships if m["left_on"]]
    assert 0.05 <= len(former) / len(memberships) <= 0.15
    for m in former:
        assert not m["active"]
        assert m["joined_on"] < m["left_on"] < TODAY.isoformat()


def test_joining_dates_are_plausible(demo_db):
    persons = person_rows(demo_db)
    rows = council_rows(demo_db)
    for name, council in rows.items():
        for m in council["members"]:
            assert "2015-01-01" <= m["joined_on"] <= TODAY.isoformat()
            if name != "Basseau Grande-Garenne":
                assert m["joined_on"] <= "2025-12-31"
            born = persons[m["person_id"]]["birth_year"]
            if born:
                assert int(m["joined_on"][:4]) - born >= 16, m["name"]
    # The council being set up has just drawn its residents by lot: all on one day.
    basseau = rows["Basseau Grande-Garenne"]["members"]
    assert len({m["joined_on"] for m in basseau if m["college"] == "habitants"}) == 1
    assert not any(m["left_on"] for m in basseau)


def test_basseau_is_the_council_of_journey_one(demo_db):
    persons = person_rows(demo_db)
    members = council_rows(demo_db)["Basseau Grande-Garenne"]["members"]
    residents_ = [persons[m["person_id"]] for m in members if m["college"] == "habitants"]
    assert len(residents_) == 12
    assert sorted(p["gender"] for p in residents_) == ["femme"] * 6 + ["homme"] * 6
    assert 1 <= sum(p["email"] == "" for p in residents_) <= 6
    assert sum(p["phone"] == "" for p in residents_) == 1
    assert all(p["consent_date"] for p in residents_)
    assert sum(m["college"] == "acteurs_locaux" for m in members) == 4


def test_some_people_sit_in_two_councils(demo_db):
    by_person: dict[str, list[str]] = {}
    for name, council in council_rows(demo_db).items():
        for m in council["members"]:
            by_person.setdefault(m["person_id"], []).append(name)
    twice = {p: names for p, names in by_person.items() if len(names) > 1}
    assert len(twice) >= 2
    for names in twice.values():
        assert len(names) == len(set(names)) == 2  # one membership in each council
    persons = person_rows(demo_db)
    assert all(persons[p]["organisation"] for p in twice)


def test_the_directory_holds_more_than_members(demo_db):
    members = {m["person_id"] for m in all_memberships(demo_db)}
    outside = [p for p in person_rows(demo_db).values() if p["id"] not in members
               and not is_newcomer(p)]
    assert 10 <= len(outside) <= 20
    names = {f"{p['first_name']} {p['last_name']}" for p in outside}
    assert {"Samira Benali", "Karim Haddad"} <= names
    assert sum(bool(p["organisation"]) for p in outside) >= 5
    assert sum(not p["organisation"] for p in outside) >= 2


# -- people ------------------------------------------------------------------------------

def test_names_are_varied_and_unique(demo_db):
    persons = list(person_rows(demo_db).values())
    full_names = [(p["first_name"], p["last_name"]) for p in persons]
    assert len(full_names) == len(set(full_names))
    last_names = {p["last_name"] for p in persons}
    first_names = {p["first_name"] for p in persons}
    assert any("'" in n for n in last_names)
    assert any(not n.isascii() for n in last_names)
    assert any(not n.isascii() for n in first_names)
    assert any("œ" in n for n in last_names | {p["organisation"] for p in persons})
    assert len(last_names) >= 60


def test_gender_follows_the_first_name(demo_db):
    women, men = set(), set()
    for (gender, _generation), names in demo.FRENCH_FIRST_NAMES.items():
        (women if gender == "femme" else men).update(names)
    for _weight, female, male, _surnames in demo.ORIGINS.values():
        women.update(female)
        men.update(male)
    assert not women & men
    for p in person_rows(demo_db).values():
        expected = "femme" if p["first_name"] in women | {"Samira", "Élise", "Nadège"} \
            else "homme"
        assert p["gender"] == expected, p["first_name"]


def test_residents_contacts_and_ages(demo_db):
    people = residents(demo_db)
    assert sum(p["email"] == "" for p in people) >= 5
    assert sum(p["phone"] == "" for p in people) >= 3
    assert not [p for p in people if not p["email"] and not p["phone"]]
    young = [p for p in people if p["birth_year"] and p["birth_year"] > TODAY.year - 25]
    assert 4 <= len(young) <= len(people) // 4
    assert sum(p["birth_year"] is None for p in people) >= 1
    assert sum(p["lives_in_qpv"] == 1 for p in people) / len(people) >= 0.8


def test_contact_details_are_safe_and_well_formed(demo_db):
    for p in person_rows(demo_db).values():
        if p["email"]:
            assert EMAIL.match(p["email"]), p["email"]
        if p["phone"]:
            assert PHONE.match(p["phone"]), p["phone"]
    emails = [p["email"] for p in person_rows(demo_db).values() if p["email"]]
    assert len(emails) == len(set(emails))


def test_consent_is_recorded_for_most_members(demo_db):
    persons = person_rows(demo_db)
    first_joined: dict[str, str] = {}
    for m in all_memberships(demo_db):
        first_joined[m["person_id"]] = min(first_joined.get(m["person_id"], "9999"),
                                           m["joined_on"])
    members = [persons[i] for i in first_joined]
    consenting = [p for p in members if p["consent_date"]]
    assert len(consenting) / len(members) >= 0.85
    for p in consenting:
        assert first_joined[p["id"]] <= p["consent_date"] <= TODAY.isoformat()
    assert sum(p["consent_contact"] for p in consenting) / len(consenting) >= 0.8
    photos = sum(p["consent_photos"] for p in consenting)
    assert len(consenting) * 0.6 <= photos < len(consenting)
    for p in members:
        if not p["consent_date"]:
            assert not p["consent_contact"] and not p["consent_photos"]


def test_searching_gar_finds_mme_garnier_at_once(demo_db):
    ids = people_service.search_people_ids(demo_db, "gar")
    assert len(ids) == 1
    person = people_service.get_person(demo_db, ids[0])
    assert (person["first_name"], person["last_name"], person["gender"]) == \
        ("Hélène", "Garnier", "femme")
    assert formal_name(person["gender"], person["first_name"], person["last_name"]) \
        .endswith(" Garnier")
    assert [(m["council_name"], m["college"]) for m in person["memberships"]] == \
        [("Basseau Grande-Garenne", "habitants")]
    assert person["lives_in_qpv"] == 1


# -- the file and the command line --------------------------------------------------------

def test_create_demo_database_fills_a_new_file(tmp_path):
    path = tmp_path / "sub" / "demo.sqlite"
    summary = demo.create_demo_database(path)
    assert summary.councils == 5
    with open_database(path) as db:
        assert {c["name"] for c in councils.list_councils(db)} == QPV_NAMES
        assert db.scalar("SELECT count(*) FROM people") == summary.people


def test_create_demo_database_fills_an_empty_database(db_path):
    open_database(db_path).close()
    assert demo.create_demo_database(db_path).councils == 5


def test_create_demo_database_leaves_a_used_database_untouched(tmp_path):
    path = tmp_path / "demo.sqlite"
    demo.create_demo_database(path)
    before, files = path.read_bytes(), sorted(tmp_path.iterdir())
    with pytest.raises(UserError) as raised:
        demo.create_demo_database(path)
    assert str(path) in raised.value.message
    assert path.read_bytes() == before
    assert sorted(tmp_path.iterdir()) == files


def test_create_demo_database_knows_only_small(tmp_path):
    with pytest.raises(ValueError):
        demo.create_demo_database(tmp_path / "x.sqlite", size="huge")
    assert not (tmp_path / "x.sqlite").exists()


def test_command_line_end_to_end(tmp_path, capsys):
    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert str(path) in out and "5 " in out

    assert main(["list", "councils", "--db", str(path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert isinstance(listed, list)
    assert sorted(c["name"] for c in listed) == sorted(QPV_NAMES)
    assert all(c["member_count"] >= 15 for c in listed)

    before = path.read_bytes()
    assert main(["demo", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err
    assert path.read_bytes() == before
