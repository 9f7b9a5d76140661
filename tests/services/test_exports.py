"""Exports for partners: CSV tables (BOM, « ; », injection neutralised, anonymised
attendance) and GeoJSON (RFC 7946: longitude first), and their commands. The data is the
hand-built dataset of test_indicators.py."""

from __future__ import annotations

import csv
import io
import json

import pytest

from perr_desktop.errors import UserError
from perr_desktop.i18n import translator
from perr_desktop.services import exports, indicators
from perr_desktop.storage.database import open_database
from tests.services.test_indicators import build_dataset
from tests.test_cli import assert_one_line_error, run

UNKNOWN = "00000000-0000-4000-8000-000000000000"
fr = translator("fr").gettext
en = translator("en").gettext


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    path = tmp_path_factory.mktemp("exports") / "perr.sqlite"
    return path, build_dataset(path)


@pytest.fixture
def data(dataset):
    path, ids = dataset
    with open_database(path) as db:
        yield db, ids


def parse(data: bytes, delimiter: str = ";") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""),
                           delimiter=delimiter))


# -- CSV --------------------------------------------------------------------------------------

def test_meetings_csv(data):
    db, ids = data
    raw = exports.csv_bytes(db, "meetings", council_id=ids["A"], year=2025, lang="fr")
    assert b"\r\n" in raw
    header, *rows = parse(raw)
    assert header == ["id", fr("Council"), fr("Guest councils"), fr("Date"), fr("Start"),
                      fr("End time"), fr("Kind"), fr("Title"), fr("Venue"),
                      fr("Participants"), fr("Members present"), fr("Minutes"),
                      fr("Cancelled")]
    # A's meetings of 2025, in time order: M1, M2, M3 (A invited by B), M6 (cancelled,
    # said so), M4; M9 was deleted.
    assert [r[0] for r in rows] == [ids[m] for m in ("M1", "M2", "M3", "M6", "M4")]
    m1, m2, m3, m6, m4 = rows
    assert m1[1:5] == ["Ma Campagne", "", "2025-01-15", "18:00"]
    assert m1[6] == "Séance plénière" and m1[7] == "Séance M1"
    # Participants as the indicators count them: M1 4 (3 members + Hugo), M2 2 + 9
    # counted = 11, M3 5.
    assert [r[9] for r in (m1, m2, m3, m4)] == ["4", "11", "5", "3"]
    assert [r[10] for r in (m1, m2, m3, m4)] == ["3", "1", "4", "3"]
    assert m3[1:3] == ["Bel-Air Grand Font", "Ma Campagne"]
    assert m6[12] == fr("yes") and m1[12] == fr("no")
    assert m1[11] == fr("draft")


def test_attendance_csv_with_names_has_no_contact_details(data):
    db, ids = data
    raw = exports.csv_bytes(db, "attendance", year=2025, lang="fr")
    header, *rows = parse(raw)
    assert header == ["meeting_id", fr("Meeting"), fr("Date"), fr("Council"), fr("Person"),
                      fr("Gender"), fr("Age band"), fr("College"),
                      fr("Lives in the neighbourhood"), fr("Member"), fr("Status")]
    text = raw.decode("utf-8")
    assert "Alice Test" in text
    for contact in ("@", "example.org", "05 45"):
        assert contact not in text
    farid_m3 = next(r for r in rows if r[0] == ids["M3"] and r[4] == "Farid Test")
    # Farid, born 2000, is 25 in 2025: the 16-25 band; a member of B, habitants.
    assert farid_m3[5:] == [fr("man"), fr("16 to 25"), "Habitants", "", fr("yes"),
                            "Présent"]
    hugo_m1 = next(r for r in rows if r[0] == ids["M1"] and r[4] == "Hugo Test")
    assert hugo_m1[7:] == ["", fr("yes"), fr("no"), "Présent"]
    # The cancelled M6 has no attendance to show.
    assert not any(r[0] == ids["M6"] for r in rows)
    # 2025: M1 6 rows (5 members + Hugo), M2 6 (5 + Inès), M3 7 (6 + Hugo), M8 2, M4 4.
    assert len(rows) == 6 + 6 + 7 + 2 + 4


