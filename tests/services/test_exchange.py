"""Exchange between laptops: round trips, merges, conflicts, media, scope, anonymised
packages, the shared folder and the command line."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from perr_desktop import paths
from perr_desktop.cli import main
from perr_desktop.errors import UserError
from perr_desktop.services import demo, exchange, meetings, photos, walks
from perr_desktop.services import people as people_service
from perr_desktop.storage.database import open_database
from tests.services import exchange_corpus as corpus

SOURCE_TODAY = dt.date(2026, 6, 15)
_names = itertools.count()


# -- laptops -------------------------------------------------------------------------------

class Laptop:
    """One computer: its database, and packages written beside it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = open_database(path)

    def package(self, **options) -> Path:
        target = self.path.parent / f"{self.path.stem}-{next(_names)}.perrpack"
        exchange.export_package(self.db, target, **options)
        return target

    def take(self, package: Path) -> exchange.ImportSummary:
        return exchange.import_package(self.db, package)

    def close(self) -> None:
        self.db.close()


def exchanged(db) -> dict[str, list[dict]]:
    """Every record of every table that travels, all columns, by id."""
    return {t: db.query(f'SELECT * FROM "{t}" ORDER BY id') for t in exchange._schema(db)}


def whole_file(db) -> dict[str, list]:
    """Every table of the database, the sync tables included."""
    tables = [r["name"] for r in db.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: sorted(db.query(f'SELECT * FROM "{t}"'), key=repr) for t in tables}


def media_files(db_path: Path) -> dict[str, str]:
    folder = paths.media_dir(db_path)
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


def copy_database(template: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, target)
    media = paths.media_dir(template)
    if media.exists():
        shutil.copytree(media, paths.media_dir(target))
    return target


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    """The demonstration data without walks, built once."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with open_database(path) as db:
        demo.populate(db, today=SOURCE_TODAY, with_walks=False)
    return path


@pytest.fixture(scope="module")
def source_template(tmp_path_factory):
    """A small laptop built through the services, with a walk and three photos."""
    folder = tmp_path_factory.mktemp("source")
    ids = corpus.build_source(folder / "a.sqlite", folder / "pictures")
    return folder / "a.sqlite", ids


@pytest.fixture
def laptops(tmp_path):
    opened: list[Laptop] = []

    def make(path: Path) -> Laptop:
        laptop = Laptop(path)
        opened.append(laptop)
        return laptop

    yield make
    for laptop in opened:
        laptop.close()


@pytest.fixture
def pair(tmp_path, demo_template, laptops):
    """Laptop A with the demonstration data; laptop B started from A's package."""
    a = laptops(copy_database(demo_template, tmp_path / "a" / "a.sqlite"))
    package = a.package()
    (tmp_path / "b").mkdir()
    exchange.import_package_file(package, tmp_path / "b" / "b.sqlite")
    b = laptops(tmp_path / "b" / "b.sqlite")
    return a, b


@pytest.fixture
def source_pair(tmp_path, source_template, laptops):
    template, ids = source_template
    a = laptops(copy_database(template, tmp_path / "a" / "a.sqlite"))
    package = a.package()
    (tmp_path / "b").mkdir()
    exchange.import_package_file(package, tmp_path / "b" / "b.sqlite")
    b = laptops(tmp_path / "b" / "b.sqlite")
    return a, b, ids


def draft_meetings(db, count: int) -> list[str]:
    rows = db.query("SELECT id FROM meetings WHERE minutes_status = 'brouillon' "
                    "AND deleted_at IS NULL AND cancelled = 0 ORDER BY starts_at DESC, id")
    return [r["id"] for r in rows[:count]]


def member_without_attendance(db) -> str:
    return db.scalar(
        "SELECT p.id FROM people p WHERE p.deleted_at IS NULL AND EXISTS (SELECT 1 FROM "
        "memberships m WHERE m.person_id = p.id AND m.deleted_at IS NULL) ORDER BY p.id")


def row(db, table: str, record_id: str) -> dict:
    return db.query_one(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,))


# -- the round trip ------------------------------------------------------------------------

def test_a_new_database_from_a_package_holds_the_same_records(pair):
    a, b = pair
    assert exchange.database_id(a.db) != exchange.database_id(b.db)
    mine, theirs = exchanged(a.db), exchanged(b.db)
    for table in mine:
        if table in exchange.REFERENCE_TABLES:
            # seeded on B when its file was made: same content, B's own stamps for now
            strip = lambda rows: [{k: v for k, v in r.items()  # noqa: E731
                                   if k not in ("created_at", "updated_at")} for r in rows]
            assert strip(mine[table]) == strip(theirs[table]), table
        else:
            assert mine[table] == theirs[table], table


