"""Photo and plan import: orientation, EXIF, duplicates, skipped files, HEIC, the CLI."""

from __future__ import annotations

import errno
import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from perr_desktop import i18n
from perr_desktop.cli import main
from perr_desktop.errors import DiskFullError, NotFoundError, UserError
from perr_desktop.services import councils, photos, walks
from perr_desktop.storage import media
from perr_desktop.storage.database import open_database

RED, GREEN = (255, 0, 0), (0, 170, 0)
EXIF_IFD, GPS_IFD = 0x8769, 0x8825


# -- helpers ----------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def english():
    # Reasons are checked against the English ids, whatever the catalogue holds.
    i18n.set_language("en")


@pytest.fixture
def walk_id(db):
    council_id = councils.create_council(db, "Conseil citoyen de Basseau Grande-Garenne")
    return walks.create_walk(db, council_id, "Marche de nuit", "2024-11-14", period="nuit")


def upright(width: int = 96, height: int = 64) -> Image.Image:
    """White, a red block top-left and a green block top-right: where both land tells
    every rotation and mirror apart."""
    image = Image.new("RGB", (width, height), "white")
    image.paste(RED, (0, 0, 16, 16))
    image.paste(GREEN, (width - 16, 0, width, 16))
    return image


def exif_bytes(orientation: int | None = None, original: str | None = None,
               digitized: str | None = None, datetime: str | None = None,
               gps: dict[int, object] | None = None, make: object = None,
               model: object = None) -> bytes:
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if datetime is not None:
        exif[0x0132] = datetime
    if make is not None:
        exif[0x010F] = make
    if model is not None:
        exif[0x0110] = model
    if original is not None or digitized is not None:
        details = exif.get_ifd(EXIF_IFD)
        if original is not None:
            details[0x9003] = original
        if digitized is not None:
            details[0x9004] = digitized
    if gps:
        exif.get_ifd(GPS_IFD).update(gps)
    return exif.tobytes()


def save_jpeg(path: Path, image: Image.Image | None = None, exif: bytes = b"",
              quality: int = 95) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    (image or upright()).save(path, "JPEG", quality=quality, exif=exif)
    return path


def rational(*parts: tuple[int, int]) -> tuple[IFDRational, ...]:
    return tuple(IFDRational(n, d) for n, d in parts)


def is_red(pixel) -> bool:
    return pixel[0] > 200 and pixel[1] < 80 and pixel[2] < 80


def is_green(pixel) -> bool:
    return pixel[0] < 80 and pixel[1] > 120 and pixel[2] < 80


def media_row(db, photo_id: str) -> dict:
    return db.query_one("SELECT m.* FROM media m JOIN photos p ON p.media_id = m.id "
                        "WHERE p.id = ?", (photo_id,))


def stored(db, row: dict) -> Image.Image:
    """The working copy of a media row, checked against the row's width and height."""
    path = media.working_path(db.path, row["sha256"])
    with Image.open(path) as image:
        image.load()
    assert image.format == "JPEG"
    assert image.size == (row["width"], row["height"])
    assert media.thumbnail_path(db.path, row["sha256"]).is_file()
    return image


def media_files(db) -> list[Path]:
    return sorted(p for p in db.media_dir.rglob("*") if p.is_file())


def import_one(db, walk_id: str, path: Path) -> dict:
    report = photos.import_photos(db, walk_id, [path])
    assert report.skipped == []
    [photo_id] = report.imported
    return media_row(db, photo_id)