def test_attendance_csv_anonymised(data):
    db, _ids = data
    named = parse(exports.csv_bytes(db, "attendance", lang="fr"))[1:]
    raw = exports.csv_bytes(db, "attendance", anonymize=True, lang="fr")
    anonymous = parse(raw)[1:]
    text = raw.decode("utf-8")
    for word in ("Alice", "Brigitte", "Test", "Inès", "@", "example.org"):
        assert word not in text
    # Row for row the same data, the name replaced by a pseudonym that is the same for
    # one person everywhere and differs between people.
    assert [r[:4] + r[5:] for r in named] == [r[:4] + r[5:] for r in anonymous]
    pairs = {(n[4], a[4]) for n, a in zip(named, anonymous, strict=True)}
    assert len(pairs) == len({n for n, _a in pairs}) == len({a for _n, a in pairs}) == 9
    assert all(a.startswith(fr("Participant %(number)s") % {"number": ""}) for _n, a in pairs)
    # Stable: another export (one year, one council) gives the same person the same
    # pseudonym.
    again = dict(pairs)
    for n, a in zip(parse(exports.csv_bytes(db, "attendance", year=2025))[1:],
                    parse(exports.csv_bytes(db, "attendance", year=2025,
                                            anonymize=True))[1:], strict=True):
        assert again[n[4]] == a[4]


def test_observations_csv(data):
    db, ids = data
    header, *rows = parse(exports.csv_bytes(db, "observations", year=2025, lang="fr"))
    assert header[0] == "id" and header[-2:] == [fr("Latitude"), fr("Longitude")]
    by_id = {r[0]: r for r in rows}
    # WA's O1, O2, O3, O4, O5, O9 and WB's O8; O6 was removed, O7 is 2024's.
    assert set(by_id) == {ids[o] for o in ("O1", "O2", "O3", "O4", "O5", "O9", "O8")}
    o1 = by_id[ids["O1"]]
    assert o1[1:9] == ["Diagnostic de Ma Campagne", "2025-05-20", "Ma Campagne", "1",
                       "Place du marché", "Éclairage", fr("Weak point"), "1"]
    assert o1[9:11] == ["Constat O1", "Réparer"]
    assert o1[11] == "Bailleur social, Ville (commune)"   # in the order of their codes
    # No position of its own: its stop's.
    assert o1[12:] == ["45.63", "0.16"]
    assert by_id[ids["O2"]][7] == fr("Strong point")
    assert by_id[ids["O3"]][12:] == ["45.652", "0.155"]
    assert by_id[ids["O4"]][12:] == ["", ""]
    assert by_id[ids["O5"]][6] == ""


def test_followups_csv_neutralises_formulas(data):
    db, ids = data
    header, *rows = parse(exports.csv_bytes(db, "followups", council_id=ids["A"],
                                            lang="fr"))
    assert header == ["observation_id", fr("Walk"), fr("Date"), fr("No."), fr("Body"),
                      fr("Status"), fr("Last step"), fr("Channel"), fr("Note"),
                      fr("Next reminder")]
    landlord = next(r for r in rows if r[0] == ids["O1"] and r[4] == "Bailleur social")
    # Its last step: « pris en compte » on 1 July, whose note starts with « = ».
    assert landlord[5:] == ["Pris en compte", "2025-07-01", "",
                            "'=HYPERLINK(\"http://x\")", "2025-08-01"]
    city = next(r for r in rows if r[0] == ids["O1"] and r[4] == "Ville (commune)")
    assert city[5:7] == ["Résolu", "2025-08-10"]
    waiting = next(r for r in rows if r[0] == ids["O5"])
    assert waiting[5:] == ["À transmettre", "", "", "", ""]
    # A's walks: WA (O1 ×2, O3, O4, O5, O9) and W24 (O7).
    assert len(rows) == 7


