"""Photo and plan import: files from several phones into a walk, each photo stored once.

Each file is read once. Its SHA-256 (of the original bytes) names it in the media folder
(:mod:`perr_desktop.storage.media`): a photo already stored, from another phone's shared
album or another walk, only gets a new ``photos`` row. Otherwise the image is decoded
(JPEG at a reduced scale straight from the decoder: that is what makes the import fast),
turned upright from its EXIF orientation, downscaled to about ``WORKING_SIZE`` and saved
as a JPEG working copy and a thumbnail; EXIF time, GPS position and camera go into the
``media`` row. The stored copies carry no EXIF, so no position leaves in a report.

A file that cannot be used (not an image, truncated, empty, too many pixels, unreadable)
is skipped with a reason and the rest goes on; a full disk stops the import with a
:class:`~perr_desktop.errors.UserError`, keeping what was already imported. Files are
written before their row, so a crash leaves at most an orphan file, never a row without
its file. No Qt here: the GUI runs :func:`import_photos` in a worker thread with its own
database connection, passing ``progress`` and ``cancelled``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import math
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from perr_desktop.errors import UserError, user_errors
from perr_desktop.i18n import _, ngettext
from perr_desktop.services import walks
from perr_desktop.storage import media, records
from perr_desktop.storage.files import write_atomically

log = logging.getLogger(__name__)

# Above Pillow's default (89 MP) so that 108 MP phone sensors pass; beyond it a header
# claiming huge dimensions is taken for a decompression bomb and the file is skipped.
MAX_PIXELS = 120_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# A photo is 3-12 MB; anything past this is a video or an archive, not worth reading.
MAX_FILE_BYTES = 256 * 1024 * 1024
WORKING_QUALITY = 85
THUMBNAIL_QUALITY = 80
# The JPEG decoder scales by 1/2, 1/4 or 1/8 for free. A working copy down to 90 % of the
# target size is accepted when that lets it decode at such a scale: a 4000×3000 photo
# decodes straight at 2000×1500 instead of decoding 12 MP and then resizing.
DRAFT_TOLERANCE = 0.9

# Raster formats a phone, a camera or a scanner produces; Pillow's other plugins (EPS,
# which runs Ghostscript, PSD, FITS…) are never tried on a user's file.
FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "TIFF", "BMP", "GIF", "AVIF")
HEIF_FORMATS = ("HEIF",)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
                b"mif1", b"msf1"}

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME_ORIGINAL, _DATETIME_DIGITIZED, _DATETIME = 0x9003, 0x9004, 0x0132
_MAKE, _MODEL = 0x010F, 0x0110
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4
_EXIF_TIME = re.compile(r"\s*(\d{4})[:\-/.](\d{2})[:\-/.](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")

Progress = Callable[[int, int, str], None]


@dataclass
class ImportReport:
    """What an import did: ``imported`` photo ids, ``duplicates`` (files already in the
    walk), ``skipped`` files with a readable reason, and whether it was ``cancelled``."""

    imported: list[str] = field(default_factory=list)
    duplicates: int = 0
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    cancelled: bool = False

    def summary(self) -> str:
        """One translated sentence, e.g. « 12 photos importées, 3 fichiers ignorés. »"""
        if not (self.imported or self.duplicates or self.skipped):
            text = _("No file to import was found.")
            return (_("Import cancelled: %(summary)s") % {"summary": text}
                    if self.cancelled else text)
        count = len(self.imported)
        parts = [ngettext("%(count)s photo imported", "%(count)s photos imported", count)
                 % {"count": count}]
        if self.duplicates:
            parts.append(ngettext("%(count)s already in this walk",
                                  "%(count)s already in this walk", self.duplicates)
                         % {"count": self.duplicates})
        if self.skipped:
            parts.append(ngettext("%(count)s file skipped", "%(count)s files skipped",
                                  len(self.skipped)) % {"count": len(self.skipped)})
        text = ", ".join(parts) + "."
        if self.cancelled:
            return _("Import cancelled: %(summary)s") % {"summary": text}
        return text


class _Skip(Exception):
    """A file that cannot be used; ``reason`` is a translated phrase."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Picture:
    """A decoded image, ready to store: JPEG bytes and what goes in the media row."""

    working: bytes
    thumbnail: bytes
    width: int
    height: int
    taken_at: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    camera: str = ""


