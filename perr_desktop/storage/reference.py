"""Reference data shipped in ``resources/`` and loaded into each database.

Loading only adds what is missing: a label the user edited, or an entry the user
removed (tombstoned), stays as the user left it. Ids derive from codes
(:func:`~perr_desktop.storage.ids.reference_id`) so every laptop agrees on them.
"""

from __future__ import annotations

import functools
import json
import zlib
from pathlib import Path
from typing import Any

from perr_desktop.paths import resources_dir
from perr_desktop.storage.ids import now_utc, reference_id

FILES = ("neighbourhoods.json", "vocabularies.json", "perr_objectives.json")
VOCABULARY_KINDS = (
    "meeting_kind", "college", "member_role", "attendance_status", "observation_theme",
    "body", "followup_status", "followup_channel", "walk_role",
)


@functools.cache
def load_json(name: str) -> Any:
    with (resources_dir() / name).open(encoding="utf-8") as fh:
        return json.load(fh)


@functools.cache
def fingerprint() -> str:
    """Whether the shipped reference files changed since a database was seeded: the
    CRC-32 and the size of their bytes. (A cryptographic hash is not needed to notice a
    new version, and ``hashlib`` loads OpenSSL: 3 ms of every start, issue 7.)"""
    crc, size = 0, 0
    for name in FILES:
        data = Path(resources_dir() / name).read_bytes()
        crc, size = zlib.crc32(data, crc), size + len(data)
    return f"crc32:{crc:08x}:{size}"


def objective_rows() -> list[dict[str, Any]]:
    """The PERR tree flattened in reading order: pillars, themes, objectives, children."""
    rows: list[dict[str, Any]] = []

    def add(code, parent, level, label_fr, label_en, node):
        rows.append({
            "code": code, "parent_code": parent, "level": level,
            "label_fr": label_fr, "label_en": label_en,
            "note_fr": node.get("note_fr", ""), "note_en": node.get("note_en", ""),
            "sort_order": len(rows),
        })

    for pillar in load_json("perr_objectives.json")["pillars"]:
        add(pillar["code"], None, "pillar", pillar["label_fr"], pillar["label_en"], pillar)
        for theme in pillar["themes"]:
            add(theme["code"], pillar["code"], "theme", theme["label_fr"], theme["label_en"], theme)
            for objective in theme["objectives"]:
                add(objective["code"], theme["code"], "objective",
                    objective["text_fr"], objective["text_en"], objective)
                for child in objective.get("children", []):
                    add(child["code"], objective["code"], "sub_objective",
                        child["text_fr"], child["text_en"], child)
    return rows


def seed(db) -> bool:
    """Add missing reference records; return False when already up to date."""
    stamp = fingerprint()
    if db.scalar("SELECT value FROM meta WHERE key = 'reference_fingerprint'") == stamp:
        return False
    now = now_utc()
    record = {"created_at": now, "updated_at": now}
    with db.transaction():
        for n in load_json("neighbourhoods.json")["neighbourhoods"]:
            db.execute(
                """INSERT OR IGNORE INTO neighbourhoods
                   (id, created_at, updated_at, code, name, commune, population,
                    population_source, urban_renewal)
                   VALUES (:id, :created_at, :updated_at, :code, :name, :commune, :population,
                           :population_source, :urban_renewal)""",
                {**record, **n, "id": reference_id("neighbourhood", n["code"]),
                 "urban_renewal": int(n["urban_renewal"])},
            )
        vocabularies = load_json("vocabularies.json")
        for kind in VOCABULARY_KINDS:
            for order, entry in enumerate(vocabularies[kind]):
                db.execute(
                    """INSERT OR IGNORE INTO vocabulary
                       (id, created_at, updated_at, kind, code, label_fr, label_en, grouping,
                        sort_order, system)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (reference_id(kind, entry["code"]), now, now, kind, entry["code"],
                     entry["fr"], entry["en"], entry.get("grouping", ""), order,
                     int(entry.get("system", False))),
                )
        for row in objective_rows():
            db.execute(
                """INSERT OR IGNORE INTO perr_objectives
                   (id, created_at, updated_at, code, parent_code, level, label_fr, label_en,
                    note_fr, note_en, sort_order)
                   VALUES (:id, :created_at, :updated_at, :code, :parent_code, :level,
                           :label_fr, :label_en, :note_fr, :note_en, :sort_order)""",
                {**record, **row, "id": reference_id("perr_objective", row["code"])},
            )
        db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('reference_fingerprint', ?)",
            (stamp,),
        )
    return True