def test_two_laptops_edit_exchange_both_ways_and_converge(pair):
    a, b = pair
    venue_meeting, other_meeting = draft_meetings(a.db, 2)
    leaving = member_without_attendance(a.db)

    # On A: the venue corrected, the other meeting's title, a person removed.
    meetings.update_meeting(a.db, venue_meeting, venue="Salle polyvalente Jean-Moulin")
    meetings.update_meeting(a.db, other_meeting, title="Plénière de rentrée")
    people_service.delete_person(a.db, leaving)
    # On B: the same venue corrected otherwise, the other meeting's notes, a newcomer.
    meetings.update_meeting(b.db, venue_meeting, venue="Centre social du Champ")
    meetings.set_meeting_notes(b.db, other_meeting, "Prévoir la sono.")
    newcomer = people_service.create_person(b.db, first_name="Inès", last_name="Moreau")

    from_b = a.take(b.package())
    assert from_b.conflicts == 1
    assert from_b.added == 1 and from_b.merged == 1
    from_a = b.take(a.package())
    assert from_a.conflicts == 1 and from_a.deleted >= 1

    # Merged field by field where the two sides touched different fields.
    for db in (a.db, b.db):
        merged = row(db, "meetings", other_meeting)
        assert (merged["title"], merged["notes"]) == ("Plénière de rentrée", "Prévoir la sono.")
        assert row(db, "people", leaving)["deleted_at"] is not None
        assert row(db, "people", newcomer)["last_name"] == "Moreau"
    # The venue: each side keeps its own and lists the conflict.
    assert row(a.db, "meetings", venue_meeting)["venue"] == "Salle polyvalente Jean-Moulin"
    assert row(b.db, "meetings", venue_meeting)["venue"] == "Centre social du Champ"
    [conflict] = exchange.open_conflicts(a.db)
    assert conflict.table == "meetings" and conflict.record_id == venue_meeting
    assert [(f.field, f.local, f.incoming) for f in conflict.fields] == [
        ("venue", "Salle polyvalente Jean-Moulin", "Centre social du Champ")]
    title = row(a.db, "meetings", venue_meeting)["title"]
    assert title in conflict.label
    [theirs] = exchange.open_conflicts(b.db)
    assert theirs.fields[0].local == "Centre social du Champ"

    # A takes B's venue; one more round and both agree, with nothing left to settle.
    exchange.settle_conflict(a.db, conflict.id, "incoming")
    assert row(a.db, "meetings", venue_meeting)["venue"] == "Centre social du Champ"
    b.take(a.package())
    a.take(b.package())
    assert exchange.open_conflicts(a.db) == [] and exchange.open_conflicts(b.db) == []
    assert exchanged(a.db) == exchanged(b.db)


def test_two_laptops_with_walks_and_photos_end_with_the_same_content(source_pair, tmp_path):
    """The whole journey through package files, both ways: each laptop edits a walk and
    adds a photo, one conflict is listed on both, settled on one; after the last round
    every table that travels and every media file is the same on both."""
    a, b, ids = source_pair
    walk, person = ids["walk"], ids["people"][0]
    # On A: the walk's weather, a new observation with a photo, Hélène's telephone.
    walks.update_walk(a.db, walk, weather="Pluie fine")
    from_a_obs = walks.add_observation(a.db, walk, description="Trottoir défoncé")
    photos.import_photos(a.db, walk, [corpus.jpeg(tmp_path / "a.jpg", (10, 120, 60))])
    walks.remove_observation(a.db, ids["observation"])
    people_service.update_person(a.db, person, phone="05 45 00 00 10")
    # On B: the walk's notes, its own observation and photo, Hélène's telephone too.
    walks.update_walk(b.db, walk, notes="Compte rendu envoyé au bailleur.")
    from_b_obs = walks.add_observation(b.db, walk, description="Banc arraché")
    photos.import_photos(b.db, walk, [corpus.jpeg(tmp_path / "b.jpg", (160, 20, 90))])
    people_service.update_person(b.db, person, phone="05 45 00 00 20")

    to_a = a.take(b.package())
    to_b = b.take(a.package())
    assert (to_a.conflicts, to_b.conflicts) == (1, 1)
    assert to_a.media == 1 and to_b.media == 1     # each side's new image
    for db, mine, theirs in ((a.db, "05 45 00 00 10", "05 45 00 00 20"),
                             (b.db, "05 45 00 00 20", "05 45 00 00 10")):
        [conflict] = exchange.open_conflicts(db)
        assert conflict.record_id == person
        assert [(f.field, f.local, f.incoming) for f in conflict.fields] == [
            ("phone", mine, theirs)]
        merged = row(db, "walks", walk)
        assert (merged["weather"], merged["notes"]) == ("Pluie fine",
                                                        "Compte rendu envoyé au bailleur.")
        assert row(db, "observations", ids["observation"])["deleted_at"] is not None
        assert {from_a_obs, from_b_obs} <= {r["id"] for r in db.query(
            "SELECT id FROM observations WHERE deleted_at IS NULL")}

    exchange.settle_conflict(b.db, exchange.open_conflicts(b.db)[0].id, "incoming")
    a.take(b.package())
    b.take(a.package())
    assert exchange.open_conflicts(a.db) == [] and exchange.open_conflicts(b.db) == []
    assert exchanged(a.db) == exchanged(b.db)
    assert row(a.db, "people", person)["phone"] == "05 45 00 00 10"
    assert media_files(a.path) == media_files(b.path)
    assert a.db.scalar("SELECT count(*) FROM photos WHERE deleted_at IS NULL") == 5
    numbers = [r["number"] for r in a.db.query(
        "SELECT number FROM observations WHERE walk_id = ? AND deleted_at IS NULL", (walk,))]
    assert len(numbers) == len(set(numbers)) == 2


