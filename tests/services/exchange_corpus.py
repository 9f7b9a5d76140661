"""Exchange packages for the tests: a small laptop built through the services, a valid
package of it, and a corpus of hostile or broken packages made from that valid one.

Each corpus function takes the valid package and a folder and writes one zip there,
returning its path. :data:`HOSTILE` lists them by name for the parametrised tests.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import stat
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

from perr_desktop.services import councils, meetings, people, photos, walks
from perr_desktop.storage.database import open_database

# Names and contact details of the source laptop: the anonymised package must hold none.
PEOPLE = [
    ("Hélène", "Garnier", "femme", "helene.garnier@example.org", "06 11 22 33 44", 1962),
    ("Karim", "Benali", "homme", "karim.benali@example.net", "06 55 44 33 22", 1990),
    ("Zoé", "Lefebvre", "femme", "", "05 45 00 11 22", 2004),
    ("Moussa", "Diallo", "homme", "moussa.d@example.org", "", 2012),
]
WALKER = "Bernadette Fougerolles"   # a walk participant who is not in the directory
ADDRESS = "12 rue des Glycines"
NOTE = "Mme Garnier a signalé la fuite"


def jpeg(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (640, 480)) -> Path:
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 40):  # some detail, so that it is not all one colour
        for y in range(size[1]):
            image.putpixel((x, y), (255 - colour[0], 255 - colour[1], 255 - colour[2]))
    image.save(path, "JPEG", quality=80)
    return path


def build_source(path: Path, pictures: Path) -> dict[str, Any]:
    """Laptop A: the five QPV councils, four people (members of two councils), a meeting
    with an agenda, attendance and notes, another council's meeting it is invited to, a
    walk with stops, participants, an observation and three photos (one identifiable).
    Returns the ids the tests need."""
    pictures.mkdir(parents=True, exist_ok=True)
    ids: dict[str, Any] = {}
    with open_database(path) as db:
        council_ids = councils.create_qpv_councils(db)
        by_name = {councils.get_council(db, c)["name"]: c for c in council_ids}
        basseau = by_name["Basseau Grande-Garenne"]
        champ = by_name["Champ de Manœuvre"]
        ids["council"], ids["other_council"] = basseau, champ
        ids["third_council"] = by_name["Ma Campagne"]
        person_ids = []
        for first, last, gender, email, phone, year in PEOPLE:
            person_id = people.create_person(
                db, first_name=first, last_name=last, gender=gender, email=email, phone=phone,
                birth_year=year, address=ADDRESS, notes=NOTE)
            person_ids.append(person_id)
        ids["people"] = person_ids
        for person_id in person_ids[:3]:
            people.add_membership(db, basseau, person_id, "habitants", joined_on="2024-01-01")
        people.add_membership(db, champ, person_ids[3], "habitants", joined_on="2024-01-01")
        meeting = meetings.plan_meeting(
            db, basseau, "pleniere", "Plénière de mars", "2026-03-12T18:30",
            "2026-03-12T20:30", venue="Maison de quartier", notes=NOTE)
        item = meetings.add_agenda_item(db, meeting, "Éclairage public", 20)
        meetings.set_item_notes(db, item, NOTE)
        meetings.set_attendance(db, meeting, person_ids[0], "present")
        meetings.add_decision(db, meeting, "Écrire à la mairie", agenda_item_id=item)
        ids["meeting"], ids["item"] = meeting, item
        second = meetings.plan_meeting(
            db, basseau, "pleniere", "Plénière d'avril", "2026-04-09T18:30",
            "2026-04-09T20:30", venue="Maison de quartier")
        ids["second_meeting"] = second
        # Champ de Manœuvre's meeting, to which Basseau is invited.
        guest = meetings.plan_meeting(
            db, champ, "pleniere", "Inter-conseils", "2026-05-07T18:30", "2026-05-07T20:30",
            venue="Salle des fêtes", guest_council_ids=[basseau])
        ids["guest_meeting"] = guest
        other = meetings.plan_meeting(
            db, ids["third_council"], "pleniere", "Ma Campagne seule", "2026-05-14T18:30",
            "2026-05-14T20:30")
        ids["unrelated_meeting"] = other
        walk = walks.create_walk(db, basseau, "Marche de nuit", "2026-02-10", period="nuit",
                                 notes=NOTE)
        ids["walk"] = walk
        stop = walks.add_stop(db, walk, "Place du marché")
        walks.add_participant(db, walk, _walk_role(db), person_id=person_ids[1])
        walks.add_participant(db, walk, _walk_role(db), name=WALKER,
                              organisation="Logélia")
        ids["observation"] = walks.add_observation(
            db, walk, stop_id=stop, description="Lampadaire éteint", priority=1)
        files = [jpeg(pictures / f"p{n}.jpg", colour)
                 for n, colour in enumerate([(200, 30, 30), (30, 200, 30), (30, 30, 200)])]
        report = photos.import_photos(db, walk, files)
        ids["photos"] = report.imported
        walks.flag_identifiable(db, report.imported[0], True)
        ids["identifiable_sha"] = db.scalar(
            "SELECT m.sha256 FROM photos p JOIN media m ON m.id = p.media_id WHERE p.id = ?",
            (report.imported[0],))
        ids["files"] = files
    return ids


def _walk_role(db) -> str:
    return db.scalar("SELECT code FROM vocabulary WHERE kind = 'walk_role' ORDER BY sort_order")


# -- rewriting a package ------------------------------------------------------------------

def entries(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def manifest_of(package: Path) -> dict[str, Any]:
    return json.loads(entries(package)["manifest.json"])


def write(target: Path, files: dict[str, bytes], *, fix_manifest: bool = True,
          manifest: dict[str, Any] | None = None) -> Path:
    """A zip of ``files``; the manifest's checksums and sizes recomputed unless told
    otherwise (so that only the intended defect remains)."""
    files = dict(files)
    if fix_manifest and "manifest.json" in files:
        data = manifest if manifest is not None else json.loads(files["manifest.json"])
        for name in list(data.get("files", {})):
            if name not in files:
                del data["files"][name]
        for name, content in files.items():
            if name != "manifest.json" and not name.endswith("/"):
                data["files"][name] = {"sha256": hashlib.sha256(content).hexdigest(),
                                       "size": len(content)}
        files["manifest.json"] = json.dumps(data).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return target


def _lines(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode().splitlines() if line.strip()]


def _jsonl(rows: list[Any]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def with_rows(valid: Path, target: Path, table: str,
              change: Callable[[list[dict[str, Any]]], list[Any]],
              count: bool = True) -> Path:
    """The valid package with the rows of ``table`` changed (counts kept in step)."""
    files = entries(valid)
    rows = change(_lines(files[f"records/{table}.jsonl"]))
    files[f"records/{table}.jsonl"] = _jsonl(rows)
    manifest = json.loads(files["manifest.json"])
    if count:
        manifest["records"][table] = len(rows)
    return write(target, files, manifest=manifest)


def with_manifest(valid: Path, target: Path, change: Callable[[dict[str, Any]], Any]) -> Path:
    files = entries(valid)
    manifest = json.loads(files["manifest.json"])
    change(manifest)
    return write(target, files, manifest=manifest)


def raw_zip(target: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with warnings.catch_warnings(), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")  # « Duplicate name »: that is the point
        for info, content in members:
            zf.writestr(info, content)
    return target


def _plus(valid: Path, target: Path, extra: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    """The valid package (manifest untouched) with extra raw entries."""
    members: list[tuple[zipfile.ZipInfo | str, bytes]] = list(entries(valid).items())
    return raw_zip(target, members + extra)


def _first_media(valid: Path) -> str:
    return next(n for n in entries(valid) if n.startswith("media/")
                and not n.endswith("-thumb.jpg"))


# -- the corpus ---------------------------------------------------------------------------

def random_bytes(valid: Path, folder: Path) -> Path:
    path = folder / "random.perrpack"
    path.write_bytes(os.urandom(64 * 1024))
    return path


def empty_file(valid: Path, folder: Path) -> Path:
    path = folder / "empty.perrpack"
    path.write_bytes(b"")
    return path


def text_file(valid: Path, folder: Path) -> Path:
    path = folder / "text.perrpack"
    path.write_text('{"format": "perr-desktop-exchange", "format_version": 1}')
    return path


def truncated(valid: Path, folder: Path) -> Path:
    path = folder / "truncated.perrpack"
    data = valid.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def dot_dot(valid: Path, folder: Path) -> Path:
    return _plus(valid, folder / "dotdot.perrpack", [("../outside.txt", b"escaped")])


def nested_dot_dot(valid: Path, folder: Path) -> Path:
    return _plus(valid, folder / "nested.perrpack",
                 [("media/../../outside.jpg", b"\xff\xd8\xff escaped")])


def backslash_dot_dot(valid: Path, folder: Path) -> Path:
    return _plus(valid, folder / "backslash.perrpack", [("..\\outside.txt", b"escaped")])


def absolute_path(valid: Path, folder: Path) -> Path:
    return _plus(valid, folder / "absolute.perrpack",
                 [(str(folder / "absolute-outside.txt"), b"escaped")])


def drive_letter(valid: Path, folder: Path) -> Path:
    return _plus(valid, folder / "drive.perrpack", [("C:/Windows/outside.txt", b"escaped")])


def drive_relative(valid: Path, folder: Path) -> Path:
    return _plus(valid, folder / "drive-relative.perrpack", [("C:outside.txt", b"escaped")])


def symlink(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    name = _first_media(valid)
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    info.create_system = 3
    members: list[tuple[zipfile.ZipInfo | str, bytes]] = [
        (n, c) for n, c in files.items() if n != name]
    members.append((info, b"/etc/passwd"))
    return raw_zip(folder / "symlink.perrpack", members)


def duplicate_manifest(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    return _plus(valid, folder / "duplicate.perrpack",
                 [("manifest.json", files["manifest.json"])])


def duplicate_case(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    name = _first_media(valid)
    return _plus(valid, folder / "duplicate-case.perrpack", [(name.upper(), files[name])])


def unexpected_file(valid: Path, folder: Path) -> Path:
    return _plus(valid, folder / "unexpected.perrpack", [("autorun.exe", b"MZ...")])


def encrypted_flag(valid: Path, folder: Path) -> Path:
    """An entry flagged as encrypted (zipfile clears the flag when writing: patched)."""
    path = _plus(valid, folder / "encrypted.perrpack", [])
    return _patch(path, b"records/people.jsonl", local=(6, "<H", 0x1), central=(8, "<H", 0x1),
                  combine=True)


def _patch(path: Path, name: bytes, local: tuple[int, str, int], central: tuple[int, str, int],
           combine: bool = False) -> Path:
    """Change a field of ``name``'s local header and central-directory entry."""
    data = bytearray(path.read_bytes())
    for signature, name_at, (offset, fmt, value) in ((b"PK\x03\x04", 30, local),
                                                       (b"PK\x01\x02", 46, central)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at: at + name_at + len(name)] == name:
                if combine:
                    value |= struct.unpack_from(fmt, data, at + offset)[0]
                struct.pack_into(fmt, data, at + offset, value)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def bomb_ratio(valid: Path, folder: Path) -> Path:
    """A records file of 40 MB of spaces: it packs a thousand to one."""
    files = entries(valid)
    files["records/people.jsonl"] = files["records/people.jsonl"] + b" " * (40 * 1024 * 1024)
    return write(folder / "bomb.perrpack", files)


