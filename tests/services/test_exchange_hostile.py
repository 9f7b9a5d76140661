"""Hostile or broken exchange packages: each is refused with one sentence, and leaves the
database byte for byte as it was, the media folder as it was, and no file anywhere else."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from perr_desktop import i18n, paths
from perr_desktop.cli import main
from perr_desktop.errors import UserError
from perr_desktop.services import exchange, photos, walks
from perr_desktop.services import people as people_service
from perr_desktop.storage.database import open_database
from tests.services import exchange_corpus as corpus

SYNC_TABLES = ("sync_state", "sync_records", "conflicts", "pseudonyms", "meta")


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """Laptop A and a valid package of it (built once for the module)."""
    folder = tmp_path_factory.mktemp("source")
    ids = corpus.build_source(folder / "a.sqlite", folder / "pictures")
    with open_database(folder / "a.sqlite") as db:
        exchange.export_package(db, folder / "valid.perrpack")
    return folder / "valid.perrpack", ids


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Laptop B: its own council, a person and a photo (so that its media folder is not
    empty), closed so that its file can be copied."""
    folder = tmp_path_factory.mktemp("target")
    db_path = folder / "b.sqlite"
    with open_database(db_path) as db:
        from perr_desktop.services import councils

        council = councils.create_council(db, "Conseil de Karim")
        people_service.create_person(db, first_name="Karim", last_name="Benali")
        walk = walks.create_walk(db, council, "Repérage", "2026-01-10")
        photos.import_photos(db, walk, [corpus.jpeg(folder / "own.jpg", (90, 90, 90))])
    return folder


@pytest.fixture
def target(tmp_path, template, monkeypatch):
    """A copy of laptop B in its own folder; the working directory is a folder beside it,
    so that a relative path escaping would land in the watched tree."""
    home = tmp_path / "laptop"
    home.mkdir()
    shutil.copy(template / "b.sqlite", home / "b.sqlite")
    shutil.copytree(paths.media_dir(template / "b.sqlite"), paths.media_dir(home / "b.sqlite"))
    work = tmp_path / "work" / "deeper"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    return home / "b.sqlite"


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its bytes (the lock file aside: it
    belongs to the command line's lock, not to the database)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".lock")}


def folders(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_dir()}


def dump(db_path: Path) -> dict[str, list]:
    with open_database(db_path, create=False) as db:
        tables = [r["name"] for r in db.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(db.query(f'SELECT * FROM "{t}"'), key=repr) for t in tables}


def refuse(package: Path, db_path: Path, watched: Path) -> str:
    """Import ``package``; assert it is refused and that nothing changed. Returns the
    sentence."""
    before_dump = dump(db_path)
    before_tree, before_folders = tree(watched), folders(watched)
    db = open_database(db_path, create=False)
    try:
        with pytest.raises(UserError) as refused:
            exchange.import_package(db, package)
    finally:
        db.close()  # as the application closes it: a refusal leaves nothing to optimise
    message = refused.value.message
    assert "\n" not in message and message.strip() == message
    assert tree(watched) == before_tree
    assert folders(watched) == before_folders
    assert dump(db_path) == before_dump
    return message


def test_the_valid_package_is_accepted(source, target):
    """The control: the corpus differs from this package only by its defect."""
    valid, ids = source
    with open_database(target, create=False) as db:
        summary = exchange.import_package(db, valid)
        assert summary.added > 0 and summary.media == 3
        assert db.scalar("SELECT count(*) FROM meetings WHERE id = ?", (ids["meeting"],)) == 1


@pytest.mark.parametrize("name", sorted(corpus.HOSTILE))
def test_hostile_package_is_refused_and_changes_nothing(name, source, target, tmp_path):
    valid, _ids = source
    packages = tmp_path / "packages"
    packages.mkdir()
    package = corpus.HOSTILE[name](valid, packages)
    message = refuse(package, target, tmp_path)
    assert package.name in message or "not found" in message.lower()
    for escaped in ("outside.txt", "outside.jpg", "absolute-outside.txt"):
        assert not (tmp_path / escaped).exists()
        assert not (tmp_path.parent / escaped).exists()
    assert not list(tmp_path.rglob("*outside*"))


EXPECTED_REASONS = {
    "dot_dot": "leaves its folder",
    "absolute_path": "leaves its folder",
    "drive_letter": "leaves its folder",
    "symlink": "a link",
    "duplicate_manifest": "twice",
    "bomb_ratio": "zip bomb",
    "bomb_lying_size": "damaged",
    "future_format": "newer version",
    "newer_schema": "newer version",
    "checksum_mismatch": "checksum",
    "media_tampered": "checksum",
    "malformed_line": "not valid JSON",
    "unknown_table": "unknown kind",
    "unknown_column": "unknown field",
    "text_where_number": "wrong type",
    "oversized_field": "too large",
    "missing_reference": "neither in it nor on this computer",
    "random_bytes": "not a zip file",
    "encrypted_flag": "encrypted",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_REASONS))