def test_keeping_mine_wins_on_the_other_laptop_after_one_more_round(pair):
    a, b = pair
    [meeting] = draft_meetings(a.db, 1)
    meetings.update_meeting(a.db, meeting, venue="Salle A")
    meetings.update_meeting(b.db, meeting, venue="Salle B")
    a.take(b.package())
    b.take(a.package())
    [conflict] = exchange.open_conflicts(a.db)
    exchange.settle_conflict(a.db, conflict.id, "local")
    summary = b.take(a.package())
    assert summary.conflicts == 0
    assert row(b.db, "meetings", meeting)["venue"] == "Salle A"
    assert exchange.open_conflicts(b.db) == []  # B's listing went with the agreement
    settled = b.db.query_one("SELECT * FROM conflicts")
    assert settled["choice"] == "superseded"
    a.take(b.package())
    assert exchanged(a.db) == exchanged(b.db)


def test_settling_field_by_field(pair):
    a, b = pair
    person = member_without_attendance(a.db)
    people_service.update_person(a.db, person, email="a@example.org", phone="05 45 00 00 01",
                                 first_name="Jeanne")
    people_service.update_person(b.db, person, email="b@example.org", phone="05 45 00 00 02",
                                 organisation="Amicale")
    a.take(b.package())
    [conflict] = exchange.open_conflicts(a.db)
    assert [f.field for f in conflict.fields] == ["email", "phone"]
    # Not in conflict: each side's other change is merged in at once.
    merged = row(a.db, "people", person)
    assert (merged["first_name"], merged["organisation"]) == ("Jeanne", "Amicale")
    assert "jeanne" in merged["search_key"] and "amicale" in merged["search_key"]
    with pytest.raises(ValueError):
        exchange.settle_conflict(a.db, conflict.id, {"email": "local"})
    exchange.settle_conflict(a.db, conflict.id, {"email": "local", "phone": "incoming"})
    with pytest.raises(UserError):
        exchange.settle_conflict(a.db, conflict.id, "local")
    b.take(a.package())
    a.take(b.package())
    for db in (a.db, b.db):
        settled = row(db, "people", person)
        assert (settled["email"], settled["phone"]) == ("a@example.org", "05 45 00 00 02")
    assert exchanged(a.db) == exchanged(b.db)


def test_a_deletion_against_an_edit_is_a_conflict(pair):
    a, b = pair
    person = member_without_attendance(a.db)
    people_service.delete_person(a.db, person)
    people_service.update_person(b.db, person, phone="05 45 99 99 99")
    summary = a.take(b.package())
    assert summary.conflicts == 1
    [conflict] = exchange.open_conflicts(a.db)
    assert {f.field for f in conflict.fields} == {"deleted_at", "phone"}
    exchange.settle_conflict(a.db, conflict.id, "incoming")
    restored = row(a.db, "people", person)
    assert restored["deleted_at"] is None and restored["phone"] == "05 45 99 99 99"


