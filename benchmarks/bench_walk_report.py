"""Printing the restitution report of a big walk: 60 observations, 60 photos.

    .venv/bin/python -m benchmarks.bench_walk_report [--repeat 3]

The photos are generated as the import leaves them: 2048-pixel JPEG working copies, made
of gradients and noise so that they weigh what phone photos weigh at that size (some
600 KB), plus a 3200-pixel plan. ``walk.build`` (database reads, every image read and
downscaled to what the page needs, the plan with its pins, the synthesis tables,
embedded fonts) is timed against a baseline measured in the same run: a bare reportlab
``SimpleDocTemplate`` drawing the same 60 working copies at the same size (reportlab
copies each JPEG into the PDF as it is, without decoding it). Targets: under 5 s and
under 10 MB for the report; the ratio says what the downscaling costs in time and
saves in size.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageFilter

from benchmarks.common import bare_pdf, medians_in_turn

OBSERVATIONS = 60
STOPS = 8
THEMES = ["proprete", "eclairage", "voirie", "stationnement", "accessibilite",
          "espaces_verts", "mobilier_urbain", "securite", "signaletique", "logement"]
BODIES = ["ville", "agglomeration", "bailleur", "departement", "police_municipale"]
WORDS = ("lampadaire éteint devant le n° 12 trottoir soulevé par les racines bancs cassés "
         "dans le square porte du hall qui ne ferme plus les habitants évitent l'allée le "
         "soir poussettes obligées de descendre sur la chaussée").split()


def sentence(rng: random.Random, n: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    return text[:1].upper() + text[1:] + "."


def textures(rng: random.Random, size: tuple[int, int], count: int = 4) -> list[Image.Image]:
    """Grain and soft blotches, the costly part of a fake photo: made a few times only."""
    width, height = size
    out = []
    for _ in range(count):
        grain = Image.merge("RGB", [Image.effect_noise(size, rng.uniform(40, 70))
                                    for _ in range(3)])
        blotches = Image.effect_noise((width // 8, height // 8), 90).convert("RGB").resize(
            size, Image.Resampling.BICUBIC)
        out.append(Image.blend(grain, blotches, 0.45).filter(ImageFilter.GaussianBlur(0.6)))
    return out


def photo_like(rng: random.Random, texture: Image.Image) -> Image.Image:
    """A texture under gradients of its own colours and direction: each photo differs
    and compresses like a photo (not like a flat test card, not like pure noise)."""
    bands = []
    for _ in range(3):
        low, high = rng.randrange(0, 120), rng.randrange(140, 256)
        ramp = [low + v * (high - low) // 255 for v in range(256)]
        bands.append(Image.linear_gradient("L").rotate(rng.randrange(360)).point(ramp)
                     .resize(texture.size, Image.Resampling.BILINEAR))
    return Image.blend(Image.merge("RGB", bands), texture, 0.35)


def store(db, image: Image.Image, kind: str, name: str) -> str:
    from perr_desktop.storage import media, records

    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    data = out.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    path = media.working_path(db.path, sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    with db.transaction():
        return records.insert(db, "media", {
            "sha256": sha, "kind": kind, "original_name": name, "original_size": len(data),
            "width": image.width, "height": image.height})


def build_database(path: Path) -> tuple[str, list[Path]]:
    """A night walk of 8 stops, 60 observations each with a photo, on a plan."""
    from perr_desktop.services import councils, walks
    from perr_desktop.storage import media, records
    from perr_desktop.storage.database import open_database

    rng = random.Random(7)
    files = []
    with open_database(path) as db:
        [council] = councils.create_qpv_councils(db, ["champ-de-manoeuvre"])
        walk = walks.create_walk(db, council, "Diagnostic nocturne", "2026-11-26",
                                 period="nuit", start_time="20:30", weather="Sec, 6 °C")
        walks.update_walk(db, walk, counted_participants=14)
        walks.add_participant(db, walk, "animateur", name="Samira Benhaddou")
        stops = [walks.add_stop(db, walk, f"Arrêt {n + 1} : {sentence(rng, 3)}",
                                address=f"{n * 3 + 2} rue de l'Étang, Soyaux",
                                plan_x=rng.uniform(0.05, 0.95), plan_y=rng.uniform(0.05, 0.95))
                 for n in range(STOPS)]
        landscape = textures(rng, (media.WORKING_SIZE, 1536))
        portrait = [t.transpose(Image.Transpose.ROTATE_90) for t in landscape]
        plan = textures(rng, (media.PLAN_SIZE, 2200), count=1)[0]
        walks.set_plan(db, walk, store(db, photo_like(rng, plan), "plan", "plan.jpg"))
        for n in range(OBSERVATIONS):
            observation = walks.add_observation(
                db, walk, bodies=rng.sample(BODIES, rng.randint(0, 2)),
                stop_id=stops[n % STOPS], theme=rng.choice(THEMES),
                positive=rng.random() < 0.3, priority=rng.choice([None, 1, 2, 3]),
                description=sentence(rng, rng.randint(12, 40)),
                feeling=sentence(rng, 8) if n % 3 == 0 else "",
                proposal=sentence(rng, rng.randint(6, 15)),
                plan_x=rng.uniform(0.05, 0.95), plan_y=rng.uniform(0.05, 0.95))
            texture = (landscape if n % 4 else portrait)[n % len(landscape)]
            media_id = store(db, photo_like(rng, texture), "photo", f"IMG_{n:04d}.JPG")
            with db.transaction():
                records.insert(db, "photos", {"walk_id": walk, "media_id": media_id,
                                              "observation_id": observation,
                                              "caption": sentence(rng, 4)})
            sha = db.scalar("SELECT sha256 FROM media WHERE id = ?", (media_id,))
            files.append(media.working_path(db.path, sha))
    return walk, files


def bare_reportlab(files: list[Path], width: float) -> bytes:
    """The same photos drawn at the same width, straight from the working copies."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Image as RLImage
    from reportlab.platypus import Paragraph

    normal = getSampleStyleSheet()["Normal"]
    story = []
    for n, path in enumerate(files, start=1):
        with Image.open(path) as image:
            ratio = image.height / image.width
        story += [Paragraph(f"Observation {n}", normal),
                  RLImage(str(path), width=width, height=width * ratio)]
    return bare_pdf(story)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("PERR_DESKTOP_HOME", folder)
        from perr_desktop.reports import styles, walk
        from perr_desktop.storage.database import open_database

        path = Path(folder) / "bench.sqlite"
        started = time.perf_counter()
        walk_id, files = build_database(path)
        generated = time.perf_counter() - started
        photo_bytes = sum(f.stat().st_size for f in files)
        width = walk.photo_cell()
        with open_database(path) as db:
            styles.register_fonts()
            first = time.perf_counter()
            report = walk.build(db, walk_id, lang="fr")
            first = time.perf_counter() - first
            bare = bare_reportlab(files, width)

            def bare_binary() -> bytes:
                with walk.images_as_jpeg():
                    return bare_reportlab(files, width)

            ours, baseline, binary = medians_in_turn([lambda: walk.build(db, walk_id, lang="fr"),
                                            lambda: bare_reportlab(files, width),
                                            bare_binary], args.repeat)
    pages = report.count(b"/Type /Page\n")
    print(f"data: {OBSERVATIONS} observations, {len(files)} photos of 2048 px "
          f"({photo_bytes / len(files) / 1e3:.0f} KB each, {photo_bytes / 1e6:.1f} MB), "
          f"generated in {generated:.1f} s")
    print(f"walk.build: {ours:6.2f} s (median of {args.repeat}; first run {first:.2f} s), "
          f"{len(report) / 1e6:5.2f} MB, {pages} pages   targets: < 5 s, < 10 MB")
    print(f"bare SimpleDocTemplate, same 60 photos at the same size: {baseline:6.2f} s, "
          f"{len(bare) / 1e6:5.2f} MB")
    print(f"  the same without ASCII85 image streams (as walk.build writes them): "
          f"{binary:6.2f} s")
    print(f"ratio: time {ours / baseline:.2f}x ({ours / binary:.2f}x against the second), "
          f"size {len(report) / len(bare):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
