"""Identifiers and timestamps shared by every record."""

from __future__ import annotations

import datetime as dt
import uuid

# Reference records (QPV, vocabularies, PERR objectives) get ids derived from their code,
# so two laptops seeded separately agree on them and exchange packages merge cleanly.
REFERENCE_NAMESPACE = uuid.UUID("6f1c8a52-3d0e-4f6b-9a41-2c7e5b9d0a13")


def new_id() -> str:
    return str(uuid.uuid4())


def reference_id(kind: str, code: str) -> str:
    return str(uuid.uuid5(REFERENCE_NAMESPACE, f"{kind}:{code}"))


def now_utc() -> str:
    """The current time, UTC, ISO 8601 with microseconds: sorts as text."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