def test_a_deletion_alone_travels(pair):
    a, b = pair
    [meeting] = draft_meetings(a.db, 1)
    meetings.delete_meeting(a.db, meeting)
    summary = b.take(a.package())
    assert summary.deleted >= 1 and summary.conflicts == 0
    assert row(b.db, "meetings", meeting)["deleted_at"] is not None


def test_importing_the_same_package_twice_changes_nothing(pair):
    a, b = pair
    [meeting, other] = draft_meetings(a.db, 2)
    meetings.update_meeting(a.db, meeting, venue="Salle A")
    meetings.update_meeting(b.db, meeting, venue="Salle B")
    meetings.update_meeting(a.db, other, title="Titre de A")
    meetings.set_meeting_notes(b.db, other, "Notes de B")
    package = b.package()
    first = a.take(package)
    assert first.conflicts == 1 and first.merged == 1
    before = whole_file(a.db)
    again = a.take(package)
    assert not again.changed
    assert whole_file(a.db) == before
    assert "rien de nouveau" in again.summary() or "nothing new" in again.summary()


def test_an_older_package_from_the_same_laptop_is_left_aside(pair):
    a, b = pair
    [meeting] = draft_meetings(a.db, 1)
    older = a.package()
    meetings.update_meeting(a.db, meeting, venue="Salle récente")
    newer = a.package()
    b.take(newer)
    before = whole_file(b.db)
    summary = b.take(older)
    assert summary.stale and not summary.changed
    assert whole_file(b.db) == before
    assert row(b.db, "meetings", meeting)["venue"] == "Salle récente"


def test_a_third_laptop_takes_an_edit_it_never_saw_without_a_false_conflict(pair, laptops,
                                                                             tmp_path):
    a, b = pair
    (tmp_path / "c").mkdir()
    exchange.import_package_file(a.package(), tmp_path / "c" / "c.sqlite")
    c = laptops(tmp_path / "c" / "c.sqlite")
    [meeting] = draft_meetings(b.db, 1)
    meetings.update_meeting(b.db, meeting, venue="Salle de B")
    summary = c.take(b.package())
    assert summary.conflicts == 0
    assert row(c.db, "meetings", meeting)["venue"] == "Salle de B"


def test_conflict_labels_name_the_record(pair):
    a, b = pair
    person = member_without_attendance(a.db)
    name = row(a.db, "people", person)
    people_service.update_person(a.db, person, phone="05 45 00 00 03")
    people_service.update_person(b.db, person, phone="05 45 00 00 04")
    a.take(b.package())
    [conflict] = exchange.open_conflicts(a.db)
    assert name["last_name"] in conflict.label
    assert conflict.peer_name == exchange.database_name(b.db)
    assert exchange.conflict_count(a.db) == 1


# -- observations numbered on both laptops ----------------------------------------------

def test_observations_numbered_on_both_laptops_get_distinct_numbers(source_pair):
    a, b, ids = source_pair
    first = walks.add_observation(a.db, ids["walk"], description="Banc cassé")
    second = walks.add_observation(b.db, ids["walk"], description="Tags")
    assert row(a.db, "observations", first)["number"] == row(b.db, "observations",
                                                             second)["number"]
    summary = a.take(b.package())
    assert summary.renumbered == 1 and summary.conflicts == 0
    b.take(a.package())
    a.take(b.package())
    numbers = {db_name: {r["id"]: r["number"] for r in db.query(
        "SELECT id, number FROM observations WHERE walk_id = ?", (ids["walk"],))}
        for db_name, db in (("a", a.db), ("b", b.db))}
    assert numbers["a"] == numbers["b"]
    assert len(set(numbers["a"].values())) == len(numbers["a"]) == 3
    assert exchange.open_conflicts(a.db) == [] and exchange.open_conflicts(b.db) == []


# -- media ---------------------------------------------------------------------------------

def test_images_travel_once(source_pair):
    a, b, _ids = source_pair
    assert media_files(b.path) == media_files(a.path)
    assert len(media_files(b.path)) == 6  # three working copies, three thumbnails
    before = media_files(b.path)
    summary = b.take(a.package())
    assert summary.media == 0 and media_files(b.path) == before
    assert not list(paths.media_dir(b.path).glob(".incoming-*"))


