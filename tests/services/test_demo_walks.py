"""The demonstration's walks (journeys 4 and 5): two per council, one walked again a year
later, with plans, photos imported from several phones and months of follow-up."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import json
import tempfile
from collections import Counter

import pytest
from PIL import Image

from perr_desktop import paths
from perr_desktop.cli import main
from perr_desktop.domain.meetings import TIMEZONE
from perr_desktop.services import councils, demo, followups, photos, walks
from perr_desktop.storage import media
from perr_desktop.storage.database import open_database

TODAY = dt.date(2026, 6, 15)
CENTRES = {  # where each neighbourhood's commune lies (the brief's figures)
    "Basseau Grande-Garenne": (45.65, 0.15), "Ma Campagne": (45.65, 0.15),
    "Bel-Air Grand Font": (45.65, 0.15), "L'Étang des Moines": (45.61, 0.10),
    "Champ de Manœuvre": (45.64, 0.20),
}
CAMERAS = {"Apple iPhone 13", "samsung SM-A536B", "Xiaomi Redmi Note 11"}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    database = open_database(tmp_path_factory.mktemp("demo-walks") / "demo.sqlite")
    database.summary = demo.populate(database, today=TODAY)
    yield database
    database.close()


@pytest.fixture
def on_demo_day(monkeypatch):
    """« À relancer » is worked out on the demonstration's day, not the real one."""
    monkeypatch.setattr(followups, "_today", lambda: TODAY)


def all_walks(db) -> list[dict]:
    """Every walk in full, oldest first within each council."""
    rows = sorted(walks.list_walks(db), key=lambda w: (w["council_name"], w["walk_date"]))
    return [walks.get_walk(db, row["id"]) | {"council_name": row["council_name"]}
            for row in rows]


