"""Photo import speed: 100 phone photos (4000×3000 JPEG) into a walk.

    .venv/bin/python -m benchmarks.bench_photos [--count 100] [--repeat 3]

The photos (noise over gradients, so they weigh what a phone's do; quality 90; EXIF time,
GPS, and orientation 6 on every third) are generated once into the temporary folder and
reused. The baseline, measured in the same run, is Pillow alone doing the minimal
equivalent work on each file: open, draft, exif_transpose, downscale to 2048, save. The
import adds the SHA-256, EXIF reading, the thumbnail, atomic flushed writes and the rows.
Target: import ≤ 1.5 × baseline. A second line shows Pillow with the literal
``draft("RGB", (2048, 2048))``, which does not reduce a 4000×3000 photo at all.
Each figure is the median of ``--repeat`` passes after a warm-up pass.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageOps
from PIL.TiffImagePlugin import IFDRational

WIDTH, HEIGHT = 4000, 3000
SOURCE = Path(tempfile.gettempdir()) / "perr-bench-photos-v1"


def generate(folder: Path, count: int) -> list[Path]:
    done = folder / f".complete-{count}"
    files = [folder / f"IMG_{i:04d}.jpg" for i in range(count)]
    if done.exists():
        return files
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    across = Image.linear_gradient("L").rotate(90).resize((WIDTH, HEIGHT))
    down = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    radial = Image.radial_gradient("L").resize((WIDTH, HEIGHT))
    for i, path in enumerate(files):
        noise = Image.effect_noise((WIDTH, HEIGHT), 40 + rng.random() * 20)
        channels = [across, down, radial]
        rng.shuffle(channels)
        bands = [Image.blend(channel, noise, 0.25 + rng.random() * 0.15)
                 for channel in channels]
        image = Image.merge("RGB", bands)
        exif = Image.Exif()
        exif[0x010F], exif[0x0110] = "samsung", "SM-A536B"
        if i % 3 == 0:
            exif[0x0112] = 6
        exif.get_ifd(0x8769)[0x9003] = f"2024:11:14 21:{i // 60 % 60:02d}:{i % 60:02d}"
        exif.get_ifd(0x8825).update({
            1: "N", 2: (IFDRational(45, 1), IFDRational(39, 1), IFDRational(i * 7, 100)),
            3: "E", 4: (IFDRational(0, 1), IFDRational(9, 1), IFDRational(i * 5, 100))})
        image.save(path, "JPEG", quality=90, exif=exif.tobytes())
        if i % 10 == 9:
            print(f"  generated {i + 1}/{count}", file=sys.stderr)
    done.touch()
    return files


def pillow_alone(files: list[Path], out: Path, literal_draft: bool = False) -> None:
    from perr_desktop.services import photos
    from perr_desktop.storage.media import WORKING_SIZE

    out.mkdir(parents=True, exist_ok=True)
    for path in files:
        with Image.open(io.BytesIO(path.read_bytes())) as image:
            box = ((WORKING_SIZE, WORKING_SIZE) if literal_draft
                   else photos._draft_request(image.size, WORKING_SIZE))
            image.draft("RGB", box)
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((WORKING_SIZE, WORKING_SIZE), Image.Resampling.LANCZOS)
            upright.save(out / path.name, "JPEG", quality=photos.WORKING_QUALITY,
                         optimize=True, progressive=True)


def import_into_fresh_walk(files: list[Path], home: Path, run: int) -> int:
    from perr_desktop.services import councils, photos, walks
    from perr_desktop.storage.database import open_database

    with open_database(home / f"import-{run}.sqlite") as db:
        council_id = councils.create_council(db, "Conseil citoyen de Basseau Grande-Garenne")
        walk_id = walks.create_walk(db, council_id, "Marche de nuit", "2024-11-14", "nuit")
        report = photos.import_photos(db, walk_id, files)
    assert not report.skipped, report.skipped
    return len(report.imported)


def timed(fn, repeat: int) -> float:
    fn()  # warm-up: page cache, imports, Pillow's plugins
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="perr-bench-"))
    os.environ["PERR_DESKTOP_HOME"] = str(home)
    start = time.perf_counter()
    files = generate(SOURCE, args.count)
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    print(f"{len(files)} photos {WIDTH}×{HEIGHT}, {megabytes:.0f} MB, in {SOURCE} "
          f"(ready in {time.perf_counter() - start:.1f} s)")
    runs = iter(range(1000))
    try:
        baseline = timed(lambda: pillow_alone(files, home / "pillow"), args.repeat)
        literal = timed(lambda: pillow_alone(files, home / "literal", literal_draft=True),
                        args.repeat)
        imported = timed(lambda: import_into_fresh_walk(files, home, next(runs)),
                         args.repeat)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    def row(name: str, seconds: float) -> None:
        print(f"{name:52} {seconds:7.2f} s {seconds * 1000 / len(files):7.1f} ms/photo "
              f"{seconds / baseline:6.2f}×")

    print(f"{'figure (median of ' + str(args.repeat) + ')':52} {'total':>9} "
          f"{'per photo':>15} {'ratio':>7}")
    row("baseline: Pillow open, draft, transpose, 2048, save", baseline)
    row("Pillow with draft((2048, 2048)) as written", literal)
    row("import_photos into a fresh walk", imported)
    ratio = imported / baseline
    print(f"import / baseline = {ratio:.2f} (target ≤ 1.5): {'OK' if ratio <= 1.5 else 'SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