# -- the import -------------------------------------------------------------------------

def import_photos(db, walk_id: str, paths: Iterable[Path | str],
                  progress: Progress | None = None,
                  cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Import image files, and the images in folders (recursively), into a walk.

    ``progress(done, total, name)`` is called after each file; ``cancelled()`` is asked
    before each one: what was imported stays and the report says it was cancelled. A full
    disk raises :class:`UserError` (carrying the report so far as ``report``).
    """
    walks.require_walk(db, walk_id)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    report = ImportReport()
    files, report.skipped = _collect(paths)
    total = len(files)
    for done, path in enumerate(files, start=1):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        try:
            photo_id = _import_one(db, walk_id, path)
        except _Skip as skip:
            report.skipped.append((path, skip.reason))
        except UserError as exc:
            exc.report = report  # type: ignore[attr-defined]
            raise
        else:
            if photo_id is None:
                report.duplicates += 1
            else:
                report.imported.append(photo_id)
        if progress is not None:
            progress(done, total, path.name)
    return report


def import_plan(db, walk_id: str, path: Path | str) -> str:
    """Store a neighbourhood plan image (kept up to ``PLAN_SIZE``, so street names stay
    legible) and make it the walk's plan; returns the media id. A file that cannot be
    used raises :class:`UserError` and changes nothing."""
    walks.require_walk(db, walk_id)
    path = Path(path)
    try:
        data = _read(path)
        picture = _decode(data, media.PLAN_SIZE, metadata=False)
    except _Skip as skip:
        raise UserError(_("%(name)s cannot be used as a plan: %(reason)s.")
                        % {"name": path.name, "reason": skip.reason}) from None
    sha256 = hashlib.sha256(data).hexdigest()
    existing = _media(db, sha256)
    stored = existing is not None and _files_present(db.path, sha256)
    # The same image imported earlier with the photos: stored smaller than a plan needs.
    enlarge = (stored and existing["kind"] == "photo"
               and max(picture.width, picture.height) > max(existing["width"],
                                                            existing["height"]))
    if not stored or enlarge:
        _store_files(db.path, sha256, picture)
    with db.transaction():
        row = _media(db, sha256)
        if row is None:
            media_id = records.insert(db, "media", _media_values(
                sha256, "plan", path.name, len(data), picture))
        else:
            media_id = row["id"]
            if row["deleted_at"]:
                records.restore(db, "media", media_id)
            if enlarge:
                records.update(db, "media", media_id, {
                    "kind": "plan", "width": picture.width, "height": picture.height})
        walks.set_plan(db, walk_id, media_id)
    return media_id


def _import_one(db, walk_id: str, path: Path) -> str | None:
    """The photo id added to the walk, or None when the photo was already in it."""
    data = _read(path)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = _media(db, sha256)
    picture = None
    if existing is None or not _files_present(db.path, sha256):
        size = media.PLAN_SIZE if existing and existing["kind"] == "plan" else media.WORKING_SIZE
        picture = _decode(data, size)
        _store_files(db.path, sha256, picture)
    with db.transaction():
        row = _media(db, sha256)
        if row is None:
            if picture is None:  # its row vanished since we looked: never leave it fileless
                picture = _decode(data, media.WORKING_SIZE)
                _store_files(db.path, sha256, picture)
            media_id = records.insert(db, "media", _media_values(
                sha256, "photo", path.name, len(data), picture))
        else:
            media_id = row["id"]
            if row["deleted_at"]:
                records.restore(db, "media", media_id)
        photo = db.query_one("SELECT id, deleted_at FROM photos WHERE walk_id = ? "
                             "AND media_id = ?", (walk_id, media_id))
        if photo is None:
            return records.insert(db, "photos", {"walk_id": walk_id, "media_id": media_id})
        if photo["deleted_at"]:
            # Taken out of the walk earlier, imported again: it comes back.
            records.restore(db, "photos", photo["id"])
            return photo["id"]
        return None


def _media(db, sha256: str) -> dict[str, Any] | None:
    return db.query_one("SELECT id, kind, width, height, deleted_at FROM media "
                        "WHERE sha256 = ?", (sha256,))


def _media_values(sha256: str, kind: str, name: str, size: int, picture: _Picture
                  ) -> dict[str, Any]:
    return {"sha256": sha256, "kind": kind, "original_name": name, "original_size": size,
            "width": picture.width, "height": picture.height, "taken_at": picture.taken_at,
            "latitude": picture.latitude, "longitude": picture.longitude,
            "camera": picture.camera}


# -- files ------------------------------------------------------------------------------

def _collect(paths: Iterable[Path | str]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files to import (folders walked recursively, sorted, hidden files left out)
    and the paths given that do not exist."""
    files: list[Path] = []
    missing: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            for folder, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted((d for d in dirnames
                                      if not _hidden(Path(folder) / d)), key=_name_key)
                for name in sorted(filenames, key=_name_key):
                    if not _hidden(Path(folder) / name):
                        add(Path(folder) / name)
        elif path.exists():
            add(path)
        else:
            missing.append((path, _("file not found")))
    return files, missing


def _name_key(name: str) -> tuple[str, str]:
    return name.casefold(), name


def _hidden(path: Path) -> bool:
    if path.name.startswith("."):
        return True
    try:  # Windows keeps Thumbs.db and desktop.ini hidden by an attribute, not a dot
        attributes = getattr(path.stat(follow_symlinks=False), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


def _read(path: Path) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _Skip(_("not a file"))
        if info.st_size > MAX_FILE_BYTES:
            raise _Skip(_("the file is too large to be a photo"))
        data = path.read_bytes()
    except PermissionError:
        raise _Skip(_("you are not allowed to read this file")) from None
    except FileNotFoundError:
        raise _Skip(_("file not found")) from None
    except OSError as exc:
        raise _Skip(_("the file could not be read (%(reason)s)")
                    % {"reason": exc.strerror or exc.__class__.__name__}) from None
    if not data:
        raise _Skip(_("the file is empty"))
    return data


def _files_present(db_path: Path, sha256: str) -> bool:
    return (media.working_path(db_path, sha256).is_file()
            and media.thumbnail_path(db_path, sha256).is_file())


def _store_files(db_path: Path, sha256: str, picture: _Picture) -> None:
    """Write the thumbnail, then the working copy (its presence means both are there)."""
    folder = media.folder(db_path, sha256)
    with user_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(media.thumbnail_path(db_path, sha256), picture.thumbnail)
        write_atomically(media.working_path(db_path, sha256), picture.working)


# -- decoding ---------------------------------------------------------------------------

_heif_ready: bool | None = None


def heif_supported() -> bool:
    """Whether HEIC/HEIF photos (iPhones) can be read here: pillow-heif registers its
    opener with Pillow on first use; without it such files are skipped with a reason."""
    global _heif_ready
    if _heif_ready is None:
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except Exception:  # not installed, or its native library fails to load
            log.info("pillow-heif unavailable: HEIC photos will be skipped", exc_info=True)
            _heif_ready = False
        else:
            _heif_ready = True
    return _heif_ready


def _formats() -> list[str]:
    wanted = FORMATS + (HEIF_FORMATS if heif_supported() else ())
    Image.init()
    return [name for name in wanted if name in Image.OPEN]


def _looks_like_heif(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS


# How the formats we read begin: a file that starts like one but does not open is a
# damaged image (cut short in transfer, say), not some other kind of file.
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00",
               b"MM\x00*")


def _unidentified_reason(data: bytes) -> str:
    if _looks_like_heif(data):
        if heif_supported():
            return _("the image is damaged or incomplete")
        return _("HEIC photos cannot be read on this computer; ask for them as JPEG")
    if data.startswith(_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return _("the image is damaged or incomplete")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:  # only to name the format in the message: never decoded
            with Image.open(io.BytesIO(data)) as other:
                name = other.format
        except Exception:
            name = None
    if name:
        return (_("%(format)s images are not supported; save it as JPEG or PNG")
                % {"format": name})
    return _("not an image")


def _decode(data: bytes, long_side: int, *, metadata: bool = True) -> _Picture:
    """Decode, turn upright, downscale to ``long_side`` (never up) and encode as JPEG."""
    with warnings.catch_warnings():
        # Pillow warns about odd EXIF on stderr; past MAX_PIXELS its warning is a skip.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=_formats())
        except Image.UnidentifiedImageError:
            raise _Skip(_unidentified_reason(data)) from None
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _Skip(_too_many_pixels()) from None
        except Exception:
            log.debug("cannot open image", exc_info=True)
            raise _Skip(_("the image is damaged or incomplete")) from None
        with image:
            try:
                return _render(image, long_side, metadata)
            except (Image.DecompressionBombWarning, Image.DecompressionBombError):
                raise _Skip(_too_many_pixels()) from None
            except MemoryError:
                raise _Skip(_too_many_pixels()) from None
            except Exception:  # Pillow raises many kinds on a broken file
                log.debug("cannot decode image", exc_info=True)
                raise _Skip(_("the image is damaged or incomplete")) from None


def _too_many_pixels() -> str:
    count = (Image.MAX_IMAGE_PIXELS or MAX_PIXELS) // 1_000_000
    return (ngettext("the image is too large (more than %(count)s million pixels)",
                     "the image is too large (more than %(count)s million pixels)", count)
            % {"count": count})


def _render(image: Image.Image, long_side: int, metadata: bool) -> _Picture:
    picture = _Picture(b"", b"", 0, 0)
    if metadata:
        picture.taken_at, picture.latitude, picture.longitude, picture.camera = \
            _read_metadata(image)
    icc = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
    if image.format in ("JPEG", "MPO"):
        box = _draft_request(image.size, long_side)
        if box is not None:
            image.draft("RGB", box)
    image.load()  # a truncated or corrupt file fails here
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:  # broken EXIF: keep the image as the camera stored it
        log.debug("EXIF orientation unreadable", exc_info=True)
    rgb = _to_rgb(image)
    rgb.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    picture.width, picture.height = rgb.size
    picture.working = _jpeg(rgb, WORKING_QUALITY, icc)
    scale = min(1.0, media.THUMBNAIL_SIZE / max(rgb.size))
    small = rgb.resize((max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))),
                       Image.Resampling.BICUBIC, reducing_gap=2.0)
    picture.thumbnail = _jpeg(small, THUMBNAIL_QUALITY, icc)
    return picture


def _draft_request(size: tuple[int, int], long_side: int) -> tuple[int, int] | None:
    """The size to ask the JPEG decoder for: it picks the smallest 1/2, 1/4, 1/8 scale
    still at least that big, so the long side stays ≥ DRAFT_TOLERANCE × ``long_side``."""
    width, height = size
    longest = max(width, height)
    if longest <= long_side:
        return None
    least = math.ceil(long_side * DRAFT_TOLERANCE)
    return max(1, width * least // longest), max(1, height * least // longest)


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode.startswith("I;16"):  # 16-bit grey (scans): keep the top 8 bits
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("RGB")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
            image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int, icc: bytes | None) -> bytes:
    buffer = io.BytesIO()
    options: dict[str, Any] = {"quality": quality, "optimize": True, "progressive": True}
    if icc:
        options["icc_profile"] = icc
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


# -- EXIF -------------------------------------------------------------------------------

def _read_metadata(image: Image.Image
                   ) -> tuple[str | None, float | None, float | None, str]:
    """Time, position and camera; broken or odd EXIF only loses the part it breaks."""
    try:
        exif = image.getexif()
    except Exception:
        return None, None, None, ""
    taken_at = _guarded(lambda: taken_at_from_exif(exif), None)
    latitude, longitude = _guarded(lambda: position_from_exif(exif), (None, None))
    camera = _guarded(lambda: camera_from_exif(exif), "")
    return taken_at, latitude, longitude, camera


def _guarded(read: Callable[[], Any], default: Any) -> Any:
    try:
        return read()
    except Exception:
        log.debug("EXIF field unreadable", exc_info=True)
        return default


def _ifd(exif: Image.Exif, tag: int) -> dict[int, Any]:
    try:
        return dict(exif.get_ifd(tag))
    except Exception:
        return {}


def taken_at_from_exif(exif: Image.Exif) -> str | None:
    """DateTimeOriginal, else DateTimeDigitized, else DateTime, as naive local time
    "YYYY-MM-DDTHH:MM:SS" (the camera's clock; walks are in one time zone)."""
    details = _ifd(exif, _EXIF_IFD)
    for value in (details.get(_DATETIME_ORIGINAL), details.get(_DATETIME_DIGITIZED),
                  exif.get(_DATETIME)):
        moment = parse_exif_time(value)
        if moment is not None:
            return moment
    return None


def parse_exif_time(value: Any) -> str | None:
    text = _text(value)
    match = _EXIF_TIME.match(text)
    if not match:
        return None
    try:
        moment = dt.datetime(*(int(part) for part in match.groups()))
    except ValueError:  # "0000:00:00 00:00:00", month 13…
        return None
    if moment.year < 1900:
        return None
    return moment.isoformat(timespec="seconds")


def position_from_exif(exif: Image.Exif) -> tuple[float | None, float | None]:
    """Latitude and longitude in decimal degrees, or (None, None) when absent or
    impossible (zero denominators, minutes past 60, 0°/0° from a phone without a fix)."""
    gps = _ifd(exif, _GPS_IFD)
    latitude = _degrees(gps.get(_GPS_LAT), gps.get(_GPS_LAT_REF), "N", "S", 90)
    longitude = _degrees(gps.get(_GPS_LON), gps.get(_GPS_LON_REF), "E", "W", 180)
    if latitude is None or longitude is None or (latitude == 0 and longitude == 0):
        return None, None
    return latitude, longitude


def _degrees(value: Any, ref: Any, positive: str, negative: str, limit: float
             ) -> float | None:
    if value is None:
        return None
    parts = list(value) if isinstance(value, (tuple, list)) else [value]
    if not 1 <= len(parts) <= 3:
        return None
    numbers = [_number(part) for part in parts]
    if any(n is None or n < 0 for n in numbers):
        return None
    degrees, minutes, seconds = [*numbers, 0.0, 0.0][:3]
    if len(parts) > 1 and (minutes >= 60 or seconds >= 60):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if result > limit:
        return None
    direction = _text(ref).upper()[:1]
    if direction == negative:
        result = -result
    elif direction not in ("", positive):
        return None
    return round(result, 7)


def _number(value: Any) -> float | None:
    try:
        if isinstance(value, (tuple, list)) and len(value) == 2:  # (numerator, denominator)
            numerator, denominator = value
            number = float(numerator) / float(denominator) if denominator else math.nan
        else:
            number = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def camera_from_exif(exif: Image.Exif) -> str:
    """"Make Model", without the make twice ("Canon Canon EOS 90D")."""
    make, model = _text(exif.get(_MAKE)), _text(exif.get(_MODEL))
    if make and model.casefold().startswith(make.casefold()):
        make = ""
    return " ".join(part for part in (make, model) if part)[:120]


def _text(value: Any) -> str:
    """EXIF text as found in the wild: bytes in any encoding, NULs, padding."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    return " ".join("".join(c for c in value if c.isprintable() and c != "\ufffd").split())