def test_csv_delimiter_and_language(data):
    db, ids = data
    raw = exports.csv_bytes(db, "meetings", year=2024, delimiter=",", lang="en")
    header, *rows = parse(raw, ",")
    assert header[:3] == ["id", en("Council"), en("Guest councils")]
    assert header[1] == "Council"
    assert [r[0] for r in rows] == [ids["M0"]]
    assert parse(exports.csv_bytes(db, "meetings", year=2024, delimiter="tab"), "\t")[1][0] \
        == ids["M0"]
    for bad in ("", ";;", "a", '"'):
        with pytest.raises(UserError):
            exports.csv_bytes(db, "meetings", delimiter=bad)


def test_export_refuses_unknown_ids(data):
    db, _ids = data
    with pytest.raises(UserError):
        exports.csv_bytes(db, "meetings", council_id=UNKNOWN)
    with pytest.raises(UserError):
        exports.geojson(db, walk_id=UNKNOWN)
    with pytest.raises(UserError):
        exports.geojson(db, council_id=UNKNOWN)
    with pytest.raises(ValueError):
        exports.table(db, "people")


def test_export_csv_writes_the_file(data, tmp_path):
    db, _ids = data
    target = tmp_path / "seances.csv"
    assert exports.export_csv(db, "meetings", target, year=2025) == 5 + 1  # + M6
    assert target.read_bytes() == exports.csv_bytes(db, "meetings", year=2025)
    assert not list(tmp_path.glob("*.partial"))


# -- GeoJSON ----------------------------------------------------------------------------------

def assert_rfc7946(collection: dict) -> None:
    """The structure RFC 7946 asks for, as a validator would check it."""
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    assert isinstance(collection["features"], list)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert "crs" not in feature
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert isinstance(lon, float) and isinstance(lat, float)
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert isinstance(feature.get("id", ""), str | int)


def test_geojson_of_a_council(data):
    db, ids = data
    collection = exports.geojson(db, council_id=ids["A"], lang="fr")
    assert_rfc7946(collection)
    # A's observations with a position: O1 (its stop's), O2 and O3 (their own); O4, O5,
    # O9 and 2024's O7 have none; O6 was removed.
    by_id = {f["id"]: f for f in collection["features"]}
    assert set(by_id) == {ids["O1"], ids["O2"], ids["O3"]}
    # Longitude first: Angoulême is near longitude 0.15, latitude 45.65.
    lon, lat = by_id[ids["O3"]]["geometry"]["coordinates"]
    assert (lon, lat) == (0.155, 45.652)
    assert abs(lon - 0.15) < 0.05 and abs(lat - 45.65) < 0.05
    assert by_id[ids["O1"]]["geometry"]["coordinates"] == [0.16, 45.63]
    props = by_id[ids["O1"]]["properties"]
    assert {k: props[k] for k in ("walk", "walk_id", "date", "number", "stop", "theme",
                                  "theme_code", "positive", "priority", "description")} \
        == {"walk": "Diagnostic de Ma Campagne", "walk_id": ids["WA"], "date": "2025-05-20",
            "number": 1, "stop": "Place du marché", "theme": "Éclairage",
            "theme_code": "eclairage", "positive": False, "priority": 1,
            "description": "Constat O1"}
    assert sorted((f["body"], f["status"]) for f in props["followups"]) == [
        ("bailleur", "pris_en_compte"), ("ville", "resolu")]
    assert "Ville (commune)" in props["status"] and "Résolu" in props["status"]
    assert by_id[ids["O2"]]["properties"]["positive"] is True
    assert by_id[ids["O2"]]["properties"]["followups"] == []


def test_geojson_of_a_walk_and_of_everything(data, tmp_path):
    db, ids = data
    only = exports.geojson(db, walk_id=ids["WB"])
    assert [f["id"] for f in only["features"]] == [ids["O8"]]
    assert only["features"][0]["geometry"]["coordinates"] == [0.147, 45.644]
    target = tmp_path / "observations.geojson"
    assert exports.export_geojson(db, target) == 4
    parsed = json.loads(target.read_bytes().decode("utf-8"))
    assert_rfc7946(parsed)
    assert parsed == exports.geojson(db)
    with pytest.raises(ValueError):
        exports.geojson(db, walk_id=ids["WA"], council_id=ids["A"])


# -- the commands -----------------------------------------------------------------------------