def test_the_same_photo_imported_on_both_laptops_is_stored_once(source_pair, tmp_path):
    a, b, ids = source_pair
    shared = corpus.jpeg(tmp_path / "whatsapp.jpg", (120, 60, 10))
    only_a = corpus.jpeg(tmp_path / "only-a.jpg", (10, 60, 120))
    photos.import_photos(a.db, ids["walk"], [shared, only_a])
    photos.import_photos(b.db, ids["walk"], [shared])
    summary = b.take(a.package())
    assert summary.media == 1  # only A's own photo brought a file
    a.take(b.package())
    for db in (a.db, b.db):
        assert db.scalar("SELECT count(*) FROM media") == 5
        assert db.scalar("SELECT count(*) FROM photos WHERE walk_id = ?", (ids["walk"],)) == 5
    assert media_files(a.path) == media_files(b.path)


# -- one council ---------------------------------------------------------------------------

def test_one_council_with_what_it_needs(source_pair, tmp_path):
    a, _b, ids = source_pair
    package = a.package(council_id=ids["council"])
    manifest = corpus.manifest_of(package)
    assert manifest["scope"]["kind"] == "council"
    assert manifest["scope"]["council_id"] == ids["council"]
    files = corpus.entries(package)
    rows = {name[len("records/"):-len(".jsonl")]: [json.loads(line) for line in
                                                   data.decode().splitlines()]
            for name, data in files.items() if name.startswith("records/")}
    councils = {r["id"] for r in rows["councils"]}
    # itself, and the council whose meeting it is invited to (the meeting needs it)
    assert councils == {ids["council"], ids["other_council"]}
    meeting_ids = {r["id"] for r in rows["meetings"]}
    assert {ids["meeting"], ids["second_meeting"], ids["guest_meeting"]} == meeting_ids
    assert {r["council_id"] for r in rows["memberships"]} == {ids["council"]}
    assert len(rows["vocabulary"]) > 10 and rows["perr_objectives"] and rows["neighbourhoods"]
    assert len([n for n in files if n.startswith("media/")]) == 6
    fresh = tmp_path / "fresh" / "fresh.sqlite"
    fresh.parent.mkdir()
    summary = exchange.import_package_file(package, fresh)
    assert summary.added > 0
    with open_database(fresh) as db:
        assert db.scalar("SELECT count(*) FROM meetings WHERE id = ?",
                         (ids["unrelated_meeting"],)) == 0
        assert db.query("PRAGMA foreign_key_check") == []


def test_an_unknown_council_is_a_user_error(source_pair, tmp_path):
    a, _b, _ids = source_pair
    with pytest.raises(UserError):
        exchange.export_package(a.db, tmp_path / "x.perrpack", council_id="nope")
    assert not (tmp_path / "x.perrpack").exists()


# -- anonymised packages ---------------------------------------------------------------------

def unpacked(package: Path) -> bytes:
    with zipfile.ZipFile(package) as zf:
        return b"\n".join(zf.namelist()[i].encode() + b"\n" + zf.read(name)
                          for i, name in enumerate(zf.namelist()))


def test_an_anonymised_package_holds_no_name(source_pair, tmp_path):
    a, _b, ids = source_pair
    package = a.package(anonymize=True)
    content = unpacked(package)
    secrets = [corpus.WALKER, corpus.ADDRESS, corpus.NOTE]
    for first, last, _gender, email, phone, _year in corpus.PEOPLE:
        secrets += [first, last] + [s for s in (email, phone) if s]
    for secret in secrets:
        assert secret.encode() not in content, secret
        assert secret.encode("utf-16-le") not in content
    assert corpus.manifest_of(package)["anonymized"] is True
    assert ids["identifiable_sha"].encode() not in content
    rows = {name: [json.loads(line) for line in data.decode().splitlines()]
            for name, data in corpus.entries(package).items() if name.endswith(".jsonl")}
    assert "sync/bases.jsonl" not in rows
    people = rows["records/people.jsonl"]
    assert all(p["first_name"] == "" and p["last_name"].startswith("Participant ")
               for p in people)
    assert len({p["last_name"] for p in people}) == len(people)
    today = dt.date.today()
    expected = {exchange._blurred_birth_year(year, today) for *_rest, year in corpus.PEOPLE}
    assert {p["birth_year"] for p in people} == expected
    assert None in expected  # the under-16 has none
    assert all(p["birth_year"] is None or (today.year - p["birth_year"]) in (16, 26, 60)
               for p in people)
    walker = [w for w in rows["records/walk_participants.jsonl"] if not w["person_id"]]
    assert walker and walker[0]["name"].startswith("Participant ")
    assert all(not p["identifiable"] for p in rows["records/photos.jsonl"])
    assert len(rows["records/photos.jsonl"]) == 2
    # The same pseudonyms next time.
    again = rows_of(a.package(anonymize=True), "people")
    assert {p["id"]: p["last_name"] for p in again} == {p["id"]: p["last_name"]
                                                        for p in people}