def local(utc_stamp: str) -> dt.datetime:
    moment = dt.datetime.strptime(utc_stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    return moment.astimezone(TIMEZONE).replace(tzinfo=None)


def snapshot(db) -> dict[str, list[tuple]]:
    """What the walks hold, without ids and record timestamps (the observations' creation
    times are part of the data: photos are matched on them)."""
    return {
        "walks": [tuple(r.values()) for r in db.query(
            """SELECT c.name, w.title, w.walk_date, w.start_time, w.period, w.weather, w.notes,
                      w.counted_participants, w.previous_walk_id IS NOT NULL
               FROM walks w JOIN councils c ON c.id = w.council_id
               ORDER BY c.name, w.walk_date""")],
        "stops": [tuple(r.values()) for r in db.query(
            """SELECT c.name, w.walk_date, s.position, s.name, s.address, s.latitude,
                      s.longitude, s.plan_x, s.plan_y
               FROM walk_stops s JOIN walks w ON w.id = s.walk_id
               JOIN councils c ON c.id = w.council_id
               ORDER BY c.name, w.walk_date, s.position""")],
        "observations": [tuple(r.values()) for r in db.query(
            """SELECT c.name, w.walk_date, o.number, o.created_at, o.theme, o.positive,
                      o.description, o.feeling, o.proposal, o.priority, o.objective_code,
                      o.tags, o.plan_x, o.plan_y, o.latitude, o.longitude, s.name
               FROM observations o JOIN walks w ON w.id = o.walk_id
               JOIN councils c ON c.id = w.council_id
               LEFT JOIN walk_stops s ON s.id = o.stop_id
               ORDER BY c.name, w.walk_date, o.number""")],
        "steps": [tuple(r.values()) for r in db.query(
            """SELECT c.name, w.walk_date, o.number, f.body, f.status, f.next_reminder_on,
                      st.step_date, st.status, st.channel, st.note, st.next_reminder_on
               FROM followup_steps st JOIN followups f ON f.id = st.followup_id
               JOIN observations o ON o.id = f.observation_id
               JOIN walks w ON w.id = o.walk_id JOIN councils c ON c.id = w.council_id
               ORDER BY c.name, w.walk_date, o.number, f.body, st.step_date""")],
        "photos": [tuple(r.values()) for r in db.query(
            """SELECT c.name, w.walk_date, m.original_name, m.sha256, m.taken_at, m.latitude,
                      m.longitude, m.camera, m.width, m.height, p.identifiable, p.caption,
                      o.number, s.name
               FROM photos p JOIN media m ON m.id = p.media_id
               JOIN walks w ON w.id = p.walk_id JOIN councils c ON c.id = w.council_id
               LEFT JOIN observations o ON o.id = p.observation_id
               LEFT JOIN walk_stops s ON s.id = p.stop_id
               ORDER BY c.name, w.walk_date, m.original_name""")],
        "participants": [tuple(r.values()) for r in db.query(
            """SELECT c.name, w.walk_date, wp.role, p.first_name, p.last_name, wp.name,
                      wp.organisation
               FROM walk_participants wp JOIN walks w ON w.id = wp.walk_id
               JOIN councils c ON c.id = w.council_id
               LEFT JOIN people p ON p.id = wp.person_id
               ORDER BY c.name, w.walk_date, wp.role, p.last_name, wp.name""")],
        "plans": [tuple(r.values()) for r in db.query(
            "SELECT sha256, width, height FROM media WHERE kind = 'plan' ORDER BY sha256")],
    }


# -- the walks --------------------------------------------------------------------------

def test_the_summary_counts_the_walks(demo_db):
    summary = demo_db.summary
    assert summary.walks == 10
    assert summary.observations == demo_db.scalar("SELECT count(*) FROM observations")
    assert summary.photos == demo_db.scalar("SELECT count(*) FROM photos")


def test_two_walks_per_council_a_year_apart(demo_db):
    by_council: dict[str, list[dict]] = {}
    for walk in all_walks(demo_db):
        by_council.setdefault(walk["council_name"], []).append(walk)
    assert set(by_council) == set(CENTRES)
    with_night = 0
    for name, (older, recent) in by_council.items():
        age = (TODAY - dt.date.fromisoformat(older["walk_date"])).days
        assert 330 <= age <= 520, name
        assert 10 <= (TODAY - dt.date.fromisoformat(recent["walk_date"])).days <= 60, name
        with_night += "nuit" in (older["period"], recent["period"])
        for walk in (older, recent):
            assert walk["title"].startswith("Diagnostic en marchant")
            assert walk["weather"] and walk["notes"] and walk["start_time"]
            if walk["period"] == "nuit":
                assert walk["start_time"] >= "18:00", name
    assert 3 <= with_night <= 4  # by night for most councils, not all


def test_at_least_two_councils_walk_the_same_route_again(demo_db):
    by_id = {walk["id"]: walk for walk in all_walks(demo_db)}
    pairs = [(by_id[w["previous_walk_id"]], w) for w in by_id.values()
             if w["previous_walk_id"]]
    assert len(pairs) >= 2
    for before, after in pairs:
        assert before["council_id"] == after["council_id"]
        assert 350 <= (dt.date.fromisoformat(after["walk_date"])
                       - dt.date.fromisoformat(before["walk_date"])).days <= 380
        assert [s["name"] for s in before["stops"]] == [s["name"] for s in after["stops"]]
        assert before["plan_media_id"] == after["plan_media_id"]
        assert before["period"] == after["period"]
    # Journey 5: Basseau's lamp post, out a year ago, shows repaired on the second walk.
    before, after = next(pair for pair in pairs
                         if pair[0]["council_name"] == "Basseau Grande-Garenne")
    out = next(o for o in before["observations"] if "Lampadaire éteint" in o["description"])
    assert (out["stop_position"], out["priority"], out["positive"]) == (3, 1, 0)
    assert "devant le n° 12" in out["description"]
    assert [f["body"] for f in out["followups"]] == ["ville"]
    assert out["followups"][0]["status"] == "resolu"
    fixed = next(o for o in after["observations"] if "Lampadaire réparé" in o["description"])
    assert fixed["positive"] == 1 and fixed["stop_name"] == out["stop_name"]
    assert "n° 12" in fixed["description"]


def test_stops_have_names_addresses_and_positions(demo_db):
    for walk in all_walks(demo_db):
        stops = walk["stops"]
        assert 6 <= len(stops) <= 9
        assert [s["position"] for s in stops] == list(range(1, len(stops) + 1))
        assert len({s["name"] for s in stops}) == len(stops)
        latitude, longitude = CENTRES[walk["council_name"]]
        for stop in stops:
            assert stop["name"] and stop["address"]
            assert abs(stop["latitude"] - latitude) < 0.03, stop["name"]
            assert abs(stop["longitude"] - longitude) < 0.04, stop["name"]
            assert 0 <= stop["plan_x"] <= 1 and 0 <= stop["plan_y"] <= 1


def test_participants_and_their_roles(demo_db):
    for walk in all_walks(demo_db):
        roles = Counter(p["role"] for p in walk["participants"])
        assert roles["animateur"] == 1 and roles["preneur_notes"] == 1
        assert roles["habitant"] + roles["photographe"] >= 1
        assert 1 <= roles["partenaire"] <= 3
        council = councils.get_council(demo_db, walk["council_id"])
        facilitator = next(p for p in walk["participants"] if p["role"] == "animateur")
        assert facilitator["display"].endswith(council["facilitator_name"].split()[-1])
        members = {m["person_id"] for m in councils.council_members(demo_db,
                                                                     walk["council_id"])}
        residents = [p for p in walk["participants"]
                     if p["role"] in ("preneur_notes", "photographe", "habitant")]
        assert all(p["person_id"] in members for p in residents)
        partners = [p for p in walk["participants"] if p["role"] == "partenaire"]
        assert all(p["organisation"] for p in partners)
        assert walk["counted_participants"] > 0
    organisations = {p["organisation"] for w in all_walks(demo_db) for p in w["participants"]}
    assert "Logélia – agence de proximité" in organisations
    assert any("services techniques" in o for o in organisations)


# -- observations -----------------------------------------------------------------------

def test_observations_strong_and_weak_points(demo_db):
    themes = {r["code"] for r in demo_db.query(
        "SELECT code FROM vocabulary WHERE kind = 'observation_theme'")}
    seen_themes, bodies = set(), Counter()
    for walk in all_walks(demo_db):
        observations = walk["observations"]
        assert 8 <= len(observations) <= 15
        assert [o["number"] for o in observations] == list(range(1, len(observations) + 1))
        assert 0 < sum(o["positive"] for o in observations) < len(observations)
        for o in observations:
            assert o["theme"] in themes and o["description"].endswith((".", "»"))
            assert o["stop_id"]
            seen_themes.add(o["theme"])
            if o["positive"]:
                assert o["priority"] is None and not o["followups"]
            else:
                assert o["priority"] in (1, 2, 3) and o["proposal"]
                assert o["followups"], o["description"]
            if "TFPB" in o["tags"] and not o["positive"]:
                assert "bailleur" in {f["body"] for f in o["followups"]}
            bodies.update(f["body"] for f in o["followups"])
    assert len(seen_themes) >= 10
    assert {"ville", "bailleur", "agglomeration", "departement",
            "police_municipale"} <= set(bodies)
    assert bodies["police_municipale"] < bodies["ville"] / 4  # rarely
    objectives = {r["objective_code"] for r in demo_db.query(
        "SELECT DISTINCT objective_code FROM observations")}
    assert {"R3.07", "R3.05"} <= objectives
    assert all(code is None or demo_db.scalar(
        "SELECT count(*) FROM perr_objectives WHERE code = ?", (code,)) for code in objectives)


def test_observations_were_noted_during_the_walk(demo_db):
    for walk in all_walks(demo_db):
        start = dt.datetime.fromisoformat(f"{walk['walk_date']}T{walk['start_time']}")
        moments = [local(o["created_at"]) for o in walk["observations"]]
        assert start < moments[0] < start + dt.timedelta(minutes=30)
        assert moments[-1] < start + dt.timedelta(hours=3)
        gaps = [(b - a).total_seconds() / 60 for a, b in itertools.pairwise(moments)]
        assert min(gaps) >= 6 and max(gaps) <= 25


def test_the_scripted_stories_are_there(demo_db):
    rows = demo_db.query(
        """SELECT f.body, f.status, o.id AS observation_id, o.description, s.note
           FROM followups f JOIN observations o ON o.id = f.observation_id
           JOIN followup_steps s ON s.followup_id = f.id AND s.status = f.status
           WHERE f.status IN ('reoriente', 'refuse')""")
    assert Counter(r["status"] for r in rows) == {"reoriente": 1, "refuse": 1}
    redirected = next(r for r in rows if r["status"] == "reoriente")
    assert "Département" in redirected["note"]
    others = demo_db.query("SELECT body, status FROM followups WHERE observation_id = ?",
                           (redirected["observation_id"],))
    assert {r["body"] for r in others} == {"ville", "departement"}
    assert next(r["status"] for r in others if r["body"] == "departement") != "a_transmettre"
    assert next(r for r in rows if r["status"] == "refuse")["note"]


# -- photos -----------------------------------------------------------------------------

def test_photos_are_stored_with_time_position_and_camera(demo_db):
    rows = demo_db.query("""SELECT p.*, m.sha256, m.kind, m.taken_at, m.latitude, m.longitude,
                                   m.camera, m.width, m.height
                            FROM photos p JOIN media m ON m.id = p.media_id""")
    assert rows
    for row in rows:
        assert row["kind"] == "photo"
        assert media.working_path(demo_db.path, row["sha256"]).is_file()
        assert media.thumbnail_path(demo_db.path, row["sha256"]).is_file()
        assert row["camera"] in CAMERAS
        assert sorted((row["width"], row["height"])) == sorted(demo.PHOTO_SIZE)
    assert sum(r["taken_at"] is not None for r in rows) / len(rows) >= 0.95
    assert 0.6 <= sum(r["latitude"] is not None for r in rows) / len(rows) < 1
    assert {r["camera"] for r in rows} == CAMERAS
    # Some were taken holding the phone upright: stored sideways, turned at the import.
    assert any(r["height"] > r["width"] for r in rows)
    assert any(r["height"] < r["width"] for r in rows)


def test_photos_land_on_their_observation_by_time(demo_db):
    for walk in all_walks(demo_db):
        for photo in walk["photos"]:
            assert photo["observation_id"] or photo["stop_id"], photo["original_name"]
        views = [p for p in walk["photos"] if not p["observation_id"]]
        assert views and all(p["caption"].startswith("Vue d'ensemble") for p in views)
        for o in walk["observations"]:
            assert 1 <= len(o["photos"]) <= 2, o["description"]
            noted = local(o["created_at"])
            for photo in o["photos"]:
                assert photo["stop_id"] == o["stop_id"]
                taken = dt.datetime.fromisoformat(photo["taken_at"])
                # Taken within a couple of minutes of the note: closer than any other.
                assert abs((taken - noted).total_seconds()) <= 150
                if photo["latitude"] is not None:
                    stop = next(s for s in walk["stops"] if s["id"] == o["stop_id"])
                    assert abs(photo["latitude"] - stop["latitude"]) < 0.001
                    assert abs(photo["longitude"] - stop["longitude"]) < 0.001


def blueness(image: Image.Image, y: int) -> float:
    """How much bluer than red a row of the picture is, on average."""
    return sum(b - r for r, _g, b in (image.getpixel((x, y)) for x in range(image.width))
               ) / image.width


def test_photos_are_upright(demo_db):
    """The sky is at the top: bluer in the first rows than in the last ones (most scenes
    have a sky; a photo turned a quarter would have it on one side)."""
    rows = demo_db.query("SELECT sha256, width, height FROM media WHERE kind = 'photo'")
    upright: dict[bool, list[bool]] = {True: [], False: []}
    for row in rows:
        with Image.open(media.working_path(demo_db.path, row["sha256"])) as image:
            small = image.convert("RGB").resize((32, 32))
        upright[row["height"] > row["width"]].append(blueness(small, 0) > blueness(small, 31))
    for portrait, checks in upright.items():
        assert sum(checks) / len(checks) >= 0.7, ("portrait" if portrait else "landscape")


def test_children_are_flagged(demo_db):
    flagged = demo_db.query("""SELECT c.name, w.walk_date FROM photos p
                               JOIN walks w ON w.id = p.walk_id
                               JOIN councils c ON c.id = w.council_id
                               WHERE p.identifiable = 1""")
    total = demo_db.scalar("SELECT count(*) FROM photos")
    assert 2 <= len(flagged) <= total // 8
    # Journey 4: she flags two where children are recognisable.
    first_basseau = min(w for n, w in ((r["name"], r["walk_date"]) for r in flagged)
                        if n == "Basseau Grande-Garenne")
    assert sum(r["name"] == "Basseau Grande-Garenne" and r["walk_date"] == first_basseau
               for r in flagged) == 2


def test_each_walk_has_a_plan_with_pins(demo_db):
    for walk in all_walks(demo_db):
        plan = walk["plan"]
        assert plan and plan["kind"] == "plan"
        assert (plan["width"], plan["height"]) == demo.PLAN_PIXELS
        assert media.working_path(demo_db.path, plan["sha256"]).is_file()
        assert all(s["plan_x"] is not None for s in walk["stops"])
        pinned = [o for o in walk["observations"] if o["plan_x"] is not None]
        assert len(pinned) >= len(walk["observations"]) * 0.6
        assert all(0 <= o["plan_x"] <= 1 and 0 <= o["plan_y"] <= 1 for o in pinned)
    distinct = demo_db.scalar("SELECT count(DISTINCT plan_media_id) FROM walks")
    repeated = demo_db.scalar("SELECT count(*) FROM walks WHERE previous_walk_id IS NOT NULL")
    assert distinct == 10 - repeated


# -- follow-up ---------------------------------------------------------------------------

def test_follow_up_history_is_dated_and_in_order(demo_db):
    statuses = Counter()
    for walk in all_walks(demo_db):
        walk_day = walk["walk_date"]
        for o in walk["observations"]:
            for f in o["followups"]:
                steps = f["steps"]
                dates = [s["step_date"] for s in steps]
                assert dates == sorted(dates)
                assert all(walk_day <= d <= TODAY.isoformat() for d in dates)
                assert all(s["next_reminder_on"] is None or s["next_reminder_on"]
                           > s["step_date"] for s in steps)
                if steps:
                    assert f["status"] == steps[-1]["status"]
                    assert f["next_reminder_on"] == steps[-1]["next_reminder_on"]
                    assert steps[0]["status"] == "transmis"
                    assert steps[0]["channel"] in ("courrier", "mail")
                    sent = dt.date.fromisoformat(dates[0])
                    if f["body"] != "departement":  # the one redirected there came later
                        assert 4 <= (sent - dt.date.fromisoformat(walk_day)).days <= 10
                else:
                    assert f["status"] == "a_transmettre"
                statuses[f["status"]] += 1
    assert {"transmis", "pris_en_compte", "programme", "en_cours", "resolu",
            "reoriente", "refuse", "a_transmettre"} <= set(statuses)


def test_some_follow_ups_are_to_remind(demo_db, on_demo_day):
    rows = followups.search(demo_db)
    overdue = followups.search(demo_db, to_remind=True)
    assert 0 < len(overdue) < len(rows) / 2
    limit = (TODAY - dt.timedelta(days=30)).isoformat()
    silent = [r for r in overdue if r["status"] == "transmis" and r["last_step_date"] < limit]
    past_reminder = [r for r in overdue if r["next_reminder_on"]
                     and r["next_reminder_on"] <= TODAY.isoformat()]
    assert len(silent) >= 3 and len(past_reminder) >= 2
    # Sent a year ago, and reminded since: « relance » steps.
    assert demo_db.scalar("SELECT count(*) FROM followup_steps WHERE note LIKE 'Relance%'")


# -- determinism and safety ---------------------------------------------------------------

def test_same_seed_gives_the_same_walks(demo_db, tmp_path):
    with open_database(tmp_path / "again.sqlite") as db:
        summary = demo.populate(db, today=TODAY)
        again = snapshot(db)
    assert summary == demo_db.summary
    first = snapshot(demo_db)
    for part in first:
        assert again[part] == first[part], part


def test_a_failure_leaves_neither_rows_nor_files(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    real_import = photos.import_photos
    calls = []

    def failing_import(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk unplugged")
        return real_import(*args, **kwargs)

    monkeypatch.setattr(photos, "import_photos", failing_import)
    path = tmp_path / "demo.sqlite"
    with open_database(path) as db, pytest.raises(RuntimeError):
        demo.populate(db, today=TODAY)
    with open_database(path) as db:
        for table in ("councils", "people", "meetings", "walks", "observations", "media",
                      "photos", "followups", "followup_steps"):
            assert db.scalar(f"SELECT count(*) FROM {table}") == 0, table
    assert not paths.media_dir(path).exists()
    assert list(scratch.iterdir()) == []


def test_command_line_lists_shows_and_prints_the_walks(tmp_path, capsys):
    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(path)]) == 0
    capsys.readouterr()
    assert main(["list", "walks", "--db", str(path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 10
    assert all(w["observation_count"] >= 8 and w["photo_count"] >= 8 for w in listed)
    walk_id = next(w["id"] for w in listed)
    assert main(["show", "walk", walk_id, "--db", str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["id"] == walk_id and shown["plan"]
    assert len(shown["stops"]) >= 6 and len(shown["observations"]) >= 8
    assert any(o.get("followups") for o in shown["observations"])
    if importlib.util.find_spec("perr_desktop.reports.walk") is None:
        pytest.skip("no walk report in this tree")
    pdf = tmp_path / "walk.pdf"
    assert main(["report", "walk", walk_id, "--db", str(path), "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 50_000