def bomb_lying_size(valid: Path, folder: Path) -> Path:
    """An entry whose headers declare 10 bytes unpacked while it unpacks to 20 MB: only
    counting while reading catches it."""
    path = folder / "bomb-lying.perrpack"
    files = entries(valid)
    payload = b"\n" * (20 * 1024 * 1024)
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["records/headcounts.jsonl"] = {
        "sha256": hashlib.sha256(payload[:10]).hexdigest(), "size": 10}
    files["manifest.json"] = json.dumps(manifest).encode()
    members: list[tuple[zipfile.ZipInfo | str, bytes]] = [
        (n, c) for n, c in files.items() if n != "records/headcounts.jsonl"]
    members.append(("records/headcounts.jsonl", payload))
    raw_zip(path, members)
    return _patch(path, b"records/headcounts.jsonl", local=(22, "<I", 10),
                  central=(24, "<I", 10))


def no_manifest(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    del files["manifest.json"]
    return write(folder / "no-manifest.perrpack", files, fix_manifest=False)


def manifest_not_json(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    files["manifest.json"] = b"{format_version: 1,"
    return write(folder / "manifest-garbage.perrpack", files, fix_manifest=False)


def manifest_array(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    files["manifest.json"] = b"[1, 2, 3]"
    return write(folder / "manifest-array.perrpack", files, fix_manifest=False)


def manifest_wrong_format(valid: Path, folder: Path) -> Path:
    return with_manifest(valid, folder / "wrong-format.perrpack",
                         lambda m: m.update(format="someone-else"))


def future_format(valid: Path, folder: Path) -> Path:
    return with_manifest(valid, folder / "future.perrpack",
                         lambda m: m.update(format_version=2))


def format_as_text(valid: Path, folder: Path) -> Path:
    return with_manifest(valid, folder / "format-text.perrpack",
                         lambda m: m.update(format_version="1"))


def format_zero(valid: Path, folder: Path) -> Path:
    return with_manifest(valid, folder / "format-zero.perrpack",
                         lambda m: m.update(format_version=0))


def newer_schema(valid: Path, folder: Path) -> Path:
    return with_manifest(valid, folder / "newer-schema.perrpack",
                         lambda m: m.update(schema_version=m["schema_version"] + 1))


def manifest_without_files(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    manifest = json.loads(files["manifest.json"])
    del manifest["files"]
    files["manifest.json"] = json.dumps(manifest).encode()
    return write(folder / "no-files.perrpack", files, fix_manifest=False)


def bad_created_at(valid: Path, folder: Path) -> Path:
    return with_manifest(valid, folder / "bad-date.perrpack",
                         lambda m: m.update(created_at="yesterday"))


def checksum_mismatch(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    data = files["records/people.jsonl"]
    files["records/people.jsonl"] = data.replace(b"Garnier", b"Garmier")
    return write(folder / "checksum.perrpack", files, fix_manifest=False)


def size_mismatch(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["records/people.jsonl"]["size"] += 1
    files["manifest.json"] = json.dumps(manifest).encode()
    return write(folder / "size.perrpack", files, fix_manifest=False)


def listed_but_missing(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    del files["records/attendance.jsonl"]
    return write(folder / "missing.perrpack", files, fix_manifest=False)


def present_but_unlisted(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    manifest = json.loads(files["manifest.json"])
    del manifest["files"]["records/attendance.jsonl"]
    files["manifest.json"] = json.dumps(manifest).encode()
    return write(folder / "unlisted.perrpack", files, fix_manifest=False)


def malformed_line(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    files["records/people.jsonl"] += b'{"id": "broken", "first_name": \n'
    return write(folder / "malformed.perrpack", files)


def line_not_object(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "array-line.perrpack", "people",
                     lambda rows: [*rows, [1, 2, 3]])


def duplicate_key(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    rows = files["records/people.jsonl"].decode().splitlines()
    rows[0] = rows[0].replace('{"id":', '{"last_name": "Intrus", "id":', 1)
    rows[0] = rows[0][:-1] + ', "last_name": "Autre"}'
    files["records/people.jsonl"] = ("\n".join(rows) + "\n").encode()
    return write(folder / "duplicate-key.perrpack", files)


def not_a_number(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    rows = files["records/people.jsonl"].decode().splitlines()
    rows[0] = rows[0].replace('"birth_year":1962', '"birth_year":NaN')
    assert "NaN" in rows[0]
    files["records/people.jsonl"] = ("\n".join(rows) + "\n").encode()
    return write(folder / "nan.perrpack", files)


def unknown_table(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    files["records/backdoor.jsonl"] = _jsonl([{"id": "x", "created_at": "2026-01-01T00:00:00Z",
                                               "updated_at": "2026-01-01T00:00:00Z"}])
    manifest = json.loads(files["manifest.json"])
    manifest["records"]["backdoor"] = 1
    return write(folder / "unknown-table.perrpack", files, manifest=manifest)


def unknown_table_in_manifest(valid: Path, folder: Path) -> Path:
    return with_manifest(valid, folder / "unknown-table-manifest.perrpack",
                         lambda m: m["records"].update({"sqlite_master": 0}))


def unknown_column(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "unknown-column.perrpack", "people",
                     lambda rows: [{**rows[0], "password": "x"}, *rows[1:]])


def sql_in_column_name(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "sql-column.perrpack", "people",
                     lambda rows: [{**rows[0], 'notes" = 1; DROP TABLE people; --': 1},
                                   *rows[1:]])


def text_where_number(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "type-int.perrpack", "people",
                     lambda rows: [{**rows[0], "birth_year": "1962"}, *rows[1:]])


def number_where_text(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "type-text.perrpack", "people",
                     lambda rows: [{**rows[0], "last_name": 42}, *rows[1:]])


def boolean_where_number(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "type-bool.perrpack", "people",
                     lambda rows: [{**rows[0], "consent_contact": True}, *rows[1:]])


def object_in_field(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "type-object.perrpack", "people",
                     lambda rows: [{**rows[0], "notes": {"nested": [1, 2]}}, *rows[1:]])


def null_in_required(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "null.perrpack", "people",
                     lambda rows: [{**rows[0], "gender": None}, *rows[1:]])


def missing_column(valid: Path, folder: Path) -> Path:
    def drop(rows):
        first = dict(rows[0])
        del first["email"]
        return [first, *rows[1:]]
    return with_rows(valid, folder / "missing-column.perrpack", "people", drop)


def huge_integer(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "huge-int.perrpack", "people",
                     lambda rows: [{**rows[0], "birth_year": 10 ** 30}, *rows[1:]])


def oversized_field(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "oversized.perrpack", "people",
                     lambda rows: [{**rows[0], "notes": _noise(1_500_000)}, *rows[1:]])


def _noise(length: int) -> str:
    """Text that does not compress (a field of x's would be taken for a zip bomb first)."""
    return base64.b64encode(os.urandom(length))[:length].decode()


def count_mismatch(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "count.perrpack", "people", lambda rows: rows[:-1],
                     count=False)


def duplicate_id(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "duplicate-id.perrpack", "people",
                     lambda rows: [*rows, dict(rows[0])])


def same_thing_twice(valid: Path, folder: Path) -> Path:
    """Two image records with one fingerprint."""
    other = "0badbad0-0000-4000-8000-0000000000aa"
    return with_rows(valid, folder / "same-media.perrpack", "media",
                     lambda rows: [*rows, {**rows[0], "id": other}])


def bad_id(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "bad-id.perrpack", "people",
                     lambda rows: [{**rows[0], "id": "../../etc/passwd"}, *rows[1:]])


def bad_timestamp(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "bad-stamp.perrpack", "people",
                     lambda rows: [{**rows[0], "updated_at": "tomorrow"}, *rows[1:]])


def missing_reference(valid: Path, folder: Path) -> Path:
    """A membership of someone who is neither in the package nor on the computer."""
    return with_rows(valid, folder / "dangling.perrpack", "memberships",
                     lambda rows: [{**rows[0],
                                    "person_id": "deadbeef-0000-4000-8000-000000000000"},
                                   *rows[1:]])


def rule_broken(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "rule.perrpack", "people",
                     lambda rows: [{**rows[0], "gender": "martien"}, *rows[1:]])


def media_tampered(valid: Path, folder: Path) -> Path:
    """An image whose bytes do not match the checksum its manifest gives."""
    files = entries(valid)
    name = _first_media(valid)
    files[name] = files[name][:-10] + b"0123456789"
    return write(folder / "media-tampered.perrpack", files, fix_manifest=False)


def media_of_no_record(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG")
    files[f"media/{'ab' * 32}.jpg"] = buffer.getvalue()
    return write(folder / "media-orphan.perrpack", files)


def media_not_jpeg(valid: Path, folder: Path) -> Path:
    files = entries(valid)
    name = _first_media(valid)
    files[name] = b"#!/bin/sh\nrm -rf ~\n"
    return write(folder / "media-script.perrpack", files)


def media_row_bad_fingerprint(valid: Path, folder: Path) -> Path:
    return with_rows(valid, folder / "media-path.perrpack", "media",
                     lambda rows: [{**rows[0], "sha256": "../../../../tmp/evil"}, *rows[1:]])


HOSTILE: dict[str, Callable[[Path, Path], Path]] = {
    f.__name__: f for f in (
        random_bytes, empty_file, text_file, truncated, dot_dot, nested_dot_dot,
        backslash_dot_dot, absolute_path, drive_letter, drive_relative, symlink,
        duplicate_manifest, duplicate_case, unexpected_file, encrypted_flag, bomb_ratio,
        bomb_lying_size, no_manifest, manifest_not_json, manifest_array,
        manifest_wrong_format, future_format, format_as_text, format_zero, newer_schema,
        manifest_without_files, bad_created_at, checksum_mismatch, size_mismatch,
        listed_but_missing, present_but_unlisted, malformed_line, line_not_object,
        duplicate_key, not_a_number, unknown_table, unknown_table_in_manifest,
        unknown_column, sql_in_column_name, text_where_number, number_where_text,
        boolean_where_number, object_in_field, null_in_required, missing_column,
        huge_integer, oversized_field, count_mismatch, duplicate_id, same_thing_twice,
        bad_id, bad_timestamp, missing_reference, rule_broken, media_tampered,
        media_of_no_record, media_not_jpeg, media_row_bad_fingerprint,
    )
}