def rows_of(package: Path, table: str) -> list[dict]:
    data = corpus.entries(package)[f"records/{table}.jsonl"]
    return [json.loads(line) for line in data.decode().splitlines()]


def test_an_anonymised_package_goes_into_a_new_database_only(source_pair, tmp_path):
    a, b, ids = source_pair
    package = a.package(anonymize=True)
    with pytest.raises(UserError, match=package.name):
        b.take(package)
    partner = tmp_path / "partner" / "officer.sqlite"
    partner.parent.mkdir()
    summary = exchange.import_package_file(package, partner)
    assert summary.anonymized and summary.added > 0
    with open_database(partner) as db:
        assert exchange.is_anonymized(db)
        assert db.query("PRAGMA foreign_key_check") == []
        # The partner's next package updates the same database.
        meetings.update_meeting(a.db, ids["second_meeting"], venue="Salle B12")
        assert exchange.import_package(db, a.package(anonymize=True)).updated == 1
        # What it writes is anonymised too, whatever it is asked.
        out = tmp_path / "partner" / "out.perrpack"
        assert exchange.export_package(db, out).anonymized
        assert corpus.manifest_of(out)["anonymized"] is True


# -- shared folder ----------------------------------------------------------------------------

def test_the_shared_folder(source_pair, tmp_path):
    a, b, _ids = source_pair
    folder = tmp_path / "Nextcloud" / "PERR"
    folder.mkdir(parents=True)
    exchange.set_database_name(a.db, "Portable de Samira")
    exchange.set_database_name(b.db, "Portable de Karim")
    first = exchange.write_to_shared_folder(a.db, folder)
    assert first.name.startswith(f"perr-{exchange.database_id(a.db)[:8]}-portable-de-samira")
    second = exchange.write_to_shared_folder(a.db, folder)
    assert first == second and [p.name for p in folder.iterdir()] == [first.name]
    exchange.set_database_name(a.db, "Samira (centre social)")
    renamed = exchange.write_to_shared_folder(a.db, folder)
    assert [p.name for p in folder.iterdir()] == [renamed.name]
    assert exchange.packages_in_folder(a.db, folder) == []  # its own is not offered

    [offered] = exchange.packages_in_folder(b.db, folder)
    assert offered.name == "Samira (centre social)" and not offered.imported
    b.take(offered.path)
    [offered] = exchange.packages_in_folder(b.db, folder)
    assert offered.imported
    exchange.write_to_shared_folder(b.db, folder)
    (folder / "garbage.perrpack").write_bytes(b"not a zip")
    listed = exchange.packages_in_folder(a.db, folder)
    assert {p.name for p in listed if p.problem is None} == {"Portable de Karim"}
    [broken] = [p for p in listed if p.problem]
    assert broken.path.name == "garbage.perrpack" and not broken.imported
    assert "zip" in broken.problem


def test_a_missing_shared_folder_is_a_user_error(source_pair, tmp_path):
    a, _b, _ids = source_pair
    with pytest.raises(UserError):
        exchange.write_to_shared_folder(a.db, tmp_path / "unplugged")
    assert exchange.packages_in_folder(a.db, tmp_path / "unplugged") == []


# -- command line ----------------------------------------------------------------------------

def test_command_line_export_and_import_into_a_new_database(source_template, tmp_path, capsys):
    template, ids = source_template
    a = copy_database(template, tmp_path / "a" / "a.sqlite")
    package = tmp_path / "out" / "a.perrpack"
    assert main(["export", "package", "--db", str(a), "-o", str(package)]) == 0
    assert package.exists() and str(package) in capsys.readouterr().out
    new = tmp_path / "b" / "b.sqlite"
    new.parent.mkdir()
    assert main(["import", "package", str(package), "--db", str(new), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "added" in out and "3 images" in out
    assert main(["import", "package", str(package), "--db", str(new), "--lang", "en"]) == 0
    assert "nothing new" in capsys.readouterr().out
    partner = tmp_path / "partner.perrpack"
    assert main(["export", "package", "--council", ids["council"], "--anonymize",
                 "--db", str(a), "-o", str(partner)]) == 0
    manifest = corpus.manifest_of(partner)
    assert manifest["anonymized"] and manifest["scope"]["council_id"] == ids["council"]