def test_the_sentence_says_why(name, source, target, tmp_path):
    valid, _ids = source
    packages = tmp_path / "packages"
    packages.mkdir()
    i18n.set_language("en")  # the message ids: the French catalogue may lag behind
    package = corpus.HOSTILE[name](valid, packages)
    message = refuse(package, target, tmp_path)
    assert message.startswith(f"The package {package.name} was refused")
    assert "nothing was changed" in message
    assert EXPECTED_REASONS[name] in message


@pytest.mark.parametrize(("limit", "value"), [
    ("MAX_ENTRIES", 5), ("MAX_MEDIA_BYTES", 1000), ("MAX_TOTAL_BYTES", 50_000),
    ("MAX_RECORDS_BYTES", 100), ("MAX_MANIFEST_BYTES", 100), ("MAX_FIELD_CHARS", 3),
    ("MAX_LINE_BYTES", 50),
])
def test_limits_refuse_an_otherwise_valid_package(limit, value, source, target, tmp_path,
                                                  monkeypatch):
    valid, _ids = source
    monkeypatch.setattr(exchange, limit, value)
    refuse(valid, target, tmp_path)


def test_an_anonymised_package_is_refused_over_named_data(source, target, tmp_path):
    valid, _ids = source
    anonymous = tmp_path / "anonymous.perrpack"
    with open_database(valid.parent / "a.sqlite", create=False) as db:
        exchange.export_package(db, anonymous, anonymize=True)
    message = refuse(anonymous, target, tmp_path)
    assert anonymous.name in message


def test_a_package_of_this_very_database_is_refused(tmp_path, target):
    own = tmp_path / "own.perrpack"
    with open_database(target, create=False) as db:
        exchange.export_package(db, own)
    refuse(own, target, tmp_path)


def test_a_missing_file_is_a_user_error(target, tmp_path):
    refuse(tmp_path / "nowhere.perrpack", target, tmp_path)


def test_a_refused_import_into_a_new_database_leaves_no_database(source, tmp_path):
    valid, _ids = source
    package = corpus.missing_reference(valid, tmp_path)
    new = tmp_path / "new" / "fresh.sqlite"
    with pytest.raises(UserError):
        exchange.import_package_file(package, new)
    assert not new.exists()
    assert not paths.media_dir(new).exists()


def test_the_command_line_refuses_with_one_line_and_exit_1(source, target, tmp_path, capsys):
    valid, _ids = source
    packages = tmp_path / "packages"
    packages.mkdir()
    before = dump(target)
    media_before = tree(paths.media_dir(target))
    for make in (corpus.dot_dot, corpus.bomb_ratio, corpus.missing_reference,
                 corpus.random_bytes):
        package = make(valid, packages)
        code = main(["import", "package", str(package), "--db", str(target)])
        captured = capsys.readouterr()
        assert code == 1
        assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
        assert package.name in captured.err
    assert dump(target) == before
    assert tree(paths.media_dir(target)) == media_before