def png_claiming(width: int, height: int) -> bytes:
    """A 1×1 PNG whose header claims ``width``×``height``: a decompression bomb's shape."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = bytes(data[12:16]) + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(ihdr) & 0xFFFFFFFF)
    return bytes(data)


# -- orientation and size ---------------------------------------------------------------

# How each EXIF orientation stores the picture (the inverse of what a viewer does).
STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", sorted(STORED_AS))
def test_every_exif_orientation_is_stored_upright(db, walk_id, tmp_path, orientation):
    raw = upright()
    if STORED_AS[orientation] is not None:
        raw = raw.transpose(STORED_AS[orientation])
    path = save_jpeg(tmp_path / f"o{orientation}.jpg", raw, exif_bytes(orientation))

    row = import_one(db, walk_id, path)

    image = stored(db, row)
    assert (row["width"], row["height"]) == (96, 64)
    assert is_red(image.getpixel((8, 8)))
    assert is_green(image.getpixel((96 - 8, 8)))
    assert not is_red(image.getpixel((8, 64 - 8)))


def test_jpeg_decodes_at_reduced_scale_and_upright(db, walk_id, tmp_path):
    # A 4000×3000 phone photo held upright (orientation 6): the decoder's 1/2 scale gives
    # 2000 px on the long side; decoding all 12 MP and resizing would give 2048.
    picture = upright(4000, 3000)
    picture.paste(RED, (0, 0, 400, 400))
    picture.paste(GREEN, (3600, 0, 4000, 400))
    raw = picture.transpose(STORED_AS[6])
    path = save_jpeg(tmp_path / "phone.jpg", raw, exif_bytes(6), quality=80)

    row = import_one(db, walk_id, path)

    image = stored(db, row)
    assert (row["width"], row["height"]) == (2000, 1500)
    assert max(image.size) <= media.WORKING_SIZE
    assert is_red(image.getpixel((40, 40)))
    assert is_green(image.getpixel((2000 - 40, 40)))
    with Image.open(media.thumbnail_path(db.path, row["sha256"])) as thumb:
        assert max(thumb.size) == media.THUMBNAIL_SIZE


def test_other_formats_are_resized_to_the_working_size(db, walk_id, tmp_path):
    path = tmp_path / "wide.png"
    upright(3000, 900).save(path)
    row = import_one(db, walk_id, path)
    assert (row["width"], row["height"]) == (media.WORKING_SIZE, 614)
    stored(db, row)


def test_small_images_are_never_enlarged(db, walk_id, tmp_path):
    row = import_one(db, walk_id, save_jpeg(tmp_path / "small.jpg"))
    assert (row["width"], row["height"]) == (96, 64)


def test_transparent_png_lands_on_white(db, walk_id, tmp_path):
    path = tmp_path / "logo.png"
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(path)
    row = import_one(db, walk_id, path)
    assert stored(db, row).getpixel((25, 20))[0] > 240


def test_sixteen_bit_scan_and_cmyk_jpeg_become_rgb(db, walk_id, tmp_path):
    scan = tmp_path / "scan.png"
    Image.new("I;16", (60, 40), 40000).save(scan)
    cmyk = tmp_path / "print.jpg"
    Image.new("CMYK", (50, 40), (0, 255, 255, 0)).save(cmyk, quality=95)
    grey = stored(db, import_one(db, walk_id, scan)).getpixel((30, 20))
    red = stored(db, import_one(db, walk_id, cmyk)).getpixel((25, 20))
    assert all(150 <= value <= 162 for value in grey)  # 40000 / 256, not clipped white
    assert is_red(red)


def test_stored_copies_carry_no_exif(db, walk_id, tmp_path):
    gps = {1: "N", 2: rational((45, 1), (39, 1), (0, 1)),
           3: "E", 4: rational((0, 1), (9, 1), (0, 1))}
    row = import_one(db, walk_id, save_jpeg(tmp_path / "a.jpg", exif=exif_bytes(gps=gps)))
    assert row["latitude"] is not None
    with Image.open(media.working_path(db.path, row["sha256"])) as image:
        assert dict(image.getexif().get_ifd(GPS_IFD)) == {}


# -- EXIF -------------------------------------------------------------------------------

def test_gps_near_angouleme(db, walk_id, tmp_path):
    gps = {1: "N", 2: rational((45, 1), (39, 1), (0, 1)),
           3: "E", 4: rational((0, 1), (9, 1), (0, 1))}
    row = import_one(db, walk_id, save_jpeg(tmp_path / "a.jpg", exif=exif_bytes(gps=gps)))
    assert row["latitude"] == pytest.approx(45.65)
    assert row["longitude"] == pytest.approx(0.15)


def test_gps_south_and_west_are_negative(db, walk_id, tmp_path):
    gps = {1: "S", 2: rational((22, 1), (54, 1), (3000, 100)),
           3: "W", 4: rational((43, 1), (12, 1), (0, 1))}
    row = import_one(db, walk_id, save_jpeg(tmp_path / "rio.jpg", exif=exif_bytes(gps=gps)))
    assert row["latitude"] == pytest.approx(-(22 + 54 / 60 + 30 / 3600))
    assert row["longitude"] == pytest.approx(-43.2)


@pytest.mark.parametrize("gps", [
    {1: "N", 2: rational((45, 1), (39, 0), (0, 1)), 3: "E", 4: rational((0, 1), (9, 1), (0, 1))},
    {1: "N", 2: rational((45, 1), (39, 1), (0, 1)), 3: "E", 4: rational((0, 0), (9, 1), (0, 1))},
    {1: "N", 2: rational((95, 1), (0, 1), (0, 1)), 3: "E", 4: rational((0, 1), (9, 1), (0, 1))},
    {1: "N", 2: rational((45, 1), (75, 1), (0, 1)), 3: "E", 4: rational((0, 1), (9, 1), (0, 1))},
    {1: "N", 2: rational((0, 1), (0, 1), (0, 1)), 3: "E", 4: rational((0, 1), (0, 1), (0, 1))},
    {1: "N", 2: rational((45, 1), (39, 1), (0, 1))},
], ids=["zero-denominator-latitude", "zero-denominator-longitude", "latitude-past-90",
        "minutes-past-60", "null-island", "no-longitude"])
def test_impossible_gps_leaves_no_position_but_keeps_the_image(db, walk_id, tmp_path, gps):
    row = import_one(db, walk_id, save_jpeg(tmp_path / "a.jpg", exif=exif_bytes(gps=gps)))
    assert (row["latitude"], row["longitude"]) == (None, None)
    stored(db, row)


def test_taken_at_prefers_date_time_original(db, walk_id, tmp_path):
    exif = exif_bytes(original="2024:11:14 21:35:10", digitized="2024:11:14 21:40:00",
                      datetime="2024:11:20 08:00:00")
    row = import_one(db, walk_id, save_jpeg(tmp_path / "a.jpg", exif=exif))
    assert row["taken_at"] == "2024-11-14T21:35:10"


def test_taken_at_falls_back_to_digitized_then_datetime(db, walk_id, tmp_path):
    digitized = save_jpeg(tmp_path / "d.jpg", upright(90, 60),
                          exif_bytes(digitized="2024:11:14 21:40:00",
                                     datetime="2024:11:20 08:00:00"))
    plain = save_jpeg(tmp_path / "p.jpg", upright(80, 60),
                      exif_bytes(datetime="2024:11:20 08:00:00"))
    assert import_one(db, walk_id, digitized)["taken_at"] == "2024-11-14T21:40:00"
    assert import_one(db, walk_id, plain)["taken_at"] == "2024-11-20T08:00:00"


@pytest.mark.parametrize("exif", [
    b"",
    exif_bytes(original="0000:00:00 00:00:00"),
    exif_bytes(original="not a date at all"),
    exif_bytes(original="2024:13:45 25:61:00"),
    exif_bytes(datetime="    :  :     :  :  "),
], ids=["no-exif", "zeros", "text", "impossible", "blank"])
def test_missing_or_garbage_time_is_none(db, walk_id, tmp_path, exif):
    row = import_one(db, walk_id, save_jpeg(tmp_path / "a.jpg", exif=exif))
    assert row["taken_at"] is None
    stored(db, row)


@pytest.mark.parametrize(("value", "expected"), [
    ("2024:11:14 21:35:10", "2024-11-14T21:35:10"),
    ("2024-11-14 21:35:10", "2024-11-14T21:35:10"),
    ("2024:11:14 21:35:10.123+01:00", "2024-11-14T21:35:10"),
    (b"2024:11:14 21:35:10\x00", "2024-11-14T21:35:10"),
    ("0000:00:00 00:00:00", None),
    ("", None),
    (None, None),
    (12, None),
])
def test_parse_exif_time(value, expected):
    assert photos.parse_exif_time(value) == expected


def test_camera_make_and_model(db, walk_id, tmp_path):
    samsung = save_jpeg(tmp_path / "s.jpg", exif=exif_bytes(make="samsung", model="SM-A536B"))
    canon = save_jpeg(tmp_path / "c.jpg", upright(90, 60),
                      exif_bytes(make="Canon", model="Canon EOS 90D\x00"))
    assert import_one(db, walk_id, samsung)["camera"] == "samsung SM-A536B"
    assert import_one(db, walk_id, canon)["camera"] == "Canon EOS 90D"


def test_exif_that_is_not_utf8_keeps_the_image(db, walk_id, tmp_path):
    exif = exif_bytes(make=b"Appar\xe9il \xff\xfe", model=b"\x80\x81",
                      original="2024:11:14 21:35:10")
    row = import_one(db, walk_id, save_jpeg(tmp_path / "a.jpg", exif=exif))
    assert isinstance(row["camera"], str)
    assert row["taken_at"] == "2024-11-14T21:35:10"
    stored(db, row)


def test_broken_exif_block_keeps_the_image(db, walk_id, tmp_path):
    # An APP1 "Exif" segment holding garbage instead of a TIFF structure.
    path = save_jpeg(tmp_path / "a.jpg", exif=b"Exif\x00\x00II*\x00\xff\xff\xff\x7f garbage")
    row = import_one(db, walk_id, path)
    assert (row["taken_at"], row["latitude"], row["camera"]) == (None, None, "")
    stored(db, row)


# -- duplicates -------------------------------------------------------------------------

def test_same_file_imported_twice_is_stored_once(db, walk_id, tmp_path):
    path = save_jpeg(tmp_path / "a.jpg")
    first = photos.import_photos(db, walk_id, [path])
    second = photos.import_photos(db, walk_id, [path])

    assert len(first.imported) == 1 and first.duplicates == 0
    assert second.imported == [] and second.duplicates == 1
    assert db.scalar("SELECT count(*) FROM media") == 1
    assert db.scalar("SELECT count(*) FROM photos") == 1
    sha256 = media_row(db, first.imported[0])["sha256"]
    assert media_files(db) == sorted([media.working_path(db.path, sha256),
                                      media.thumbnail_path(db.path, sha256)])


def test_same_bytes_in_two_folders_count_as_a_duplicate(db, walk_id, tmp_path):
    first = save_jpeg(tmp_path / "phone-a" / "IMG_0001.jpg")
    second = tmp_path / "whatsapp" / "IMG-20241114-WA0003.jpg"
    second.parent.mkdir()
    second.write_bytes(first.read_bytes())

    report = photos.import_photos(db, walk_id, [tmp_path / "phone-a", tmp_path / "whatsapp"])

    assert (len(report.imported), report.duplicates, report.skipped) == (1, 1, [])
    assert db.scalar("SELECT count(*) FROM media") == 1
    assert db.scalar("SELECT count(*) FROM photos") == 1
    assert len(media_files(db)) == 2


def test_same_photo_in_two_walks_is_one_media_two_photos(db, walk_id, tmp_path):
    other = walks.create_walk(db, walks.require_walk(db, walk_id)["council_id"],
                              "Marche de jour", "2025-11-14")
    path = save_jpeg(tmp_path / "a.jpg")
    first = photos.import_photos(db, walk_id, [path])
    second = photos.import_photos(db, other, [path])

    assert len(first.imported) == len(second.imported) == 1
    assert second.duplicates == 0
    assert db.scalar("SELECT count(*) FROM media") == 1
    assert db.scalar("SELECT count(DISTINCT walk_id) FROM photos") == 2
    assert len(media_files(db)) == 2


def test_photo_removed_from_the_walk_comes_back_when_imported_again(db, walk_id, tmp_path):
    path = save_jpeg(tmp_path / "a.jpg")
    [photo_id] = photos.import_photos(db, walk_id, [path]).imported
    walks.remove_photo(db, photo_id)

    report = photos.import_photos(db, walk_id, [path])

    assert report.imported == [photo_id]
    assert [p["id"] for p in walks.photos(db, walk_id)] == [photo_id]


def test_missing_files_of_a_known_photo_are_written_again(db, walk_id, tmp_path):
    path = save_jpeg(tmp_path / "a.jpg")
    row = import_one(db, walk_id, path)
    media.working_path(db.path, row["sha256"]).unlink()

    report = photos.import_photos(db, walk_id, [path])

    assert report.duplicates == 1
    stored(db, row)


# -- skipped files ----------------------------------------------------------------------

def test_unusable_files_are_skipped_with_a_reason_and_the_rest_imported(
        db, walk_id, tmp_path):
    folder = tmp_path / "photos"
    good = save_jpeg(folder / "01-good.jpg")
    (folder / "02-empty.jpg").write_bytes(b"")
    (folder / "03-text.jpg").write_text("Compte rendu de la marche\n", encoding="utf-8")
    (folder / "04-truncated.jpg").write_bytes(
        (data := save_jpeg(tmp_path / "full.jpg", upright(400, 300)).read_bytes())
        [:len(data) // 2])
    (folder / "05-bomb.png").write_bytes(png_claiming(30_000, 30_000))
    upright().save(folder / "06-scan.ppm")
    upright().save(folder / "07-document.pdf")
    save_jpeg(folder / "sub" / "08-good.jpg", upright(90, 60))

    report = photos.import_photos(db, walk_id, [folder])

    assert len(report.imported) == 2
    reasons = {path.name: reason for path, reason in report.skipped}
    assert reasons == {
        "02-empty.jpg": "the file is empty",
        "03-text.jpg": "not an image",
        "04-truncated.jpg": "the image is damaged or incomplete",
        "05-bomb.png": "the image is too large (more than 120 million pixels)",
        "06-scan.ppm": "PPM images are not supported; save it as JPEG or PNG",
        "07-document.pdf": "not an image",
    }
    assert good.exists()
    assert db.scalar("SELECT count(*) FROM media") == 2
    assert len(media_files(db)) == 4


@pytest.mark.parametrize("side", [40, 100], ids=["warning", "error"])
def test_decompression_bomb_below_the_lowered_limit(db, walk_id, tmp_path, monkeypatch,
                                                    side):
    # Past MAX_IMAGE_PIXELS Pillow warns, past twice that it refuses: both are skips.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    path = save_jpeg(tmp_path / "big.jpg", upright(side, side))
    report = photos.import_photos(db, walk_id, [path])
    assert report.imported == []
    assert report.skipped == [(path, "the image is too large (more than 0 million pixels)")]


def test_max_pixels_lets_a_108_megapixel_sensor_through():
    assert Image.MAX_IMAGE_PIXELS >= 108_000_000


def test_unreadable_file_is_skipped(db, walk_id, tmp_path, monkeypatch):
    locked = save_jpeg(tmp_path / "locked.jpg")
    fine = save_jpeg(tmp_path / "fine.jpg", upright(90, 60))
    read_bytes = Path.read_bytes

    def refuse(self):
        if self.name == "locked.jpg":  # chmod 000 means nothing to root: pretend
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    report = photos.import_photos(db, walk_id, [locked, fine])
    assert len(report.imported) == 1
    assert report.skipped == [(locked, "you are not allowed to read this file")]


def test_missing_path_is_reported(db, walk_id, tmp_path):
    report = photos.import_photos(db, walk_id, [tmp_path / "nowhere"])
    assert report.skipped == [(tmp_path / "nowhere", "file not found")]
    assert report.imported == []


def test_hidden_files_and_folders_are_left_out(db, walk_id, tmp_path):
    save_jpeg(tmp_path / "in" / "a.jpg")
    save_jpeg(tmp_path / "in" / "._a.jpg", upright(80, 60))
    save_jpeg(tmp_path / "in" / ".thumbnails" / "b.jpg", upright(70, 60))
    calls = []
    report = photos.import_photos(db, walk_id, [tmp_path / "in"],
                                  progress=lambda *args: calls.append(args))
    assert len(report.imported) == 1
    assert calls == [(1, 1, "a.jpg")]


def test_full_disk_stops_the_import_and_keeps_what_was_imported(
        db, walk_id, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    for i in range(3):
        save_jpeg(folder / f"{i}.jpg", upright(60 + i * 10, 60))
    written = []
    fsync = os.fsync

    def fill_up(fd):
        if len(written) == 2:  # the second photo's thumbnail
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(fd)
        fsync(fd)

    monkeypatch.setattr(os, "fsync", fill_up)
    with pytest.raises(DiskFullError) as caught:
        photos.import_photos(db, walk_id, [folder])

    assert "disk is full" in caught.value.message
    assert len(caught.value.report.imported) == 1
    assert db.scalar("SELECT count(*) FROM photos") == 1
    assert db.scalar("SELECT count(*) FROM media") == 1
    assert not [p for p in db.media_dir.rglob("*.partial")]


def test_unknown_walk_is_a_user_error(db, tmp_path):
    with pytest.raises(NotFoundError):
        photos.import_photos(db, "no-such-walk", [save_jpeg(tmp_path / "a.jpg")])
    assert db.scalar("SELECT count(*) FROM media") == 0


# -- HEIC -------------------------------------------------------------------------------

def test_heic_from_an_iphone(db, walk_id, tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    path = tmp_path / "IMG_4021.HEIC"
    upright(128, 96).save(path, "HEIF", quality=90,
                          exif=exif_bytes(original="2024:11:14 21:35:10", make="Apple",
                                          model="iPhone 13"))

    row = import_one(db, walk_id, path)

    image = stored(db, row)
    assert (row["width"], row["height"]) == (128, 96)
    assert is_red(image.getpixel((8, 8)))
    assert is_green(image.getpixel((128 - 8, 8)))
    assert row["taken_at"] == "2024-11-14T21:35:10"
    assert row["camera"] == "Apple iPhone 13"


def test_heic_without_pillow_heif_is_skipped_with_a_reason(db, walk_id, tmp_path,
                                                          monkeypatch):
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    path = tmp_path / "IMG_4021.HEIC"
    upright().save(path, "HEIF")
    monkeypatch.setattr(photos, "_heif_ready", False)

    report = photos.import_photos(db, walk_id, [path])

    assert report.skipped == [
        (path, "HEIC photos cannot be read on this computer; ask for them as JPEG")]


# -- progress, cancellation, summary ----------------------------------------------------

def test_progress_is_called_once_per_file(db, walk_id, tmp_path):
    for i, name in enumerate(["b.jpg", "a.jpg", "C.jpg"]):
        save_jpeg(tmp_path / "in" / name, upright(60 + i * 10, 60))
    (tmp_path / "in" / "notes.txt").write_text("x", encoding="utf-8")
    calls = []
    photos.import_photos(db, walk_id, [tmp_path / "in"],
                         progress=lambda *args: calls.append(args))
    assert calls == [(1, 4, "a.jpg"), (2, 4, "b.jpg"), (3, 4, "C.jpg"), (4, 4, "notes.txt")]


def test_cancelling_after_two_files_keeps_two(db, walk_id, tmp_path):
    for i in range(5):
        save_jpeg(tmp_path / "in" / f"{i}.jpg", upright(60 + i * 10, 60))
    done = []
    report = photos.import_photos(db, walk_id, [tmp_path / "in"],
                                  progress=lambda n, total, name: done.append(n),
                                  cancelled=lambda: len(done) >= 2)
    assert report.cancelled
    assert len(report.imported) == 2
    assert db.scalar("SELECT count(*) FROM photos") == 2
    assert report.summary() == "Import cancelled: 2 photos imported."


def test_summary_sentences():
    report = photos.ImportReport(imported=["a"], duplicates=3,
                                 skipped=[(Path("x.txt"), "not an image")] * 2)
    assert report.summary() == "1 photo imported, 3 already in this walk, 2 files skipped."
    assert photos.ImportReport().summary() == "No file to import was found."


def test_summary_in_french_uses_french_plurals():
    i18n.set_language("fr")
    text = photos.ImportReport(imported=["a", "b"]).summary()
    assert "2" in text and text.endswith(".")


# -- plan -------------------------------------------------------------------------------

def test_plan_png_becomes_the_walks_plan(db, walk_id, tmp_path):
    path = tmp_path / "plan-basseau.png"
    upright(4000, 1000).save(path)

    media_id = photos.import_plan(db, walk_id, path)

    walk = walks.get_walk(db, walk_id)
    assert walk["plan_media_id"] == media_id
    assert walk["plan"]["kind"] == "plan"
    image = stored(db, walk["plan"])
    assert image.size == (media.PLAN_SIZE, 800)
    assert is_red(image.getpixel((10, 10)))


def test_broken_plan_changes_nothing(db, walk_id, tmp_path):
    good = tmp_path / "plan.png"
    upright().save(good)
    first = photos.import_plan(db, walk_id, good)
    broken = tmp_path / "plan.jpg"
    broken.write_bytes(good.read_bytes()[:40])

    with pytest.raises(UserError) as caught:
        photos.import_plan(db, walk_id, broken)

    assert caught.value.message == (
        "plan.jpg cannot be used as a plan: the image is damaged or incomplete.")
    assert walks.require_walk(db, walk_id)["plan_media_id"] == first
    assert db.scalar("SELECT count(*) FROM media") == 1
    assert len(media_files(db)) == 2


def test_plan_imported_earlier_as_a_photo_is_stored_bigger(db, walk_id, tmp_path):
    path = tmp_path / "plan.png"
    upright(3000, 1500).save(path)
    row = import_one(db, walk_id, path)
    assert row["width"] == media.WORKING_SIZE

    media_id = photos.import_plan(db, walk_id, path)

    assert media_id == row["id"]
    plan = walks.get_walk(db, walk_id)["plan"]
    assert (plan["kind"], plan["width"]) == ("plan", 3000)
    stored(db, plan)
    assert db.scalar("SELECT count(*) FROM media") == 1


# -- command line -----------------------------------------------------------------------

@pytest.fixture
def cli_walk(tmp_path):
    path = tmp_path / "cli.sqlite"
    with open_database(path) as database:
        council_id = councils.create_council(database, "Conseil citoyen de Ma Campagne")
        walk = walks.create_walk(database, council_id, "Marche de nuit", "2024-11-14")
    return path, walk


def test_cli_imports_and_lists_skipped_files(capsys, tmp_path, cli_walk):
    db_path, walk = cli_walk
    save_jpeg(tmp_path / "in" / "a.jpg")
    (tmp_path / "in" / "b.jpg").write_bytes(b"")

    code = main(["import", "photos", str(tmp_path / "in"), "--walk", walk,
                 "--db", str(db_path), "--lang", "en"])

    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.splitlines() == [f"{tmp_path / 'in' / 'b.jpg'} skipped: the file is empty.",
                                "1 photo imported, 1 file skipped."]
    with open_database(db_path) as database:
        assert len(walks.photos(database, walk)) == 1


def test_cli_exits_1_when_everything_is_skipped(capsys, tmp_path, cli_walk):
    db_path, walk = cli_walk
    (tmp_path / "a.jpg").write_text("hello", encoding="utf-8")
    code = main(["import", "photos", str(tmp_path / "a.jpg"), str(tmp_path / "nowhere"),
                 "--walk", walk, "--db", str(db_path), "--lang", "en"])
    out, _err = capsys.readouterr()
    assert code == 1
    assert len(out.splitlines()) == 3
    assert "not an image" in out and "file not found" in out


def test_cli_unknown_walk(capsys, tmp_path, cli_walk):
    db_path, _walk = cli_walk
    save_jpeg(tmp_path / "a.jpg")
    code = main(["import", "photos", str(tmp_path / "a.jpg"), "--walk", "nope",
                 "--db", str(db_path), "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err == "No walk with the id nope.\n"


def test_cli_import_needs_a_kind(capsys, cli_walk):
    db_path, _walk = cli_walk
    with pytest.raises(SystemExit) as caught:
        main(["import", "--db", str(db_path)])
    assert caught.value.code == 2