@pytest.fixture
def saved(dataset):
    path, ids = dataset
    return str(path), ids


def test_cli_export_csv(capsys, saved, tmp_path):
    db, ids = saved
    target = tmp_path / "presences.csv"
    code, out, err = run(capsys, "export", "csv", "--table", "attendance", "--council",
                         ids["B"], "--year", "2025", "--anonymize", "--db", db, "-o",
                         str(target))
    assert (code, err) == (0, "")
    assert str(target) in out
    _header, *rows = parse(target.read_bytes())
    # B's meetings: M3 (7 rows) and M8 (2).
    assert len(rows) == 9
    assert "Farid" not in target.read_text(encoding="utf-8-sig")
    code, out, err = run(capsys, "export", "csv", "--table", "meetings", "--delimiter",
                         ",", "--lang", "en", "--db", db, "-o", str(target))
    assert code == 0
    assert parse(target.read_bytes(), ",")[0][1] == "Council"


@pytest.mark.parametrize("argv", [
    ["export", "csv", "--table", "meetings", "--council", UNKNOWN],
    ["export", "csv", "--table", "meetings", "--delimiter", "ab"],
    ["export", "geojson", "--walk", UNKNOWN],
    ["export", "geojson", "--council", UNKNOWN],
    ["stats", "--council", UNKNOWN, "--year", "2025", "--json"],
    ["stats", "--council", "all", "--year", "20250", "--json"],
])
def test_cli_unknown_ids_are_one_line_errors(capsys, saved, tmp_path, argv):
    db, _ids = saved
    target = tmp_path / "out.file"
    extra = ["-o", str(target)] if argv[0] == "export" else []
    code, _out, err = run(capsys, *argv, "--db", db, *extra)
    assert code == 1
    assert_one_line_error(err)
    assert not target.exists()


@pytest.mark.parametrize("argv", [
    ["export", "geojson", "--walk", "x", "--council", "y", "-o", "f.geojson"],
    ["export", "csv", "--table", "people", "-o", "f.csv"],
    ["export", "csv", "--table", "meetings"],
    ["stats", "--council", "all"],
    ["stats", "--year", "2025"],
])
def test_cli_usage_errors(capsys, saved, argv):
    db, _ids = saved
    with pytest.raises(SystemExit) as excinfo:
        run(capsys, *argv, "--db", db)
    assert excinfo.value.code == 2


def test_cli_export_geojson(capsys, saved, tmp_path):
    db, ids = saved
    target = tmp_path / "a.geojson"
    code, _out, err = run(capsys, "export", "geojson", "--council", ids["A"], "--db", db,
                         "-o", str(target))
    assert (code, err) == (0, "")
    parsed = json.loads(target.read_text(encoding="utf-8"))
    assert_rfc7946(parsed)
    assert len(parsed["features"]) == 3


def test_cli_stats_json_equals_compute(capsys, saved):
    db, ids = saved
    code, out, err = run(capsys, "stats", "--council", ids["A"], "--year", "2025", "--db",
                         db, "--json")
    assert (code, err) == (0, "")
    figures = json.loads(out)
    with open_database(db) as database:
        expected = indicators.compute(database, indicators.Filters.year(2025, [ids["A"]]))
    assert figures == expected
    assert figures["meetings"]["held"] == 4
    code, out, err = run(capsys, "stats", "--council", "all", "--year", "2025", "--db", db,
                         "--json")
    assert code == 0
    assert json.loads(out)["filters"]["council_ids"] is None
    assert json.loads(out)["meetings"]["held"] == 5


def test_cli_stats_text(capsys, saved):
    db, _ids = saved
    code, out, err = run(capsys, "stats", "--council", "all", "--year", "2025", "--db", db,
                         "--lang", "en")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Figures for all councils, from 1 January 2025 to 31 December 2025"
    assert "5 meetings held" in lines
    # 24 participants, 4.8 per meeting, 17 distinct; 14/21 women = 67 %.
    assert "Participants: 24 (4.8 per meeting), 17 distinct" in lines
    assert any(line.startswith("Women: 67%") for line in lines)
